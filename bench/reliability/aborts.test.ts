import { describe, expect, it } from 'vitest'
import { ABORTS_SMALL, runAborts } from './aborts.ts'
import { explain } from './check.ts'

describe('aborts', () => {
  it('survives resets mid-head, mid-body, mid-handler and mid-response without leaks', async () => {
    const result = await runAborts(ABORTS_SMALL)
    expect(result.ok, explain(result)).toBe(true)
    expect(result.figures.abortedConnections).toBe(8 * ABORTS_SMALL.perScenario)
  })

  it('fails against handlers that leak a timer and leave a rejection unhandled', async () => {
    const result = await runAborts({ perScenario: 5, concurrency: 5, broken: ['leak'] })
    expect(result.ok).toBe(false)
    const failed = result.assertions.filter((a) => !a.ok).map((a) => a.what)
    expect(failed).toContain('no unhandled promise rejection')
    expect(failed).toContain('no leaked timers or sockets')
  })
})
