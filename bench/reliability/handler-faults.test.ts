import { describe, expect, it } from 'vitest'
import { explain } from './check.ts'
import { FAULTS_SMALL, runHandlerFaults } from './handler-faults.ts'

describe('handler faults', () => {
  it('answers throw, reject and bad headers 500, a hung handler 503, and keeps the connection', async () => {
    const result = await runHandlerFaults(FAULTS_SMALL)
    expect(result.ok, explain(result)).toBe(true)
  })

  it('fails against a server whose handler timeout is off', async () => {
    const result = await runHandlerFaults({ ...FAULTS_SMALL, rounds: 1, brokenHandlerTimeoutMs: 0 })
    expect(result.ok).toBe(false)
    const failed = result.assertions.filter((a) => !a.ok).map((a) => a.what)
    expect(failed.some((w) => w.includes('never resolves'))).toBe(true)
    expect(failed.some((w) => w.includes('pool slot'))).toBe(true)
  })
})
