/**
 * Conformance (reports/conformance/<target>.json, schema in conformance/reporters/json.ts): a matrix
 * of sections against every target that has a report (sockhttp and node:http first), then each
 * target's failing cases, expandable, with the bytes sent, every outcome the RFC allows, and what
 * the target did.
 */
import type { Report } from '../../../conformance/reporters/json.ts'
import { bytesLines, type Html, html, join, plural } from '../html.ts'
import type { Loaded } from '../load.ts'
import { badge, commandList, headline, notRun, type Section, unreadable } from './common.ts'

export const CONFORMANCE_DIR = 'conformance'
export const CONFORMANCE_COMMAND = 'npm run conformance -- --compare'

type CaseResult = Report['results'][number]

const TARGET_ORDER = ['sockhttp', 'node']
const TARGET_LABEL: Record<string, string> = { sockhttp: 'sockhttp', node: 'node:http' }

export const targetLabel = (t: string): string => TARGET_LABEL[t] ?? t

function byTarget(a: Report, b: Report): number {
  const ia = TARGET_ORDER.indexOf(a.target)
  const ib = TARGET_ORDER.indexOf(b.target)
  if (ia !== ib) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib)
  return a.target.localeCompare(b.target)
}

/** The command that reproduces a report, from the options it records. */
export function conformanceCommand(r: Report): string {
  const o = r.options
  const flags = [`--target ${r.target}`]
  if (!o.split) flags.push('--no-split')
  if (o.strict) flags.push('--strict')
  // A URL target only gets the reflect and timeout cases when told it supports them.
  if (/^https?:/.test(r.target)) {
    if (o.reflect) flags.push('--reflect')
    if (o.headersTimeoutMs !== null) flags.push(`--headers-timeout ${o.headersTimeoutMs}`)
  }
  flags.push(`--seed ${o.seed}`)
  return `npm run conformance -- ${flags.join(' ')}`
}

/** Section titles in catalog order: the first report's order, then any title only later ones have. */
export function sectionTitles(reports: readonly Report[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const r of reports)
    for (const s of r.sections)
      if (!seen.has(s.title)) {
        seen.add(s.title)
        out.push(s.title)
      }
  return out
}

function cell(r: Report, title: string): Html {
  const s = r.sections.find((x) => x.title === title)
  if (!s) return html`<td class="cell c-none">–</td>`
  const cls = s.fail > 0 ? 'c-fail' : s.warn > 0 ? 'c-warn' : 'c-pass'
  const extra = [
    s.fail > 0 ? `${s.fail} fail` : '',
    s.warn > 0 ? `${s.warn} warn` : '',
    s.skip > 0 ? `${s.skip} skip` : '',
  ].filter(Boolean)
  return html`<td class="cell ${cls}"><span class="frac">${s.pass}/${s.total}</span>${extra.length ? html`<small>${extra.join(', ')}</small>` : ''}</td>`
}

function matrix(reports: readonly Report[]): Html {
  const titles = sectionTitles(reports)
  return html`<table class="data matrix" data-table="conformance-matrix">
<thead><tr><th>section</th>${reports.map((r) => html`<th>${targetLabel(r.target)}</th>`)}</tr></thead>
<tbody>${titles.map((t) => html`<tr><td>${t}</td>${reports.map((r) => cell(r, t))}</tr>`)}</tbody>
<tfoot><tr><th>all cases</th>${reports.map(
    (r) =>
      html`<td class="cell ${r.summary.mustFail > 0 ? 'c-fail' : r.summary.fail > 0 || r.summary.warn > 0 ? 'c-warn' : 'c-pass'}"><span class="frac">${r.summary.pass}/${r.summary.total}</span><small>${r.summary.fail} fail (${r.summary.mustFail} MUST), ${r.summary.warn} warn, ${r.summary.skip} skip</small></td>`,
  )}</tr></tfoot></table>`
}

function caseBlock(c: CaseResult): Html {
  return html`<details class="case ${c.status === 'fail' ? 'failing' : 'warning'}" data-case="${c.id}">
<summary>${badge(c.status)} ${badge(c.level)} <code>${c.id}</code> ${c.requirement} <span class="got">Got: ${c.actual}</span></summary>
<dl>
<dt>rule</dt><dd>${c.rfc} §${c.section}; ${c.kind} case via ${c.client}</dd>
${c.reason ? html`<dt>why</dt><dd>${c.reason}</dd>` : ''}
${c.request !== null ? html`<dt>bytes sent</dt><dd><pre class="bytes">${bytesLines(c.request)}</pre></dd>` : ''}
<dt>expected (any of)</dt><dd><ul>${c.expected.map((e) => html`<li>${e}</li>`)}</ul></dd>
<dt>actual</dt><dd>${c.actual}</dd>
${c.mismatches.length ? html`<dt>why each allowed outcome did not match</dt><dd><ul>${c.mismatches.map((m) => html`<li>${m}</li>`)}</ul></dd>` : ''}
${c.response !== null ? html`<dt>bytes received</dt><dd><pre class="bytes">${bytesLines(c.response)}</pre></dd>` : ''}
${c.split ? html`<dt>split mode</dt><dd>${c.split.writes} writes (seed ${c.split.seed}): ${c.split.actual}${c.split.agrees ? '' : ' — disagrees with the single write'}</dd>` : ''}
</dl></details>`
}

function targetDetails(r: Report): Html {
  const fails = r.results.filter((c) => c.status === 'fail')
  const warns = r.results.filter((c) => c.status === 'warn')
  return html`<div class="target" data-target="${r.target}">
<h3>${targetLabel(r.target)}: ${fails.length} failing case${fails.length === 1 ? '' : 's'}${warns.length ? `, ${warns.length} warning${warns.length === 1 ? '' : 's'}` : ''}</h3>
<p class="meta">Generated ${r.generatedAt} in ${(r.durationMs / 1000).toFixed(1)} s; split mode ${r.options.split ? 'on' : 'off'}, ${r.options.strict ? 'strict (SHOULD counts as MUST)' : 'SHOULD misses are warnings'}.</p>
${fails.length === 0 ? html`<p>No failing cases.</p>` : join(fails.map(caseBlock), '\n')}
${warns.length ? html`<details class="warnings"><summary>${warns.length} warning${warns.length === 1 ? '' : 's'} (allowed by the RFC, discouraged)</summary>${join(warns.map(caseBlock), '\n')}</details>` : ''}
${commandList([conformanceCommand(r)])}
</div>`
}

export function conformanceSection(loaded: readonly Loaded<Report>[]): Section {
  const reports = loaded
    .flatMap((l) => (l.state === 'ok' ? [l.data] : []))
    .slice()
    .sort(byTarget)
  const problems = loaded.flatMap((l) => (l.state === 'invalid' ? [unreadable(l.file, l.reason)] : []))
  if (reports.length === 0) {
    return {
      id: 'conformance',
      title: 'Conformance',
      state: 'none',
      body: html`${notRun(`${CONFORMANCE_DIR}/sockhttp.json`, CONFORMANCE_COMMAND)}${problems}`,
    }
  }
  let body: Html
  try {
    body = html`<p>Each cell: cases passed / cases run in that section of the catalog. A warning is a SHOULD the target does not meet; a MUST failure fails the gate.</p>
${problems}
${matrix(reports)}
${reports.some((r) => r.target === 'sockhttp') ? '' : notRun(`${CONFORMANCE_DIR}/sockhttp.json`, CONFORMANCE_COMMAND)}
${reports.map(targetDetails)}`
  } catch (e) {
    body = unreadable(
      CONFORMANCE_DIR,
      `the reports do not have the shape this page expects (${e instanceof Error ? e.message : String(e)})`,
    )
    return { id: 'conformance', title: 'Conformance', state: 'none', body }
  }
  const ours = reports.find((r) => r.target === 'sockhttp')
  const glance = headline(() =>
    reports
      .map(
        (r) =>
          `${targetLabel(r.target)} ${r.summary.pass}/${r.summary.total} pass, ${r.summary.mustFail} MUST ${r.summary.mustFail === 1 ? 'failure' : 'failures'}, ${plural(r.summary.warn, 'warning')}`,
      )
      .join('; '),
  )
  return {
    ...glance,
    id: 'conformance',
    title: 'Conformance',
    state: !ours
      ? 'none'
      : ours.summary.mustFail > 0
        ? 'fail'
        : ours.summary.fail + ours.summary.warn > 0
          ? 'warn'
          : 'ok',
    body,
  }
}
