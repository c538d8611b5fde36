/**
 * Writes reports/loadtest/latest.json (source of truth) and latest.md.
 *
 * JSON schema of latest.json (`schema: "sockhttp-loadtest/1"`):
 *
 *   {
 *     schema: "sockhttp-loadtest/1",
 *     generatedAt: ISO-8601 string,
 *     machine: { cpuModel, cores, memoryBytes, kernel, platform, arch, node, v8, llhttp, loadAverage },
 *     command: string,                  // how this report was produced
 *     target: string,                   // "sockhttp", or "reference[:defect]" for the checker self-tests
 *     summary: { pass: number, fail: number },
 *     checks: [{
 *       id: string,                     // e.g. "backlog-5", "pool-throughput-4", "pool-overflow-4-8", "keep-alive-50"
 *       kind: "backlog" | "pool-throughput" | "pool-overflow" | "keep-alive",
 *       target: string,
 *       params: { [name]: number | string },        // backlog, clients, pool, queue, connections, ...
 *       assertions: [{ name, expected: string, actual: string, pass: boolean }],
 *       observed: { [name]: unknown },              // raw figures: acceptQueue {recvQ, sendQ, source},
 *                                                   // answered, requestsPerSec, statusCodes, serverStats, ...
 *       pass: boolean,                  // every assertion passed
 *       seconds: number
 *     }]
 *   }
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { MachineInfo } from '../lib/machine.ts'
import type { CheckResult } from './check.ts'

export const LOADTEST_SCHEMA = 'sockhttp-loadtest/1'

export interface LoadtestReport {
  readonly schema: typeof LOADTEST_SCHEMA
  readonly generatedAt: string
  readonly machine: MachineInfo
  readonly command: string
  readonly target: string
  readonly summary: { readonly pass: number; readonly fail: number }
  readonly checks: readonly CheckResult[]
}

export function renderLoadtestMarkdown(r: LoadtestReport): string {
  const m = r.machine
  const lines = [
    `# sockhttp load tests (${r.target})`,
    '',
    `Generated ${r.generatedAt} on ${m.cpuModel} (${m.cores} cores), Linux ${m.kernel}, Node ${m.node}. Load average at start: ${m.loadAverage.toFixed(2)}.`,
    '',
    `Command: \`${r.command}\``,
    '',
    `**${r.summary.pass} pass, ${r.summary.fail} fail**`,
    '',
    '| check | result | parameters | seconds |',
    '|---|---|---|---:|',
    ...r.checks.map(
      (c) =>
        `| ${c.id} | ${c.pass ? 'pass' : '**FAIL**'} | ${Object.entries(c.params)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')} | ${c.seconds.toFixed(1)} |`,
    ),
    '',
  ]
  for (const c of r.checks) {
    lines.push(
      `## ${c.id}: ${c.pass ? 'pass' : 'FAIL'}`,
      '',
      '| assertion | expected | actual | |',
      '|---|---|---|---|',
    )
    for (const a of c.assertions)
      lines.push(`| ${a.name} | ${a.expected} | ${a.actual} | ${a.pass ? 'ok' : '**fail**'} |`)
    lines.push(
      '',
      '<details><summary>observed</summary>',
      '',
      '```json',
      JSON.stringify(c.observed, null, 2),
      '```',
      '',
      '</details>',
      '',
    )
  }
  return `${lines.join('\n')}\n`
}

export function writeLoadtestReport(dir: string, r: LoadtestReport): string[] {
  mkdirSync(dir, { recursive: true })
  const json = path.join(dir, 'latest.json')
  const md = path.join(dir, 'latest.md')
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`)
  writeFileSync(md, renderLoadtestMarkdown(r))
  return [json, md]
}
