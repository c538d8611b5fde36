/**
 * The catalog against sockhttp, as CI runs it: every case in one write, plus a bounded sample of
 * cases in split mode. Zero MUST-level failures is the gate (SHOULD misses are only warnings).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { catalog } from './cases/index.ts'
import { formatResult } from './reporters/console.ts'
import { type CaseResult, runCases } from './runner.ts'
import { type RunningTarget, startTarget } from './targets/index.ts'

// A generous wait: a busy CI machine must not turn a slow answer into a failure.
const OPTS = { timeoutMs: 5000, strict: false, concurrency: 8, seed: 1, splitPauseMs: 1 }

function mustFailures(results: readonly CaseResult[]): string {
  return results
    .filter((r) => r.status === 'fail')
    .flatMap((r) => formatResult(r, false))
    .join('\n')
}

describe('conformance catalog against sockhttp', () => {
  let target: RunningTarget
  beforeAll(async () => {
    target = await startTarget('sockhttp', {
      headersTimeoutMs: 1500,
      reflect: true,
      assumeUrlHeadersTimeout: false,
    })
  })
  afterAll(async () => {
    await target?.close()
  })

  it('has no MUST failure with one write per step', { timeout: 60_000 }, async () => {
    const results = await runCases(catalog(), target, { ...OPTS, split: false })
    expect(results.length).toBeGreaterThanOrEqual(250)
    expect(mustFailures(results)).toBe('')
  })

  it('gives the same verdicts in split mode (every 8th case)', { timeout: 60_000 }, async () => {
    const sample = catalog().filter((e, i) => e.c.kind === 'wire' && i % 8 === 0)
    const results = await runCases(sample, target, { ...OPTS, split: true })
    expect(
      results.filter((r) => r.kind === 'wire' && r.status !== 'skip').every((r) => r.split !== null),
    ).toBe(true)
    expect(mustFailures(results)).toBe('')
  })
})
