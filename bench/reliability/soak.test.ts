import { describe, expect, it } from 'vitest'
import { explain } from './check.ts'
import { runSoak, SOAK_SMALL } from './soak.ts'

describe('soak', () => {
  it('serves mixed valid, malformed, aborted and slow traffic without loss or memory growth', async () => {
    const result = await runSoak(SOAK_SMALL)
    expect(result.ok, explain(result)).toBe(true)
    expect(result.lost).toBe(0)
  })

  it('fails against a server that keeps memory for every request', async () => {
    const result = await runSoak({ ...SOAK_SMALL, durationMs: 3_000, warmupMs: 1_000, broken: ['retain'] })
    expect(result.ok).toBe(false)
    const failed = result.assertions.filter((a) => !a.ok).map((a) => a.what)
    expect(failed.some((w) => w.includes('RSS at the end'))).toBe(true)
  })
})
