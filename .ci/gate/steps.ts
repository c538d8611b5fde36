/**
 * The gate's steps, in the order the issue gives them. Each is an ordinary command a person can
 * copy and run; the gate adds only the summary line, the timing and the verdict.
 *
 * Every harness step writes its reports under reports/gate/<harness>/ rather than the curated
 * reports/<harness>/ the site shows, so a gate run never replaces a full run with a smoke-sized one
 * and leaves the committed reports as they were. CI uploads both.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { StepOutput, StepSpec } from './run-step.ts'

/** The fuzzer's seed in the gate: fixed so that a red gate replays exactly; printed in its summary. */
export const FUZZ_SEED = 9112
export const FUZZ_SECONDS = 60

/** Where the unit-test step leaves vitest's JSON report; .ci/run reads it for its last line. */
export const VITEST_JSON = '.vitest-results.json'
export const GATE_DIR = 'reports/gate'

export interface VitestCounts {
  readonly passed: number
  readonly failed: number
  readonly skipped: number
  readonly files: number
}

/** The counts from vitest's JSON reporter (the Jest-compatible shape), or null when unreadable. */
export function readVitestCounts(file: string): VitestCounts | null {
  if (!existsSync(file)) return null
  try {
    const r: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return null
    const report = r as Record<string, unknown>
    const n = (k: string): number => {
      const v = report[k]
      return typeof v === 'number' ? v : 0
    }
    return {
      passed: n('numPassedTests'),
      failed: n('numFailedTests'),
      skipped: n('numPendingTests') + n('numTodoTests'),
      // numTotalTestSuites counts describe blocks too; testResults has one entry per file.
      files: Array.isArray(report.testResults) ? report.testResults.length : n('numTotalTestSuites'),
    }
  } catch {
    return null
  }
}

function typecheckSummary(o: StepOutput): string {
  const errors = o.tail.filter((l) => /error TS\d+/.test(l)).length
  if (o.exitCode === 0) return 'tsc: no type errors'
  return errors > 0 ? `tsc: ${errors}${errors >= 400 ? '+' : ''} type errors` : `tsc: exit ${o.exitCode}`
}

function lintSummary(o: StepOutput): string {
  // biome ends with "Checked N files in T. ..." and, on failure, "Found N errors." just before it.
  const found = o.tail.filter((l) => /^Found \d+ (errors?|warnings?)/.test(l.trim())).map((l) => l.trim())
  const checked = o.tail.find((l) => /^Checked \d+ files?/.test(l.trim()))?.trim()
  return `biome: ${[checked ?? o.lastLine, ...found].join(' ')}`
}

export function gateSteps(root: string): StepSpec[] {
  const vitestJson = path.join(root, VITEST_JSON)
  return [
    {
      id: 'typecheck',
      title: 'type check',
      command: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'],
      needs: ['tsconfig.json'],
      gating: true,
      timeoutSec: 180,
      summarize: typecheckSummary,
    },
    {
      id: 'lint',
      title: 'lint',
      command: ['npx', 'biome', 'check', '.'],
      needs: ['biome.json'],
      gating: true,
      timeoutSec: 120,
      summarize: lintSummary,
    },
    {
      id: 'unit',
      title: 'unit and property tests',
      command: [
        'npx',
        'vitest',
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${VITEST_JSON}`,
        '--reporter=junit',
        `--outputFile.junit=${GATE_DIR}/vitest-junit.xml`,
      ],
      needs: ['vitest.config.ts'],
      gating: true,
      // 2.5 min on a loaded 2-core machine today; the limit leaves room for the suite to grow.
      timeoutSec: 420,
      summarize: (o) => {
        const c = readVitestCounts(vitestJson)
        if (c === null) return `vitest wrote no JSON report (exit ${o.exitCode}): ${o.lastLine}`
        return `vitest: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped in ${c.files} files`
      },
    },
    {
      id: 'conformance',
      title: 'conformance (sockhttp)',
      command: [
        'npx',
        'tsx',
        'conformance/cli.ts',
        '--target',
        'sockhttp',
        '--out',
        `${GATE_DIR}/conformance`,
      ],
      needs: ['conformance/cli.ts'],
      gating: true,
      timeoutSec: 240,
    },
    {
      id: 'fuzz',
      title: `fuzz (${FUZZ_SECONDS} s, seed ${FUZZ_SEED})`,
      command: [
        'npx',
        'tsx',
        'fuzz/cli.ts',
        '--time',
        String(FUZZ_SECONDS),
        '--seed',
        String(FUZZ_SEED),
        '--report-dir',
        `${GATE_DIR}/fuzz`,
      ],
      needs: ['fuzz/cli.ts'],
      gating: true,
      timeoutSec: FUZZ_SECONDS + 120,
      summarize: (o) => {
        const line = o.lastStdoutLine || o.lastLine
        return /seed \d+/.test(line) ? line : `${line} (seed ${FUZZ_SEED})`
      },
    },
    {
      id: 'loadtest',
      title: 'load checks (backlog, pool)',
      command: [
        'npx',
        'tsx',
        'bench/loadtest.ts',
        '--quick',
        '--only',
        'backlog,pool',
        '--out',
        `${GATE_DIR}/loadtest`,
      ],
      needs: ['bench/loadtest.ts', 'src/index.ts'],
      gating: true,
      timeoutSec: 180,
    },
    {
      id: 'bench',
      title: 'bench smoke',
      command: [
        'npx',
        'tsx',
        'bench/cli.ts',
        '--quick',
        '--only',
        'server,parser',
        '--pipelines',
        '1',
        '--out',
        `${GATE_DIR}/bench`,
      ],
      needs: ['bench/cli.ts'],
      gating: false,
      timeoutSec: 240,
    },
  ]
}
