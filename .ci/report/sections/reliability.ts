/**
 * Reliability figures (reports/reliability/latest.json, written by bench/reliability; each check
 * has the CheckResult shape of bench/reliability/check.ts): one row per check with the connections
 * it held, responses lost, latency, server memory and its own figures, and its assertions.
 */
import type { CheckResult } from '../../../bench/reliability/check.ts'
import { fixed, type Html, html, int } from '../html.ts'
import { isRecord, type Loaded } from '../load.ts'
import { badge, commandList, fromReport, generated, headline, type Section } from './common.ts'

export const RELIABILITY_FILE = 'reliability/latest.json'
export const RELIABILITY_COMMAND = 'npm run reliability'

export interface ReliabilityReport {
  readonly schema: string
  readonly generatedAt?: string
  readonly command?: string
  readonly commands?: readonly string[]
  readonly checks: readonly CheckResult[]
}

const mib = (b: number): string => `${fixed(b / 2 ** 20, 1)} MiB`

function checkRow(c: CheckResult): Html {
  const failed = c.assertions.filter((a) => !a.ok)
  const latency = Object.entries(c.latency).map(
    ([k, l]) =>
      html`<div>${k}: p50 ${fixed(l.p50, 1)} ms, p99 ${fixed(l.p99, 1)} ms, max ${fixed(l.max, 1)} ms <small>(${int(l.samples)} samples)</small></div>`,
  )
  const figures = Object.entries(c.figures).map(([k, v]) => html`<div><code>${k}</code> ${String(v)}</div>`)
  return html`<tr class="${c.ok ? '' : 'failed'}"><td><strong>${c.title}</strong><br><code>${c.name}</code></td><td>${badge(c.ok ? 'pass' : 'fail')}</td>
<td class="num">${int(c.connections)}</td><td class="num">${c.lost > 0 ? badge(String(c.lost)) : '0'}</td><td>${latency}</td>
<td>${c.rss ? html`${mib(c.rss.before)} → peak ${mib(c.rss.peak)} → ${mib(c.rss.after)}` : '–'}</td><td>${figures}</td><td class="num">${fixed(c.durationMs / 1000, 1)} s</td>
<td><details><summary>${c.assertions.length} assertions${failed.length ? `, ${failed.length} failed` : ''}</summary><ul>${c.assertions.map(
    (a) => html`<li>${badge(a.ok ? 'ok' : 'fail')} ${a.what}: ${a.detail}</li>`,
  )}</ul></details></td></tr>`
}

function renderReliability(r: ReliabilityReport): Html {
  const checks = r.checks.filter(isRecord) as readonly CheckResult[]
  const pass = checks.filter((c) => c.ok).length
  const commands = r.commands ?? (r.command ? [r.command] : [])
  return html`${generated(r.generatedAt)}
<p class="totals"><strong>${pass} pass, ${checks.length - pass} fail</strong></p>
<table class="data" data-table="reliability"><thead><tr><th>check</th><th>result</th><th>connections</th><th>lost</th><th>latency</th><th>server RSS</th><th>figures</th><th>time</th><th>assertions</th></tr></thead>
<tbody>${checks.map(checkRow)}</tbody></table>
${commandList(commands)}`
}

export function reliabilitySection(loaded: Loaded<ReliabilityReport>): Section {
  const { body, ok } = fromReport(loaded, RELIABILITY_COMMAND, renderReliability)
  const failed = ok && loaded.state === 'ok' && loaded.data.checks.some((c) => !c.ok)
  return {
    id: 'reliability',
    title: 'Reliability',
    state: !ok ? 'none' : failed ? 'fail' : 'ok',
    body,
    ...(ok && loaded.state === 'ok'
      ? headline(() => {
          const pass = loaded.data.checks.filter((c) => c.ok).length
          return `${pass} pass, ${loaded.data.checks.length - pass} fail`
        })
      : {}),
  }
}
