/**
 * The concurrency checker, shown to pass on the real stack and to fail on broken ones. The same
 * checker runs against the multi-process stack in stocks.e2e.test.ts.
 */
import { Agent } from 'undici'
import { afterAll, describe, expect, it } from 'vitest'
import { checkConcurrentBuys } from './concurrency-check.ts'
import { NO_LOCK } from './keyed-lock.ts'
import { StockBook } from './stock-book.ts'
import { call, concurrentBuys } from './test-http.ts'
import { startStack } from './test-stack.ts'

const agent = new Agent()
afterAll(() => agent.close())

async function quantityOf(origin: string, name: string): Promise<number> {
  const reply = await call(agent, origin, 'GET', `/stocks/${name}`)
  const json = reply.json as { data: { quantity: number } }
  return json.data.quantity
}

const ok = (n: number) => ({ status: 200, json: { data: { transaction_number: n } } })
const sold = { status: 400, json: { error: { code: 400, message: 'sold out' } } }

describe('checkConcurrentBuys', () => {
  const expectation = { available: 3, firstTransaction: 1 }

  it('accepts a correct outcome', () => {
    const summary = checkConcurrentBuys([ok(2), sold, ok(1), ok(3), sold], 0, expectation)
    expect(summary.violations).toEqual([])
  })

  it.each([
    ['oversold', [ok(1), ok(2), ok(3), ok(4), sold], 0],
    ['lost update', [ok(1), ok(2), ok(3), sold, sold], 1],
    ['duplicate numbers', [ok(1), ok(1), ok(3), sold, sold], 0],
    ['a gap in the numbers', [ok(1), ok(2), ok(4), sold, sold], 0],
    ['a 500 among the answers', [ok(1), ok(2), ok(3), sold, { status: 500, json: null }], 0],
  ])('flags %s', (_label, outcomes, final) => {
    expect(checkConcurrentBuys(outcomes, final, expectation).violations).not.toEqual([])
  })
})

describe('1,000 concurrent buys through the gateway (in-process stack)', () => {
  it('holds on the real services', async () => {
    const stack = await startStack()
    try {
      const outcomes = await concurrentBuys(stack.gateway.url, 'QXIL', 1000)
      const summary = checkConcurrentBuys(outcomes, await quantityOf(stack.gateway.url, 'QXIL'), {
        available: 300,
        firstTransaction: 1,
      })
      expect(summary.violations).toEqual([])
      expect(summary).toMatchObject({ succeeded: 300, rejected: 700, finalQuantity: 0 })
    } finally {
      await stack.close()
    }
  })

  it('catches a catalog without its per-stock lock', async () => {
    const stack = await startStack({ book: new StockBook({ lock: NO_LOCK }) })
    try {
      const outcomes = await concurrentBuys(stack.gateway.url, 'QXIL', 1000)
      const summary = checkConcurrentBuys(outcomes, await quantityOf(stack.gateway.url, 'QXIL'), {
        available: 300,
        firstTransaction: 1,
      })
      expect(summary.violations.length).toBeGreaterThan(0)
      expect(summary.succeeded).toBeGreaterThan(300)
    } finally {
      await stack.close()
    }
  })
})
