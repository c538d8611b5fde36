/** The last gate run (reports/gate/latest.json, schema in .ci/gate/summary.ts). */
import { formatSeconds, type GateReport } from '../../gate/summary.ts'
import { type Html, html } from '../html.ts'
import type { Loaded } from '../load.ts'
import { badge, commandList, fromReport, generated, headline, type Section } from './common.ts'

export const GATE_FILE = 'gate/latest.json'
export const GATE_COMMAND = 'npm run gate'

function renderGate(r: GateReport): Html {
  return html`${generated(r.generatedAt, `commit ${r.commit ?? 'unknown'}, Node ${r.node}, ${r.cores} cores, ${formatSeconds(r.seconds)} in total`)}
<p class="totals"><strong>${r.pass ? 'The gate held.' : 'The gate failed.'}</strong> Fuzz seed ${r.fuzzSeed}.</p>
<table class="data" data-table="gate"><thead><tr><th></th><th>step</th><th>time</th><th>summary</th><th>command</th></tr></thead>
<tbody>${r.steps.map(
    (s) =>
      html`<tr class="${s.status === 'pass' ? '' : 'failed'}"><td>${s.status === 'pass' ? '✔' : '✘'}</td><td>${s.title}${s.gating ? '' : html` <small>(not gating)</small>`}</td><td class="num">${formatSeconds(s.seconds)}</td><td>${s.status === 'pass' ? '' : html`${badge(s.status)} `}${s.summary}</td><td><code>${s.command}</code></td></tr>`,
  )}</tbody></table>
${commandList([r.command])}`
}

export function gateSection(loaded: Loaded<GateReport>): Section {
  const { body, ok } = fromReport(loaded, GATE_COMMAND, renderGate)
  return {
    id: 'gate',
    title: 'Gate',
    state: !ok ? 'none' : loaded.state === 'ok' && !loaded.data.pass ? 'fail' : 'ok',
    body,
    ...(ok && loaded.state === 'ok'
      ? headline(() => {
          const r = loaded.data
          const bad = r.steps.filter((s) => s.gating && s.status !== 'pass').map((s) => s.id)
          return `${r.pass ? 'held' : `failed (${bad.join(', ')})`} in ${formatSeconds(r.seconds)}, ${r.steps.filter((s) => s.status === 'pass').length}/${r.steps.length} steps ✔`
        })
      : {}),
  }
}
