import { describe, expect, it } from 'vitest'
import { checkPoolOverflow, checkPoolThroughput } from './load/pool.ts'

// Small versions of `npm run loadtest -- --only pool,overflow`. Throughput is recorded, not
// asserted, here: timing targets belong to the load-test report, not to unit tests.
const throughput = {
  handlerMs: 50,
  durationSec: 1,
  connectionsPerSlot: 10,
  tolerance: 0.2,
  assertThroughput: false,
}

describe('pool checks', () => {
  it('sockhttp never runs more than poolSize handlers at once, and fills the pool', async () => {
    const r = await checkPoolThroughput('sockhttp', { ...throughput, pool: 3 })
    expect(r.assertions.filter((a) => !a.pass)).toEqual([])
    expect(r.observed.requestsPerSec).toBeGreaterThan(0)
  })

  it('the throughput check fails against a pool that admits P + 1', async () => {
    const r = await checkPoolThroughput('reference:pool-overadmit', { ...throughput, pool: 3 })
    expect(r.pass).toBe(false)
    expect(r.assertions.find((a) => a.name === 'server pool maxInFlight')?.actual).toBe('4')
  })

  it('sockhttp answers exactly the overflow with 503 and never runs their handlers', async () => {
    const r = await checkPoolOverflow('sockhttp', { pool: 2, queue: 3, overflow: 4, handlerMs: 500 })
    expect(r.assertions.filter((a) => !a.pass)).toEqual([])
  })

  it('the overflow check fails against a server that runs the handler of a rejected request', async () => {
    const r = await checkPoolOverflow('reference:run-rejected', {
      pool: 2,
      queue: 3,
      overflow: 4,
      handlerMs: 500,
    })
    expect(r.pass).toBe(false)
    expect(r.assertions.find((a) => a.name.startsWith('handler invocations'))?.pass).toBe(false)
  })
})
