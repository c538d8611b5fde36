/**
 * The gateway: the only service clients talk to. It checks requests at the edge and forwards them.
 *   GET  /stocks/:name → catalog GET /catalog/stocks/:name
 *   POST /orders       → order   POST /order/orders
 * A downstream service that is down answers 502, one that does not answer in time 504.
 */
import { Response, type Routes } from '../../src/index.ts'
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_DOWNSTREAM_TIMEOUT_MS } from './config.ts'
import { Downstream } from './downstream.ts'
import { errorResponse } from './json-response.ts'
import { callDownstream, relayReply } from './relay.ts'
import { type ServiceHandle, type ServiceOptions, startService } from './service.ts'
import { parseOrder, validateStockName } from './validate.ts'

export function gatewayRoutes(catalogService: Downstream, orderService: Downstream): Routes {
  return {
    GetStock: {
      pattern: '/stocks/:name',
      method: 'GET',
      handler: async (req) => {
        const name = validateStockName(req.params.name)
        if (!name.ok) return errorResponse(400, name.message)
        const path = `/catalog/stocks/${encodeURIComponent(name.value)}`
        const reply = await callDownstream(catalogService, 'GET', path)
        return reply instanceof Response ? reply : relayReply('catalog', reply)
      },
    },
    PlaceOrder: {
      pattern: '/orders',
      method: 'POST',
      handler: async (req) => {
        // Refused here, a bad order costs no downstream round trip; the order service checks again.
        const order = parseOrder(req.body)
        if (!order.ok) return errorResponse(400, order.message)
        const reply = await callDownstream(orderService, 'POST', '/order/orders', order.value)
        return reply instanceof Response ? reply : relayReply('order', reply)
      },
    },
  }
}

export interface GatewayOptions extends ServiceOptions {
  /** http://host:port of the catalog service. */
  readonly catalogUrl: string
  /** http://host:port of the order service. */
  readonly orderUrl: string
  readonly connectTimeoutMs?: number
  /** Headers timeout and body timeout of each downstream call. */
  readonly downstreamTimeoutMs?: number
  /** Headers timeout for the order service; by default long enough for the order service's own catalog call. */
  readonly orderTimeoutMs?: number
}

/**
 * Slack for the order service to notice its own timeout and answer before the gateway gives up on
 * it. undici checks its timers on a coarse tick, so a timeout can fire up to about a second late.
 */
const ORDER_HOP_MARGIN_MS = 2_000

export function startGateway(options: GatewayOptions): Promise<ServiceHandle> {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const timeoutMs = options.downstreamTimeoutMs ?? DEFAULT_DOWNSTREAM_TIMEOUT_MS
  const catalog = new Downstream({
    name: 'catalog',
    origin: options.catalogUrl,
    connectTimeoutMs,
    headersTimeoutMs: timeoutMs,
    bodyTimeoutMs: timeoutMs,
  })
  // The order service itself waits up to connect + headers timeout on the catalog, so the gateway
  // waits a little longer for it: a stuck catalog is then reported as such (the order service's
  // 504, relayed), not as a stuck order service.
  const order = new Downstream({
    name: 'order',
    origin: options.orderUrl,
    connectTimeoutMs,
    headersTimeoutMs: options.orderTimeoutMs ?? timeoutMs + connectTimeoutMs + ORDER_HOP_MARGIN_MS,
    bodyTimeoutMs: timeoutMs,
  })
  return startService(gatewayRoutes(catalog, order), options, async () => {
    await Promise.all([catalog.close(), order.close()])
  })
}
