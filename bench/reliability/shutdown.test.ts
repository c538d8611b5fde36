import { describe, expect, it } from 'vitest'
import { explain } from './check.ts'
import { runShutdown, SHUTDOWN_SMALL } from './shutdown.ts'

describe('graceful shutdown', () => {
  it('finishes every request received before close(), closes idle connections, refuses new ones and exits', async () => {
    const result = await runShutdown(SHUTDOWN_SMALL)
    expect(result.ok, explain(result)).toBe(true)
    expect(result.figures.owedAtClose).toBeGreaterThan(0)
  })

  it('fails against a server that destroys its connections on close()', async () => {
    const result = await runShutdown({ ...SHUTDOWN_SMALL, broken: ['abrupt-close'] })
    expect(result.ok).toBe(false)
    expect(result.lost).toBeGreaterThan(0)
  })
})
