/**
 * The order service: takes an order, has the catalog apply it, and numbers the orders that went
 * through.
 *   POST /order/orders {name, quantity, type} → 200 {"data": {"transaction_number": N}} | the catalog's error
 */
import { Response, type Routes } from '../../src/index.ts'
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_DOWNSTREAM_TIMEOUT_MS } from './config.ts'
import { Downstream } from './downstream.ts'
import { dataResponse, errorResponse } from './json-response.ts'
import { callDownstream, relayReply } from './relay.ts'
import { type ServiceHandle, type ServiceOptions, startService } from './service.ts'
import { parseOrder, type TradeOrder } from './validate.ts'

export interface Transaction {
  readonly transactionNumber: number
  readonly order: TradeOrder
}

/**
 * Transaction numbers run 1, 2, 3... over successful orders only. The number is taken after the
 * catalog has accepted the trade, in the same synchronous step that records it, so no await can
 * split "read the counter" from "bump it" and a failed order leaves no gap.
 */
export class TransactionLog {
  #last = 0
  readonly #transactions: Transaction[] = []

  record(order: TradeOrder): Transaction {
    const transaction = { transactionNumber: ++this.#last, order }
    this.#transactions.push(transaction)
    return transaction
  }

  get count(): number {
    return this.#transactions.length
  }
}

export function orderRoutes(catalog: Downstream, log: TransactionLog): Routes {
  return {
    PlaceOrder: {
      pattern: '/order/orders',
      method: 'POST',
      handler: async (req) => {
        const order = parseOrder(req.body)
        if (!order.ok) return errorResponse(400, order.message)
        const reply = await callDownstream(catalog, 'POST', '/catalog/orders', order.value)
        if (reply instanceof Response) return reply
        if (reply.status !== 200) return relayReply('catalog', reply)
        const { transactionNumber } = log.record(order.value)
        return dataResponse({ transaction_number: transactionNumber })
      },
    },
  }
}

export interface OrderOptions extends ServiceOptions {
  /** http://host:port of the catalog service. */
  readonly catalogUrl: string
  readonly connectTimeoutMs?: number
  readonly downstreamTimeoutMs?: number
}

export function startOrder(options: OrderOptions): Promise<ServiceHandle> {
  const timeout = options.downstreamTimeoutMs ?? DEFAULT_DOWNSTREAM_TIMEOUT_MS
  const catalog = new Downstream({
    name: 'catalog',
    origin: options.catalogUrl,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: timeout,
    bodyTimeoutMs: timeout,
  })
  return startService(orderRoutes(catalog, new TransactionLog()), options, () => catalog.close())
}
