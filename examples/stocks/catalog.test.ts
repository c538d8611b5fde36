import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCatalog } from './catalog.ts'
import type { ServiceHandle } from './service.ts'
import { call } from './test-http.ts'

let catalog: ServiceHandle
const agent = new Agent()

beforeAll(async () => {
  catalog = await startCatalog({ port: 0 })
})
afterAll(async () => {
  await agent.close()
  await catalog?.close()
})

const get = (path: string) => call(agent, catalog.url, 'GET', path)
const post = (body: string | object) => call(agent, catalog.url, 'POST', '/catalog/orders', body)

describe('catalog service', () => {
  it('listens on the port the OS chose', () => {
    expect(catalog.port).toBeGreaterThan(0)
    expect(catalog.url).toBe(`http://127.0.0.1:${catalog.port}`)
  })

  it('GET /catalog/stocks/:name quotes a stock', async () => {
    const reply = await get('/catalog/stocks/SOLBIO')
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toMatch(/^application\/json/)
    expect(reply.json).toEqual({ data: { name: 'SOLBIO', price: 100.9, quantity: 1000 } })
  })

  it('GET of an unknown stock is 404 with the JSON error', async () => {
    const reply = await get('/catalog/stocks/NOPE')
    expect(reply.status).toBe(404)
    expect(reply.json).toEqual({ error: { code: 404, message: 'stock not found' } })
  })

  it('POST /catalog/orders applies buys and sells, tracking volume', async () => {
    const bought = await post({ name: 'NXTI', quantity: 100, type: 'buy' })
    expect(bought.status).toBe(200)
    expect(bought.json).toEqual({ data: { name: 'NXTI', price: 210.19, quantity: 7900, volume: 100 } })
    const sold = await post({ name: 'NXTI', quantity: 40, type: 'sell' })
    expect(sold.json).toEqual({ data: { name: 'NXTI', price: 210.19, quantity: 7940, volume: 140 } })
    expect((await get('/catalog/stocks/NXTI')).json).toEqual({
      data: { name: 'NXTI', price: 210.19, quantity: 7940 },
    })
  })

  it('a buy of more than is available is 400 and changes nothing', async () => {
    const reply = await post({ name: 'QXIL', quantity: 301, type: 'buy' })
    expect(reply.status).toBe(400)
    expect(reply.json).toEqual({
      error: { code: 400, message: 'quantity exceeds availability: 301 requested, 300 available' },
    })
    expect((await get('/catalog/stocks/QXIL')).json).toMatchObject({ data: { quantity: 300 } })
  })

  it('a trade on an unknown stock is 404', async () => {
    const reply = await post({ name: 'NOPE', quantity: 1, type: 'sell' })
    expect(reply.status).toBe(404)
    expect(reply.json).toEqual({ error: { code: 404, message: 'stock not found' } })
  })

  it.each([
    ['not JSON', 'name=QXIL', 'body'],
    ['no quantity', { name: 'QXIL', type: 'buy' }, 'quantity'],
    ['a fractional quantity', { name: 'QXIL', quantity: 0.5, type: 'buy' }, 'quantity'],
    ['an unknown type', { name: 'QXIL', quantity: 1, type: 'lend' }, 'type'],
  ])('an order with %s is 400 naming the field', async (_label, body, field) => {
    const reply = await post(body)
    expect(reply.status).toBe(400)
    expect(reply.json).toMatchObject({ error: { code: 400, message: expect.stringContaining(field) } })
  })

  it('a body over 1 KiB is 413', async () => {
    const reply = await post({ name: 'QXIL', quantity: 1, type: 'buy', padding: 'x'.repeat(2048) })
    expect(reply.status).toBe(413)
  })
})
