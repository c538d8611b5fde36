/**
 * End to end, the way `npm run example` runs it: run.ts starts catalog, order and gateway as three
 * processes (here on ephemeral ports), and the gateway is driven with undici and with curl.
 *
 * The tests share one stack and run in order: the concurrency test goes first, on fresh state
 * (QXIL 300 available, no transactions yet), and the later tests build on what it left.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { EventEmitter, once } from 'node:events'
import { connect } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkConcurrentBuys } from './concurrency-check.ts'
import { call, concurrentBuys, curl } from './test-http.ts'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const RUN = fileURLToPath(new URL('./run.ts', import.meta.url))
const LISTENING = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/

let run: ChildProcess
const lines: string[] = []
let stderr = ''
const urls: string[] = []
let gateway = ''
const agent = new Agent()
/** Emits 'line' for each stdout line of run.ts. */
const output = new EventEmitter()

/** Resolves with the first stdout line of run.ts matching `pattern`; fails fast if run.ts exits first. */
function waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const found = lines.find((l) => pattern.test(l))
    if (found !== undefined) return resolve(found)
    const fail = (why: string) => {
      cleanup()
      reject(
        new Error(
          `${why} before a line matching ${pattern}; stdout: ${lines.join(' | ')}; stderr: ${stderr}`,
        ),
      )
    }
    const timer = setTimeout(() => fail(`${timeoutMs} ms passed`), timeoutMs)
    const onExit = (code: number | null) => fail(`run.ts exited with code ${code}`)
    const check = () => {
      const line = lines.find((l) => pattern.test(l))
      if (line === undefined) return
      cleanup()
      resolve(line)
    }
    const cleanup = () => {
      clearTimeout(timer)
      output.off('line', check)
      run.off('exit', onExit)
    }
    output.on('line', check)
    run.on('exit', onExit)
  })
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

beforeAll(async () => {
  run = spawn(process.execPath, ['--import', 'tsx', RUN], {
    cwd: REPO_ROOT,
    env: { ...process.env, GATEWAY_PORT: '0', ORDER_PORT: '0', CATALOG_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  run.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  createInterface({ input: run.stdout! }).on('line', (line) => {
    lines.push(line)
    output.emit('line')
  })
  // Three TypeScript processes start one after another; on a loaded machine that can take a while.
  await waitForLine(/^ready: /, 55_000)
  for (const line of lines) {
    const match = LISTENING.exec(line)
    if (match) urls.push(match[1]!)
  }
  gateway = urls[2] ?? ''
}, 60_000)

afterAll(async () => {
  await agent.close()
  if (run.exitCode === null && run.signalCode === null) {
    run.kill('SIGKILL')
    await once(run, 'exit')
  }
})

describe('npm run example (run.ts)', () => {
  it('prints a listening line for catalog, order and gateway, then a ready line with a curl command', () => {
    expect(urls).toHaveLength(3)
    expect(new Set(urls).size).toBe(3)
    const ready = lines.find((l) => l.startsWith('ready: '))
    expect(ready).toContain(`gateway ${gateway}`)
    expect(ready).toContain(`curl -s ${gateway}/stocks/NXTI`)
  })
})

describe('concurrency', () => {
  it('1,000 concurrent buys of 1 QXIL (300 available): 300 succeed, 700 get 400, 0 left, transactions 1..300', async () => {
    const outcomes = await concurrentBuys(gateway, 'QXIL', 1000)
    const quote = await call(agent, gateway, 'GET', '/stocks/QXIL')
    const final = (quote.json as { data: { quantity: number } }).data.quantity
    const summary = checkConcurrentBuys(outcomes, final, { available: 300, firstTransaction: 1 })
    // Printed so the figures appear in the test log.
    console.log(
      `concurrency: ${summary.succeeded} succeeded, ${summary.rejected} got 400, ${summary.other} other, final quantity ${summary.finalQuantity}, transactions ${summary.transactions?.min}..${summary.transactions?.max} (${summary.transactions?.distinct} distinct)`,
    )
    expect(summary.violations).toEqual([])
    expect(summary).toMatchObject({
      succeeded: 300,
      rejected: 700,
      other: 0,
      finalQuantity: 0,
      transactions: { min: 1, max: 300, distinct: 300 },
    })
    const refusal = outcomes.find((o) => o.status === 400)
    expect(refusal?.json).toEqual({
      error: { code: 400, message: 'quantity exceeds availability: 1 requested, 0 available' },
    })
  })
})

describe('gateway with undici', () => {
  it('GET /stocks/:name quotes each of the three stocks', async () => {
    const quotes = await Promise.all(
      ['NXTI', 'SOLBIO', 'QXIL'].map((n) => call(agent, gateway, 'GET', `/stocks/${n}`)),
    )
    expect(quotes.map((q) => q.status)).toEqual([200, 200, 200])
    expect(quotes[0]!.headers['content-type']).toMatch(/^application\/json/)
    expect(quotes.map((q) => q.json)).toEqual([
      { data: { name: 'NXTI', price: 210.19, quantity: 8000 } },
      { data: { name: 'SOLBIO', price: 100.9, quantity: 1000 } },
      { data: { name: 'QXIL', price: 102.1, quantity: 0 } },
    ])
  })

  it('GET of an unknown stock is 404 with the JSON error', async () => {
    const reply = await call(agent, gateway, 'GET', '/stocks/NOPE')
    expect(reply.status).toBe(404)
    expect(reply.json).toEqual({ error: { code: 404, message: 'stock not found' } })
  })

  it('POST /orders: a buy continues the transaction numbers and reduces availability', async () => {
    const reply = await call(agent, gateway, 'POST', '/orders', { name: 'NXTI', quantity: 10, type: 'buy' })
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({ data: { transaction_number: 301 } })
    expect((await call(agent, gateway, 'GET', '/stocks/NXTI')).json).toMatchObject({
      data: { quantity: 7990 },
    })
  })

  it('POST /orders: a sell adds availability', async () => {
    const reply = await call(agent, gateway, 'POST', '/orders', { name: 'QXIL', quantity: 5, type: 'sell' })
    expect(reply.json).toEqual({ data: { transaction_number: 302 } })
    expect((await call(agent, gateway, 'GET', '/stocks/QXIL')).json).toMatchObject({ data: { quantity: 5 } })
  })

  it('a buy of more than is available is 400 and uses up no transaction number', async () => {
    const refused = await call(agent, gateway, 'POST', '/orders', { name: 'QXIL', quantity: 6, type: 'buy' })
    expect(refused.status).toBe(400)
    expect(refused.json).toEqual({
      error: { code: 400, message: 'quantity exceeds availability: 6 requested, 5 available' },
    })
    const next = await call(agent, gateway, 'POST', '/orders', { name: 'QXIL', quantity: 5, type: 'buy' })
    expect(next.json).toEqual({ data: { transaction_number: 303 } })
  })

  it('an order for an unknown stock is 404, relayed from the catalog through the order service', async () => {
    const reply = await call(agent, gateway, 'POST', '/orders', { name: 'NOPE', quantity: 1, type: 'buy' })
    expect(reply.status).toBe(404)
    expect(reply.json).toEqual({ error: { code: 404, message: 'stock not found' } })
  })

  it.each([
    ['invalid JSON', '{"name":"NXTI",', 'body must be valid JSON'],
    ['a JSON array', '[]', 'body must be a JSON object'],
    ['a missing name', { quantity: 1, type: 'buy' }, 'name is required'],
    ['a missing quantity', { name: 'NXTI', type: 'buy' }, 'quantity is required'],
    ['a missing type', { name: 'NXTI', quantity: 1 }, 'type is required'],
    ['a non-integer quantity', { name: 'NXTI', quantity: 2.5, type: 'buy' }, 'quantity must be an integer'],
    [
      'a quantity given as a string',
      { name: 'NXTI', quantity: '2', type: 'buy' },
      'quantity must be an integer',
    ],
    ['a zero quantity', { name: 'NXTI', quantity: 0, type: 'buy' }, 'quantity must be a positive integer'],
    [
      'a negative quantity',
      { name: 'NXTI', quantity: -3, type: 'sell' },
      'quantity must be a positive integer',
    ],
    ['an unknown type', { name: 'NXTI', quantity: 1, type: 'short' }, 'type must be "buy" or "sell"'],
  ])('an order with %s is 400 naming the field', async (_label, body, message) => {
    const reply = await call(agent, gateway, 'POST', '/orders', body)
    expect(reply.status).toBe(400)
    expect(reply.json).toEqual({ error: { code: 400, message } })
  })

  it('a body over the 1 KiB limit is 413', async () => {
    const reply = await call(agent, gateway, 'POST', '/orders', {
      name: 'NXTI',
      quantity: 1,
      type: 'buy',
      pad: 'x'.repeat(2000),
    })
    expect(reply.status).toBe(413)
  })

  it('the order and catalog services answer directly too', async () => {
    const [catalogUrl, orderUrl] = urls
    const quote = await call(agent, catalogUrl!, 'GET', '/catalog/stocks/SOLBIO')
    expect(quote.json).toEqual({ data: { name: 'SOLBIO', price: 100.9, quantity: 1000 } })
    const placed = await call(agent, orderUrl!, 'POST', '/order/orders', {
      name: 'SOLBIO',
      quantity: 1,
      type: 'buy',
    })
    expect(placed.json).toEqual({ data: { transaction_number: 304 } })
    const traded = await call(agent, catalogUrl!, 'POST', '/catalog/orders', {
      name: 'SOLBIO',
      quantity: 1,
      type: 'sell',
    })
    expect(traded.json).toEqual({ data: { name: 'SOLBIO', price: 100.9, quantity: 1000, volume: 2 } })
  })

  it('an unknown path is 404 and a wrong method is 405', async () => {
    expect((await call(agent, gateway, 'GET', '/nowhere')).status).toBe(404)
    const wrongMethod = await call(agent, gateway, 'DELETE', '/orders')
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.allow).toContain('POST')
  })
})

describe('gateway with curl', () => {
  it('GET /stocks/NXTI', async () => {
    const reply = await curl([`${gateway}/stocks/NXTI`])
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({ data: { name: 'NXTI', price: 210.19, quantity: 7990 } })
  })

  it('GET /stocks/NOPE → 404', async () => {
    const reply = await curl([`${gateway}/stocks/NOPE`])
    expect(reply.status).toBe(404)
    expect(reply.json).toEqual({ error: { code: 404, message: 'stock not found' } })
  })

  it('POST /orders buy → the next transaction number', async () => {
    const reply = await curl([
      '-X',
      'POST',
      '-H',
      'content-type: application/json',
      '-d',
      '{"name":"NXTI","quantity":2,"type":"buy"}',
      `${gateway}/orders`,
    ])
    expect(reply.status).toBe(200)
    expect(reply.json).toEqual({ data: { transaction_number: 305 } })
  })

  it('POST /orders with a bad quantity → 400 naming the field', async () => {
    const reply = await curl(['-d', '{"name":"NXTI","quantity":"lots","type":"buy"}', `${gateway}/orders`])
    expect(reply.status).toBe(400)
    expect(reply.json).toEqual({ error: { code: 400, message: 'quantity must be an integer' } })
  })

  it('POST /orders with an oversized body → 413', async () => {
    const reply = await curl(['-d', `{"pad":"${'x'.repeat(4000)}"}`, `${gateway}/orders`])
    expect(reply.status).toBe(413)
  })
})

describe('shutdown', () => {
  it('SIGINT stops all three services and exits 0', async () => {
    const ports = urls.map((u) => Number(new URL(u).port))
    // 'close' waits for stdout to drain as well, so the last line has been read.
    const closed = once(run, 'close')
    run.kill('SIGINT')
    const [code] = await closed
    expect(code).toBe(0)
    expect(lines.at(-1)).toBe('stopped')
    for (const port of ports) expect(await portAccepts(port)).toBe(false)
  })
})
