/**
 * The catalog's state: each stock's price, the shares available and the volume traded.
 * Every trade is read-check-write around an await (the ledger write), so it runs under a
 * per-stock lock; trades on different stocks still proceed in parallel.
 */
import { KeyedLock, type Lock } from './keyed-lock.ts'
import type { TradeOrder } from './validate.ts'

// Type aliases rather than interfaces: they are assignable to the framework's JSON body type.
export type StockListing = {
  readonly name: string
  readonly price: number
  readonly quantity: number
}

export type StockState = StockListing & {
  readonly volume: number
}

/** The three stocks the original example traded. */
export const INITIAL_STOCKS: readonly StockListing[] = [
  { name: 'NXTI', price: 210.19, quantity: 8000 },
  { name: 'SOLBIO', price: 100.9, quantity: 1000 },
  { name: 'QXIL', price: 102.1, quantity: 300 },
]

/** Durable record of trades. In memory here; in a real system a database write, hence async. */
export interface Ledger {
  append(entry: LedgerEntry): Promise<void>
}

export interface LedgerEntry {
  readonly order: TradeOrder
  readonly quantityAfter: number
}

export class MemoryLedger implements Ledger {
  readonly entries: LedgerEntry[] = []

  async append(entry: LedgerEntry): Promise<void> {
    // Yield to the event loop the way real I/O would, so unsynchronised trades really do interleave.
    await new Promise<void>((resolve) => setImmediate(resolve))
    this.entries.push(entry)
  }
}

export type TradeOutcome =
  | { readonly ok: true; readonly stock: StockState }
  | { readonly ok: false; readonly reason: 'not-found' }
  | { readonly ok: false; readonly reason: 'insufficient'; readonly available: number }
  | { readonly ok: false; readonly reason: 'too-large' }

export interface StockBookOptions {
  readonly stocks?: readonly StockListing[]
  readonly ledger?: Ledger
  readonly lock?: Lock
}

interface MutableStock {
  readonly name: string
  readonly price: number
  quantity: number
  volume: number
}

export class StockBook {
  readonly #stocks = new Map<string, MutableStock>()
  readonly #ledger: Ledger
  readonly #lock: Lock

  constructor(options: StockBookOptions = {}) {
    for (const s of options.stocks ?? INITIAL_STOCKS) {
      this.#stocks.set(s.name, { name: s.name, price: s.price, quantity: s.quantity, volume: 0 })
    }
    this.#ledger = options.ledger ?? new MemoryLedger()
    this.#lock = options.lock ?? new KeyedLock()
  }

  get(name: string): StockState | undefined {
    const s = this.#stocks.get(name)
    return s === undefined ? undefined : snapshot(s)
  }

  trade(order: TradeOrder): Promise<TradeOutcome> {
    return this.#lock.run(order.name, async () => {
      const stock = this.#stocks.get(order.name)
      if (stock === undefined) return { ok: false, reason: 'not-found' }
      const delta = order.type === 'buy' ? -order.quantity : order.quantity
      if (stock.quantity + delta < 0) return { ok: false, reason: 'insufficient', available: stock.quantity }
      const quantityAfter = stock.quantity + delta
      // Past 2^53 integer arithmetic silently rounds; refuse rather than corrupt the count.
      if (!Number.isSafeInteger(quantityAfter) || !Number.isSafeInteger(stock.volume + order.quantity)) {
        return { ok: false, reason: 'too-large' }
      }
      // The state is written only after the ledger accepted the trade; a failed write changes nothing.
      await this.#ledger.append({ order, quantityAfter })
      stock.quantity = quantityAfter
      stock.volume += order.quantity
      return { ok: true, stock: snapshot(stock) }
    })
  }
}

function snapshot(s: MutableStock): StockState {
  return { name: s.name, price: s.price, quantity: s.quantity, volume: s.volume }
}
