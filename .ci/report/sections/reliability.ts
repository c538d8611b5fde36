/**
 * Reliability figures (reports/reliability/latest.json). The writer (bench/reliability) documents
 * its schema at the top of its module; until that report exists this section says "not run yet".
 */
import { type Html, html } from '../html.ts'
import { isRecord, type Loaded } from '../load.ts'
import { badge, commandList, fromReport, generated, type Section } from './common.ts'

export const RELIABILITY_FILE = 'reliability/latest.json'
export const RELIABILITY_COMMAND = 'npx tsx bench/reliability/cli.ts'

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v)

function renderReliability(r: Record<string, unknown>): Html {
  const checks = Array.isArray(r.checks) ? r.checks.filter(isRecord) : []
  const commands = Array.isArray(r.commands)
    ? r.commands.map(str)
    : typeof r.command === 'string'
      ? [r.command]
      : []
  return html`${generated(typeof r.generatedAt === 'string' ? r.generatedAt : undefined)}
<table class="data" data-table="reliability"><thead><tr><th>check</th><th>result</th><th>figures</th></tr></thead>
<tbody>${checks.map(
    (c) =>
      html`<tr class="${c.pass === false ? 'failed' : ''}"><td>${str(c.id ?? c.name)}</td><td>${badge(c.pass === false ? 'fail' : c.pass === true ? 'pass' : 'n/a')}</td><td><code>${str(c.observed ?? c.figures ?? '')}</code></td></tr>`,
  )}</tbody></table>
${commandList(commands)}`
}

export function reliabilitySection(loaded: Loaded<Record<string, unknown>>): Section {
  const { body, ok } = fromReport(loaded, RELIABILITY_COMMAND, renderReliability)
  const failed =
    ok && loaded.state === 'ok' && Array.isArray(loaded.data.checks)
      ? loaded.data.checks.some((c) => isRecord(c) && c.pass === false)
      : false
  return { id: 'reliability', title: 'Reliability', state: !ok ? 'none' : failed ? 'fail' : 'ok', body }
}
