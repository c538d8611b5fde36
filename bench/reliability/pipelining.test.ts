import { describe, expect, it } from 'vitest'
import { explain } from './check.ts'
import { PIPELINING_SMALL, runPipelining } from './pipelining.ts'

describe('pipelining flood', () => {
  it('stops reading at maxPipelinedRequests and under write backpressure, then answers everything in order', async () => {
    const result = await runPipelining(PIPELINING_SMALL)
    expect(result.ok, explain(result)).toBe(true)
    expect(result.figures.parsedWhileHeld).toBeLessThanOrEqual(PIPELINING_SMALL.maxPipelinedRequests)
    expect(result.figures.responses).toBe(PIPELINING_SMALL.requests)
  })

  it('fails against a server that queues pipelined requests without limit', async () => {
    const result = await runPipelining({
      ...PIPELINING_SMALL,
      requests: 4_000,
      brokenMaxPipelinedRequests: 1e9,
    })
    expect(result.ok).toBe(false)
    const failed = result.assertions.filter((a) => !a.ok).map((a) => a.what)
    expect(failed.some((w) => w.includes('at most maxPipelinedRequests'))).toBe(true)
  })
})
