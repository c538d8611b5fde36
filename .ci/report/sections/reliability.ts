/**
 * Reliability figures (reports/reliability/latest.json, schema in bench/reliability/report.ts): the
 * run's size and totals, then one row per check with the connections it held, responses lost,
 * latency, the server's memory, its own figures, and its assertions.
 */
import type { CheckResult } from '../../../bench/reliability/check.ts'
import type { ReliabilityReport } from '../../../bench/reliability/report.ts'
import { fixed, type Html, html, int, plural } from '../html.ts'
import type { Loaded } from '../load.ts'
import { badge, commandList, fromReport, generated, headline, type Section } from './common.ts'

export type { ReliabilityReport }
export const RELIABILITY_FILE = 'reliability/latest.json'
export const RELIABILITY_COMMAND = 'npm run reliability'

const mib = (b: number): string => `${fixed(b / 2 ** 20, 1)} MiB`

/** A figure by its key's unit suffix (the writer's convention: …Ms in ms, …Bytes in bytes). */
export function figure(key: string, v: number | string | boolean | null): string {
  if (typeof v !== 'number') return String(v)
  if (key.endsWith('Bytes')) return Math.abs(v) >= 2 ** 20 ? mib(v) : `${int(v)} B`
  if (key.endsWith('Ms')) return `${v >= 100 ? int(v) : fixed(v, 1)} ms`
  return Number.isInteger(v) ? int(v) : fixed(v, 3)
}

function checkRow(c: CheckResult): Html {
  const failed = c.assertions.filter((a) => !a.ok)
  const latency = Object.entries(c.latency).map(
    ([k, l]) =>
      html`<div>${k}: p50 ${fixed(l.p50, 1)} ms, p99 ${fixed(l.p99, 1)} ms, max ${fixed(l.max, 1)} ms <small>(${int(l.samples)} samples)</small></div>`,
  )
  const figures = Object.entries(c.figures)
  return html`<tr class="${c.ok ? '' : 'failed'}"><td><strong>${c.title}</strong><br><code>${c.name}</code></td><td>${badge(c.ok ? 'pass' : 'fail')}</td>
<td class="num">${int(c.connections)}</td><td class="num">${c.lost > 0 ? badge(String(c.lost)) : '0'}</td><td>${latency.length ? latency : '–'}</td>
<td>${c.rss ? html`${mib(c.rss.before)} → peak ${mib(c.rss.peak)} → ${mib(c.rss.after)}` : '–'}</td><td class="num">${fixed(c.durationMs / 1000, 1)} s</td>
<td><details><summary>${plural(c.assertions.length, 'assertion')}${failed.length ? `, ${failed.length} failed` : ''}, ${plural(figures.length, 'figure')}</summary><ul>${c.assertions.map(
    (a) => html`<li>${badge(a.ok ? 'ok' : 'fail')} ${a.what}: ${a.detail}</li>`,
  )}</ul>${figures.length ? html`<table class="inner"><tbody>${figures.map(([k, v]) => html`<tr><td><code>${k}</code></td><td class="num">${figure(k, v)}</td></tr>`)}</tbody></table>` : ''}</details></td></tr>`
}

function renderReliability(r: ReliabilityReport): Html {
  const m = r.machine
  const s = r.summary
  return html`${generated(
    r.generatedAt,
    `${r.size === 'full' ? 'full sizes' : 'small (test) sizes'}, commit ${r.git.commit ?? 'unknown'}${r.git.dirty ? ' with uncommitted changes' : ''}, ${m.cpuModel}, ${m.cpus} cores, Node ${m.node}, file descriptor limit ${m.fdLimit ?? 'unknown'}`,
  )}
<p class="totals"><strong>${s.pass} pass, ${s.fail} fail</strong>; ${int(s.lost)} responses lost; ${fixed(s.durationMs / 1000, 1)} s.</p>
<table class="data" data-table="reliability"><thead><tr><th>check</th><th>result</th><th>connections</th><th>lost</th><th>latency</th><th>server RSS</th><th>time</th><th>assertions and figures</th></tr></thead>
<tbody>${r.checks.map(checkRow)}</tbody></table>
${commandList([r.command])}`
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
          const s = loaded.data.summary
          return `${s.pass} pass, ${s.fail} fail, ${plural(s.lost, 'response')} lost (${loaded.data.size} sizes)`
        })
      : {}),
  }
}
