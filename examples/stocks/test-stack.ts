/** The three services started in this process on ephemeral ports, for tests. */
import { startCatalog } from './catalog.ts'
import { startGateway } from './gateway.ts'
import { startOrder } from './order.ts'
import type { ServiceHandle } from './service.ts'
import type { StockBook } from './stock-book.ts'

export interface Stack {
  readonly catalog: ServiceHandle
  readonly order: ServiceHandle
  readonly gateway: ServiceHandle
  close(): Promise<void>
}

export interface StackOptions {
  readonly book?: StockBook
  readonly downstreamTimeoutMs?: number
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const timeouts =
    options.downstreamTimeoutMs === undefined ? {} : { downstreamTimeoutMs: options.downstreamTimeoutMs }
  const catalog = await startCatalog(options.book === undefined ? {} : { book: options.book })
  const order = await startOrder({ catalogUrl: catalog.url, ...timeouts })
  const gateway = await startGateway({ catalogUrl: catalog.url, orderUrl: order.url, ...timeouts })
  return {
    catalog,
    order,
    gateway,
    async close() {
      // Edge first, so nothing is forwarded to a service that has already gone.
      await gateway.close()
      await order.close()
      await catalog.close()
    },
  }
}
