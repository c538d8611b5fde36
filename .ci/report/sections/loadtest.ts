/** Load checks (reports/loadtest/latest.json, schema in bench/load/report.ts): one row per check. */
import type { LoadtestReport } from '../../../bench/load/report.ts'
import { type Html, html } from '../html.ts'
import type { Loaded } from '../load.ts'
import { badge, commandList, fromReport, generated, headline, type Section } from './common.ts'

export const LOADTEST_FILE = 'loadtest/latest.json'
export const LOADTEST_COMMAND = 'npm run loadtest'

type Check = LoadtestReport['checks'][number]

function params(c: Check): string {
  return Object.entries(c.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')
}

function checkRow(c: Check): Html {
  const failed = c.assertions.filter((a) => !a.pass)
  return html`<tr class="${c.pass ? '' : 'failed'}"><td>${c.id}</td><td>${badge(c.pass ? 'pass' : 'fail')}</td><td>${params(c)}</td><td class="num">${c.seconds.toFixed(1)} s</td>
<td><details><summary>${c.assertions.length} assertions${failed.length ? `, ${failed.length} failed` : ''}</summary>
<table class="inner"><thead><tr><th>assertion</th><th>expected</th><th>actual</th><th></th></tr></thead><tbody>${c.assertions.map(
    (a) =>
      html`<tr><td>${a.name}</td><td>${a.expected}</td><td>${a.actual}</td><td>${badge(a.pass ? 'ok' : 'fail')}</td></tr>`,
  )}</tbody></table></details></td></tr>`
}

function renderLoadtest(r: LoadtestReport): Html {
  return html`${generated(r.generatedAt, `target ${r.target}, Node ${r.machine.node}, ${r.machine.cores} cores`)}
<p class="totals"><strong>${r.summary.pass} pass, ${r.summary.fail} fail</strong></p>
<table class="data" data-table="loadtest"><thead><tr><th>check</th><th>result</th><th>parameters</th><th>time</th><th>assertions</th></tr></thead>
<tbody>${r.checks.map(checkRow)}</tbody></table>
${commandList([r.command])}`
}

export function loadtestSection(loaded: Loaded<LoadtestReport>): Section {
  const { body, ok } = fromReport(loaded, LOADTEST_COMMAND, renderLoadtest)
  return {
    id: 'loadtest',
    title: 'Load checks',
    state: !ok ? 'none' : loaded.state === 'ok' && loaded.data.summary.fail > 0 ? 'fail' : 'ok',
    body,
    ...(ok && loaded.state === 'ok'
      ? headline(
          () =>
            `${loaded.data.summary.pass} pass, ${loaded.data.summary.fail} fail (${loaded.data.checks.map((c) => c.id).join(', ')})`,
        )
      : {}),
  }
}
