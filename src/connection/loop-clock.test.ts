import { describe, expect, it } from 'vitest'
import { loopNow } from './loop-clock.ts'

describe('loopNow', () => {
  it('reads the clock once per turn of the event loop, and again in the next turn', async () => {
    const first = loopNow()
    expect(Math.abs(first - Date.now())).toBeLessThan(50)
    // Later in the same turn it does not move, even after time has passed.
    const until = Date.now() + 5
    while (Date.now() < until) {
      // a busy turn
    }
    expect(loopNow()).toBe(first)
    await new Promise((resolve) => setImmediate(resolve))
    await new Promise((resolve) => setImmediate(resolve))
    const next = loopNow()
    expect(next).toBeGreaterThanOrEqual(first + 5)
    expect(Math.abs(next - Date.now())).toBeLessThan(50)
  })
})
