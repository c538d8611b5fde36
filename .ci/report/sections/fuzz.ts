/**
 * Fuzz runs (reports/fuzz/latest.json, schema in fuzz/report.ts): every property with the inputs it
 * tried, its failures with the bytes and the command that replays each, and the disagreements with
 * Node that the run saw and explained.
 */
import type { FuzzReport } from '../../../fuzz/report.ts'
import { bytesLines, type Html, html, int, plural } from '../html.ts'
import type { Loaded } from '../load.ts'
import { badge, commandList, fromReport, generated, headline, type Section } from './common.ts'

export const FUZZ_FILE = 'fuzz/latest.json'
export const FUZZ_COMMAND = 'npm run fuzz -- --time 60'

type Failure = FuzzReport['failures'][number]

const MAX_BYTES_SHOWN = 2000

function budget(r: FuzzReport): string {
  return 'runs' in r.budget ? `${r.budget.runs} runs per property` : `${r.budget.timeSeconds} s`
}

/** The command that reproduced this report: the same seed and budget. */
export function fuzzCommand(r: FuzzReport): string {
  const b = 'runs' in r.budget ? `--runs ${r.budget.runs}` : `--time ${r.budget.timeSeconds}`
  const t = r.target === 'sockhttp' ? '' : ` --target ${r.target}`
  return `npm run fuzz -- ${b} --seed ${r.seed}${t}`
}

function failureBlock(f: Failure): Html {
  const bytes =
    f.bytesEscaped.length > MAX_BYTES_SHOWN ? `${f.bytesEscaped.slice(0, MAX_BYTES_SHOWN)}…` : f.bytesEscaped
  return html`<details class="case failing" data-case="${f.property}"><summary>${badge('fail')} <code>${f.property}</code>${f.class ? ` (${f.class})` : ''}: ${f.reason}</summary>
<dl>
<dt>seed, path</dt><dd><code>${f.seed}</code>, <code>${f.path ?? '-'}</code> (${f.source}${f.regression ? `: ${f.regression}` : ''})</dd>
<dt>input bytes (${int(f.length)})</dt><dd><pre class="bytes">${bytesLines(bytes)}</pre></dd>
${f.replay ? html`<dt>replay</dt><dd><code>${f.replay}</code></dd>` : ''}
${f.file ? html`<dt>record</dt><dd><code>${f.file}</code></dd>` : ''}
</dl></details>`
}

function renderFuzz(r: FuzzReport): Html {
  return html`${generated(r.generatedAt, `seed ${r.seed}, budget ${budget(r)}, target ${r.target}, oracle Node ${r.node} (llhttp ${r.llhttp}), ${(r.durationMs / 1000).toFixed(1)} s`)}
<p class="totals"><strong>${int(r.totals.runs)} inputs tried, ${r.totals.failures} failure${r.totals.failures === 1 ? '' : 's'}</strong></p>
<table class="data" data-table="fuzz-properties"><thead><tr><th>property</th><th>what it checks</th><th>inputs tried</th><th>inputs/s</th><th>regressions</th><th>failures</th><th>replay</th></tr></thead>
<tbody>${r.properties.map(
    (p) =>
      html`<tr class="${p.failures > 0 ? 'failed' : ''}"><td><code>${p.name}</code></td><td>${p.description}</td><td class="num">${int(p.runs)}</td><td class="num">${int(p.runsPerSecond)}</td><td class="num">${p.regressions}</td><td class="num">${p.failures > 0 ? badge(String(p.failures)) : '0'}</td><td>${p.replay.map((c) => html`<code>${c}</code><br>`)}</td></tr>`,
  )}</tbody></table>
${r.failures.length > 0 ? html`<h3>Failures</h3>${r.failures.map(failureBlock)}` : ''}
${
  r.disagreements.explained.length === 0
    ? html`<p>Disagreements with Node explained by a documented quirk: none seen in this run.</p>`
    : html`<details class="disagreements"><summary>Disagreements with Node explained by a documented quirk: ${plural(r.disagreements.explained.length, 'quirk')}, seen ${int(r.disagreements.explained.reduce((n, d) => n + d.count, 0))} times</summary>
<table class="data" data-table="fuzz-disagreements"><thead><tr><th>quirk</th><th>who deviates</th><th>seen</th><th>what</th><th>rule</th></tr></thead>
<tbody>${r.disagreements.explained.map(
        (d) =>
          html`<tr><td><code>${d.id}</code></td><td>${d.kind === 'node' ? 'node:http' : 'sockhttp (a documented choice)'}</td><td class="num">${int(d.count)}</td><td>${d.summary}</td><td>${d.rfc}</td></tr>`,
      )}</tbody></table></details>`
}
${commandList([fuzzCommand(r)])}
<p class="meta">Its last line: <code>${r.summary}</code></p>`
}

/**
 * The curated run (reports/fuzz/latest.json) and, when present, the last gate run
 * (reports/gate/fuzz/latest.json, fixed seed): a red gate shows its failures here too.
 */
export function fuzzSection(curated: Loaded<FuzzReport>, gate?: Loaded<FuzzReport>): Section {
  const main = fromReport(curated, FUZZ_COMMAND, renderFuzz)
  const runs = [curated, ...(gate && gate.state !== 'missing' ? [gate] : [])]
  const failed = runs.some((l) => l.state === 'ok' && l.data.totals.failures > 0)
  const body =
    runs.length === 1
      ? main.body
      : html`<h3>Latest run <small>(reports/${curated.file})</small></h3>${main.body}
<h3>Last gate run <small>(reports/${gate!.file})</small></h3>${fromReport(gate!, FUZZ_COMMAND, renderFuzz).body}`
  const anyOk = runs.some((l) => l.state === 'ok')
  const line = (label: string, l: Loaded<FuzzReport>): string =>
    l.state === 'ok'
      ? `${label}${int(l.data.totals.runs)} inputs, ${plural(l.data.totals.failures, 'failure')} (seed ${l.data.seed})`
      : `${label}not run yet`
  return {
    id: 'fuzz',
    title: 'Fuzzing',
    state: !anyOk ? 'none' : failed ? 'fail' : 'ok',
    body,
    ...(anyOk
      ? headline(() =>
          runs.length === 1
            ? line('', curated)
            : `${line('latest run: ', curated)}; ${line('gate run: ', gate!)}`,
        )
      : {}),
  }
}
