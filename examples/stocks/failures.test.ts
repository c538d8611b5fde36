/**
 * The gateway when what it depends on is down (502) or stuck (504): always a JSON error, never a
 * hang. Stuck peers are raw TCP stubs that accept and never answer; timeouts are short here.
 */
import { Agent } from 'undici'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startCatalog } from './catalog.ts'
import { startGateway } from './gateway.ts'
import { startOrder } from './order.ts'
import { call } from './test-http.ts'
import { closedPortUrl, startRawStub, startSilentStub } from './test-stubs.ts'

const agent = new Agent()
const open: { close(): Promise<void> }[] = []
function track<T extends { close(): Promise<void> }>(x: T): T {
  open.push(x)
  return x
}
afterEach(async () => {
  // Gateways before the stubs they call.
  for (const x of open.splice(0).reverse()) await x.close()
})
afterAll(() => agent.close())

const buy = { name: 'QXIL', quantity: 1, type: 'buy' }

describe('downstream down → 502', () => {
  it('catalog down: GET /stocks/:name is 502 with a JSON error', async () => {
    const gateway = track(
      await startGateway({ catalogUrl: await closedPortUrl(), orderUrl: await closedPortUrl() }),
    )
    const reply = await call(agent, gateway.url, 'GET', '/stocks/NXTI')
    expect(reply.status).toBe(502)
    expect(reply.headers['content-type']).toMatch(/^application\/json/)
    expect(reply.json).toEqual({ error: { code: 502, message: 'catalog service unavailable' } })
  })

  it('order down: POST /orders is 502', async () => {
    const gateway = track(
      await startGateway({ catalogUrl: await closedPortUrl(), orderUrl: await closedPortUrl() }),
    )
    const reply = await call(agent, gateway.url, 'POST', '/orders', buy)
    expect(reply.status).toBe(502)
    expect(reply.json).toEqual({ error: { code: 502, message: 'order service unavailable' } })
  })

  it('catalog down behind a running order service: the order service’s 502 is relayed', async () => {
    const order = track(await startOrder({ catalogUrl: await closedPortUrl() }))
    const gateway = track(await startGateway({ catalogUrl: await closedPortUrl(), orderUrl: order.url }))
    const reply = await call(agent, gateway.url, 'POST', '/orders', buy)
    expect(reply.status).toBe(502)
    expect(reply.json).toEqual({ error: { code: 502, message: 'catalog service unavailable' } })
  })

  it('a downstream answer that is not our JSON envelope is 502', async () => {
    const liar = track(
      await startRawStub('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok'),
    )
    const gateway = track(await startGateway({ catalogUrl: liar.url, orderUrl: liar.url }))
    const reply = await call(agent, gateway.url, 'GET', '/stocks/NXTI')
    expect(reply.status).toBe(502)
    expect(reply.json).toEqual({ error: { code: 502, message: 'catalog service sent an invalid response' } })
  })

  it('the gateway recovers once the service is back', async () => {
    const catalog = track(await startCatalog())
    const dead = await closedPortUrl()
    const gateway = track(await startGateway({ catalogUrl: catalog.url, orderUrl: dead }))
    expect((await call(agent, gateway.url, 'POST', '/orders', buy)).status).toBe(502)
    expect((await call(agent, gateway.url, 'GET', '/stocks/NXTI')).status).toBe(200)
  })
})

describe('downstream stuck → 504', () => {
  it('catalog never answers: GET /stocks/:name is 504 within the timeout', async () => {
    const silent = track(await startSilentStub())
    const gateway = track(
      await startGateway({ catalogUrl: silent.url, orderUrl: silent.url, downstreamTimeoutMs: 300 }),
    )
    const started = performance.now()
    const reply = await call(agent, gateway.url, 'GET', '/stocks/NXTI')
    expect(reply.status).toBe(504)
    expect(reply.json).toEqual({ error: { code: 504, message: 'catalog service timed out' } })
    expect(silent.accepted()).toBeGreaterThan(0)
    // Loose bound: proves "not a hang", not a performance figure.
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('order never answers: POST /orders is 504', async () => {
    const silent = track(await startSilentStub())
    const gateway = track(
      await startGateway({
        catalogUrl: silent.url,
        orderUrl: silent.url,
        downstreamTimeoutMs: 300,
        orderTimeoutMs: 300,
      }),
    )
    const reply = await call(agent, gateway.url, 'POST', '/orders', buy)
    expect(reply.status).toBe(504)
    expect(reply.json).toEqual({ error: { code: 504, message: 'order service timed out' } })
  })

  it('catalog stuck behind the order service: the order service’s 504 is relayed', async () => {
    const silent = track(await startSilentStub())
    // Same timeout setting for both, as run.ts configures them: the gateway allows the order
    // service time for its own call, so the inner timeout is the one reported.
    const timeouts = { downstreamTimeoutMs: 300, connectTimeoutMs: 300 }
    const order = track(await startOrder({ catalogUrl: silent.url, ...timeouts }))
    const gateway = track(await startGateway({ catalogUrl: silent.url, orderUrl: order.url, ...timeouts }))
    const reply = await call(agent, gateway.url, 'POST', '/orders', buy)
    expect(reply.status).toBe(504)
    expect(reply.json).toEqual({ error: { code: 504, message: 'catalog service timed out' } })
  })

  it('while one request waits on a stuck peer, others are still served', async () => {
    const silent = track(await startSilentStub())
    const catalog = track(await startCatalog())
    const gateway = track(
      await startGateway({ catalogUrl: catalog.url, orderUrl: silent.url, orderTimeoutMs: 1000 }),
    )
    const stuck = call(agent, gateway.url, 'POST', '/orders', buy)
    const quote = await call(agent, gateway.url, 'GET', '/stocks/QXIL')
    expect(quote.status).toBe(200)
    expect((await stuck).status).toBe(504)
  })
})
