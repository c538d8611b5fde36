/**
 * Writes reports/fuzz/latest.json (the source of truth) and latest.md.
 *
 * latest.json schema (`"schema": "sockhttp-fuzz/1"`); other tools read it, so extend, don't change:
 * {
 *   "schema": "sockhttp-fuzz/1",
 *   "generatedAt": string (ISO 8601),
 *   "seed": number,                      // fast-check seed shared by every property of the run
 *   "budget": { "runs": number } | { "timeSeconds": number },
 *   "target": string,                    // "sockhttp" or "http://HOST:PORT" (property tcp)
 *   "node": string, "llhttp": string,    // versions of the oracle
 *   "durationMs": number,
 *   "properties": [{
 *     "name": string, "description": string,
 *     "runs": number,                    // random inputs tried (regressions not included)
 *     "durationMs": number, "runsPerSecond": number,
 *     "regressions": number,             // fixed examples run first
 *     "failures": number,
 *     "failureFiles": string[],          // reports/fuzz/<property>-<seed>.json
 *     "replay": string[]                 // the commands that replay them
 *   }],
 *   "totals": { "runs": number, "failures": number },
 *   "disagreements": {                   // differential property: explained disagreements seen
 *     "explained": [{ "id": string, "kind": "node" | "ours", "count": number, "summary": string, "rfc": string }]
 *   },
 *   "failures": [FailureRecord],         // see runner.ts: property, seed, path, reason, class, bytes...
 *   "summary": string                    // the last line the command printed
 * }
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { QUIRKS } from './node-quirks.ts'
import type { FailureRecord, PropertyResult } from './runner.ts'

export interface FuzzReport {
  readonly schema: 'sockhttp-fuzz/1'
  readonly generatedAt: string
  readonly seed: number
  readonly budget: { readonly runs: number } | { readonly timeSeconds: number }
  readonly target: string
  readonly node: string
  readonly llhttp: string
  readonly durationMs: number
  readonly properties: readonly {
    readonly name: string
    readonly description: string
    readonly runs: number
    readonly durationMs: number
    readonly runsPerSecond: number
    readonly regressions: number
    readonly failures: number
    readonly failureFiles: readonly string[]
    readonly replay: readonly string[]
  }[]
  readonly totals: { readonly runs: number; readonly failures: number }
  readonly disagreements: {
    readonly explained: readonly {
      id: string
      kind: 'node' | 'ours'
      count: number
      summary: string
      rfc: string
    }[]
  }
  readonly failures: readonly FailureRecord[]
  readonly summary: string
}

export function summaryLine(results: readonly PropertyResult[], seed: number): string {
  // Runs per property (the first property happens to be called "total").
  const per = results.map((r) => `${r.name} ${r.runs} runs`).join(', ')
  const failures = results.reduce((n, r) => n + r.failures.length, 0)
  return `fuzz: ${per}, ${failures} failure${failures === 1 ? '' : 's'} (seed ${seed})`
}

export function buildReport(args: {
  results: readonly PropertyResult[]
  seed: number
  budget: FuzzReport['budget']
  target: string
  durationMs: number
  explained: ReadonlyMap<string, number>
}): FuzzReport {
  const { results } = args
  const failures = results.flatMap((r) => r.failures)
  return {
    schema: 'sockhttp-fuzz/1',
    generatedAt: new Date().toISOString(),
    seed: args.seed,
    budget: args.budget,
    target: args.target,
    node: process.versions.node,
    llhttp: process.versions.llhttp ?? 'unknown',
    durationMs: args.durationMs,
    properties: results.map((r) => ({
      name: r.name,
      description: r.description,
      runs: r.runs,
      durationMs: r.durationMs,
      runsPerSecond: r.runsPerSecond,
      regressions: r.regressions,
      failures: r.failures.length,
      failureFiles: r.failures.flatMap((f) => (f.file === undefined ? [] : [f.file])),
      replay: r.failures.flatMap((f) => (f.replay === undefined ? [] : [f.replay])),
    })),
    totals: { runs: results.reduce((n, r) => n + r.runs, 0), failures: failures.length },
    disagreements: {
      explained: QUIRKS.filter((q) => (args.explained.get(q.id) ?? 0) > 0).map((q) => ({
        id: q.id,
        kind: q.kind,
        count: args.explained.get(q.id) ?? 0,
        summary: q.summary,
        rfc: q.rfc,
      })),
    },
    failures,
    summary: summaryLine(results, args.seed),
  }
}

export function renderMarkdown(r: FuzzReport): string {
  const lines = [
    '# sockhttp fuzz report',
    '',
    `Generated ${r.generatedAt} — seed ${r.seed}, budget ${'runs' in r.budget ? `${r.budget.runs} runs per property` : `${r.budget.timeSeconds} s`}, target ${r.target}, Node ${r.node} (llhttp ${r.llhttp}).`,
    '',
    '| property | runs | runs/s | regressions | failures |',
    '|---|---:|---:|---:|---:|',
    ...r.properties.map(
      (p) => `| ${p.name} | ${p.runs} | ${p.runsPerSecond} | ${p.regressions} | ${p.failures} |`,
    ),
    `| **all properties** | ${r.totals.runs} | | | ${r.totals.failures} |`,
    '',
  ]
  if (r.failures.length > 0) {
    lines.push('## Failures', '')
    for (const f of r.failures) {
      lines.push(
        `### ${f.property}${f.class === undefined ? '' : ` (${f.class})`}`,
        '',
        `- reason: ${f.reason}`,
        `- seed ${f.seed}, path \`${f.path ?? '-'}\`, ${f.length} bytes`,
        `- bytes: \`${f.bytesEscaped.slice(0, 400)}${f.bytesEscaped.length > 400 ? '…' : ''}\``,
        ...(f.replay === undefined ? [] : [`- replay: \`${f.replay}\``]),
        '',
      )
    }
  }
  lines.push('## Explained disagreements with Node', '')
  if (r.disagreements.explained.length === 0) lines.push('None seen in this run.', '')
  else {
    lines.push('| quirk | kind | seen | what |', '|---|---|---:|---|')
    for (const d of r.disagreements.explained)
      lines.push(`| ${d.id} | ${d.kind} | ${d.count} | ${d.summary.replace(/\|/g, '\\|')} |`)
    lines.push(
      '',
      '`node`: Node deviates from the RFC. `ours`: the RFC allows either and sockhttp documents its choice. RFC texts in fuzz/node-quirks.ts.',
      '',
    )
  }
  lines.push(`\`${r.summary}\``, '')
  return lines.join('\n')
}

export function writeReports(dir: string, r: FuzzReport): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(r, null, 2)}\n`)
  writeFileSync(path.join(dir, 'latest.md'), renderMarkdown(r))
}
