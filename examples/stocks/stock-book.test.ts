import { describe, expect, it } from 'vitest'
import { NO_LOCK } from './keyed-lock.ts'
import { type Ledger, MemoryLedger, StockBook } from './stock-book.ts'
import type { TradeOrder } from './validate.ts'

const buy = (name: string, quantity: number): TradeOrder => ({ name, quantity, type: 'buy' })
const sell = (name: string, quantity: number): TradeOrder => ({ name, quantity, type: 'sell' })

/** The invariant the concurrency test checks, applied to the book directly. */
async function buyConcurrently(book: StockBook, count: number) {
  const outcomes = await Promise.all(Array.from({ length: count }, () => book.trade(buy('QXIL', 1))))
  return { succeeded: outcomes.filter((o) => o.ok).length, final: book.get('QXIL')?.quantity }
}

describe('StockBook', () => {
  it('starts with the three stocks of the original example', () => {
    const book = new StockBook()
    expect(book.get('NXTI')).toEqual({ name: 'NXTI', price: 210.19, quantity: 8000, volume: 0 })
    expect(book.get('SOLBIO')).toEqual({ name: 'SOLBIO', price: 100.9, quantity: 1000, volume: 0 })
    expect(book.get('QXIL')).toEqual({ name: 'QXIL', price: 102.1, quantity: 300, volume: 0 })
    expect(book.get('qxil')).toBeUndefined()
  })

  it('buys reduce availability, sells increase it, both add to volume', async () => {
    const book = new StockBook()
    expect(await book.trade(buy('SOLBIO', 10))).toMatchObject({
      ok: true,
      stock: { quantity: 990, volume: 10 },
    })
    expect(await book.trade(sell('SOLBIO', 4))).toMatchObject({
      ok: true,
      stock: { quantity: 994, volume: 14 },
    })
  })

  it('refuses a buy larger than what is available and changes nothing', async () => {
    const ledger = new MemoryLedger()
    const book = new StockBook({ ledger })
    expect(await book.trade(buy('QXIL', 301))).toEqual({ ok: false, reason: 'insufficient', available: 300 })
    expect(book.get('QXIL')).toMatchObject({ quantity: 300, volume: 0 })
    expect(ledger.entries).toHaveLength(0)
  })

  it('reports unknown stocks and quantities that would overflow', async () => {
    const book = new StockBook()
    expect(await book.trade(buy('NOPE', 1))).toEqual({ ok: false, reason: 'not-found' })
    expect(await book.trade(sell('QXIL', Number.MAX_SAFE_INTEGER))).toEqual({
      ok: false,
      reason: 'too-large',
    })
  })

  it('leaves the stock unchanged when the ledger write fails', async () => {
    const failing: Ledger = { append: async () => Promise.reject(new Error('disk full')) }
    const book = new StockBook({ ledger: failing })
    await expect(book.trade(buy('QXIL', 5))).rejects.toThrow('disk full')
    expect(book.get('QXIL')?.quantity).toBe(300)
    // The lock was released: the next trade runs.
    await expect(book.trade(buy('QXIL', 5))).rejects.toThrow('disk full')
  })

  it('1,000 concurrent buys of 1 share of 300: exactly 300 succeed and none oversell', async () => {
    expect(await buyConcurrently(new StockBook(), 1000)).toEqual({ succeeded: 300, final: 0 })
  })

  it('without its lock the same workload oversells (the race the lock exists for)', async () => {
    const result = await buyConcurrently(new StockBook({ lock: NO_LOCK }), 1000)
    expect(result.succeeded).toBeGreaterThan(300)
    // Every buyer read 300 before any wrote: a thousand sales, one share gone.
    expect(result.final).toBeGreaterThan(0)
  })

  it('returns snapshots, not its internal state', async () => {
    const book = new StockBook()
    const before = book.get('NXTI')
    await book.trade(buy('NXTI', 1))
    expect(before?.quantity).toBe(8000)
  })
})
