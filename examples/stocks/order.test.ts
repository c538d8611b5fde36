import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCatalog } from './catalog.ts'
import { startOrder, TransactionLog } from './order.ts'
import type { ServiceHandle } from './service.ts'
import { call } from './test-http.ts'

let catalog: ServiceHandle
let order: ServiceHandle
const agent = new Agent()

beforeAll(async () => {
  catalog = await startCatalog({ port: 0 })
  order = await startOrder({ port: 0, catalogUrl: catalog.url })
})
afterAll(async () => {
  await agent.close()
  await order?.close()
  await catalog?.close()
})

const place = (body: string | object) => call(agent, order.url, 'POST', '/order/orders', body)

describe('order service', () => {
  it('numbers successful orders 1, 2, 3 and skips none for failures', async () => {
    expect((await place({ name: 'NXTI', quantity: 5, type: 'buy' })).json).toEqual({
      data: { transaction_number: 1 },
    })
    // Failures in between: validation, unknown stock, not enough shares.
    expect((await place({ name: 'NXTI', quantity: -5, type: 'buy' })).status).toBe(400)
    expect((await place({ name: 'NOPE', quantity: 5, type: 'buy' })).status).toBe(404)
    expect((await place({ name: 'QXIL', quantity: 1000, type: 'buy' })).status).toBe(400)
    expect((await place({ name: 'NXTI', quantity: 5, type: 'sell' })).json).toEqual({
      data: { transaction_number: 2 },
    })
    expect((await place({ name: 'QXIL', quantity: 1, type: 'buy' })).json).toEqual({
      data: { transaction_number: 3 },
    })
  })

  it("relays the catalog's errors unchanged", async () => {
    const unknown = await place({ name: 'NOPE', quantity: 1, type: 'buy' })
    expect(unknown.status).toBe(404)
    expect(unknown.json).toEqual({ error: { code: 404, message: 'stock not found' } })
    const tooMany = await place({ name: 'SOLBIO', quantity: 1001, type: 'buy' })
    expect(tooMany.status).toBe(400)
    expect(tooMany.json).toEqual({
      error: { code: 400, message: 'quantity exceeds availability: 1001 requested, 1000 available' },
    })
  })

  it('checks the order itself before calling the catalog', async () => {
    const reply = await place('{"name":"QXIL","quantity":1}')
    expect(reply.status).toBe(400)
    expect(reply.json).toEqual({ error: { code: 400, message: 'type is required' } })
  })

  it('a body over 1 KiB is 413', async () => {
    expect((await place('x'.repeat(4096))).status).toBe(413)
  })
})

describe('TransactionLog', () => {
  it('hands out consecutive numbers from 1', () => {
    const log = new TransactionLog()
    const order = { name: 'QXIL', quantity: 1, type: 'buy' } as const
    expect([log.record(order), log.record(order), log.record(order)].map((t) => t.transactionNumber)).toEqual(
      [1, 2, 3],
    )
    expect(log.count).toBe(3)
  })
})
