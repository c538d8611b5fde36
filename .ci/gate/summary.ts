/**
 * The gate's verdict: the final table on the terminal, and reports/gate/latest.{json,md} for the
 * reports site and for CI's job summary.
 *
 * JSON schema of reports/gate/latest.json (`schema: "sockhttp-gate/1"`):
 *
 *   {
 *     schema: "sockhttp-gate/1",
 *     generatedAt: ISO-8601 string,
 *     commit: string | null,              // git HEAD, with "-dirty" when the tree had changes
 *     node: string,                       // process.version
 *     cores: number,
 *     command: "npm run gate",
 *     fuzzSeed: number,
 *     seconds: number,                    // the whole gate
 *     pass: boolean,                      // no gating step failed
 *     steps: [{ id, title, command, gating: boolean,
 *               status: "pass" | "fail" | "missing" | "timeout",
 *               exitCode: number | null, seconds: number, summary: string }]
 *   }
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { StepResult } from './run-step.ts'

export const GATE_SCHEMA = 'sockhttp-gate/1'

export interface GateReport {
  readonly schema: typeof GATE_SCHEMA
  readonly generatedAt: string
  readonly commit: string | null
  readonly node: string
  readonly cores: number
  readonly command: string
  readonly fuzzSeed: number
  readonly seconds: number
  readonly pass: boolean
  readonly steps: readonly StepResult[]
}

export function stepPassed(s: StepResult): boolean {
  return s.status === 'pass'
}

/** The gate holds when no gating step failed, went missing or timed out. */
export function gatePasses(steps: readonly StepResult[]): boolean {
  return steps.every((s) => !s.gating || stepPassed(s))
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  return `${m} min ${Math.round(s - m * 60)
    .toString()
    .padStart(2, '0')} s`
}

const mark = (s: StepResult): string => (stepPassed(s) ? '✔' : '✘')

function pad(s: string, n: number): string {
  // Column widths count code points: the marks are one column wide in a terminal.
  const len = [...s].length
  return len >= n ? s : s + ' '.repeat(n - len)
}

/** The final table: one row per step with its mark, duration and summary line. */
export function renderTable(steps: readonly StepResult[], totalSeconds: number): string {
  const titleWidth = Math.max(4, ...steps.map((s) => s.title.length + (s.gating ? 0 : 2)))
  const lines = [`  ${pad('step', titleWidth + 2)}  ${pad('time', 10)}  summary`]
  for (const s of steps) {
    const title = s.gating ? s.title : `${s.title} *`
    lines.push(`${mark(s)} ${pad(title, titleWidth + 2)}  ${pad(formatSeconds(s.seconds), 10)}  ${s.summary}`)
  }
  const failed = steps.filter((s) => s.gating && !stepPassed(s))
  const notes = steps.filter((s) => !s.gating && !stepPassed(s))
  lines.push(
    `  ${pad('total', titleWidth + 2)}  ${pad(formatSeconds(totalSeconds), 10)}  ${steps.filter(stepPassed).length}/${steps.length} steps passed`,
  )
  if (steps.some((s) => !s.gating)) lines.push('  * records figures only, never fails the gate')
  lines.push(
    failed.length === 0
      ? `gate: pass${notes.length ? ` (non-gating ✘: ${notes.map((s) => s.id).join(', ')})` : ''}`
      : `gate: FAIL (${failed.map((s) => `${s.id} ${s.status}`).join(', ')})`,
  )
  return lines.join('\n')
}

export function renderGateMarkdown(r: GateReport): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|')
  const lines = [
    `## sockhttp gate: ${r.pass ? 'pass ✔' : 'FAIL ✘'}`,
    '',
    `Commit \`${r.commit ?? 'unknown'}\`, Node ${r.node}, ${r.cores} cores, ${formatSeconds(r.seconds)} in total, fuzz seed ${r.fuzzSeed}. Generated ${r.generatedAt}.`,
    '',
    '| | step | time | summary | command |',
    '|---|---|---:|---|---|',
    ...r.steps.map(
      (s) =>
        `| ${mark(s)} | ${cell(s.title)}${s.gating ? '' : ' (not gating)'} | ${formatSeconds(s.seconds)} | ${cell(s.summary)} | \`${cell(s.command)}\` |`,
    ),
    '',
  ]
  return `${lines.join('\n')}\n`
}

export function writeGateReport(dir: string, r: GateReport): string[] {
  mkdirSync(dir, { recursive: true })
  const json = path.join(dir, 'latest.json')
  const md = path.join(dir, 'latest.md')
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`)
  writeFileSync(md, renderGateMarkdown(r))
  return [json, md]
}
