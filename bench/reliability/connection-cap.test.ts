import { describe, expect, it } from 'vitest'
import { explain } from './check.ts'
import { CAP_SMALL, runConnectionCap } from './connection-cap.ts'

describe('connection cap', () => {
  it('answers connections beyond maxConnections 503 + Connection: close and keeps the others working', async () => {
    const result = await runConnectionCap(CAP_SMALL)
    expect(result.ok, explain(result)).toBe(true)
    expect(result.figures.refused503).toBe(CAP_SMALL.excess)
    expect(result.lost).toBe(0)
  })

  it('fails against a server without a connection cap', async () => {
    const result = await runConnectionCap({
      ...CAP_SMALL,
      maxConnections: 20,
      excess: 10,
      brokenMaxConnections: null,
    })
    expect(result.ok).toBe(false)
    expect(result.figures.servedBeyondCap).toBe(10)
  })
})
