import { afterEach, describe, expect, it } from 'vitest'
import { classifyFailure, Downstream, type DownstreamOptions } from './downstream.ts'
import { closedPortUrl, type Stub, startRawStub, startSilentStub, startStub } from './test-stubs.ts'

const FAST: Omit<DownstreamOptions, 'origin'> = {
  name: 'order',
  connectTimeoutMs: 1000,
  headersTimeoutMs: 300,
  bodyTimeoutMs: 300,
}

const open: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()))
})

function client(origin: string, options: Partial<DownstreamOptions> = {}): Downstream {
  const downstream = new Downstream({ ...FAST, origin, ...options })
  open.push(downstream)
  return downstream
}

async function stub(s: Promise<Stub>): Promise<Stub> {
  const started = await s
  open.push(started)
  return started
}

describe('Downstream', () => {
  it('returns the status and parsed JSON of a reply', async () => {
    const body = '{"data":{"transaction_number":1}}'
    const s = await stub(
      startRawStub(
        `HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      ),
    )
    expect(await client(s.url).request('POST', '/order/orders', { a: 1 })).toEqual({
      status: 201,
      body: { data: { transaction_number: 1 } },
      text: body,
    })
  })

  it('keeps connections alive: ten consecutive requests do not open ten sockets', async () => {
    const body = '{"data":1}'
    const reply = `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    const s = await stub(startStub((socket) => socket.on('data', () => socket.write(reply))))
    const c = client(s.url)
    for (let i = 0; i < 10; i++) expect((await c.request('GET', '/x')).status).toBe(200)
    // The pool may hand the next request to a second socket while the first finishes its bookkeeping.
    expect(s.accepted()).toBeLessThanOrEqual(2)
  })

  it('502 when nothing listens', async () => {
    const error = await client(await closedPortUrl())
      .request('GET', '/x')
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      name: 'DownstreamError',
      status: 502,
      message: 'order service unavailable',
    })
  })

  it('502 when the peer hangs up without answering', async () => {
    const s = await stub(startStub((socket) => socket.once('data', () => socket.destroy())))
    await expect(client(s.url).request('POST', '/x', {})).rejects.toMatchObject({ status: 502 })
  })

  it('504 when the peer accepts and never answers (headers timeout)', async () => {
    const s = await stub(startSilentStub())
    const started = performance.now()
    await expect(client(s.url).request('GET', '/x')).rejects.toMatchObject({
      status: 504,
      message: 'order service timed out',
    })
    // Bounded by the configured timeout, not by anything longer (loose: the machine is shared).
    expect(performance.now() - started).toBeLessThan(5000)
  })

  it('504 when the body stalls half way (body timeout)', async () => {
    const s = await stub(startRawStub('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"data":'))
    await expect(client(s.url).request('GET', '/x')).rejects.toMatchObject({ status: 504 })
  })

  it('504 when a slow drip of body bytes outlasts the deadline', async () => {
    const s = await stub(
      startStub((socket) => {
        socket.once('data', () => {
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n')
          const drip = setInterval(() => socket.write(' '), 50)
          socket.on('close', () => clearInterval(drip))
        })
      }),
    )
    await expect(client(s.url, { deadlineMs: 400 }).request('GET', '/x')).rejects.toMatchObject({
      status: 504,
    })
  })

  it('502 when the reply is not JSON', async () => {
    const s = await stub(startRawStub('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'))
    await expect(client(s.url).request('GET', '/x')).rejects.toMatchObject({
      status: 502,
      message: 'order service sent an invalid response',
    })
  })

  it('502 when the reply is not HTTP at all', async () => {
    const s = await stub(startRawStub('SSH-2.0-OpenSSH_9.6\r\n'))
    await expect(client(s.url).request('GET', '/x')).rejects.toMatchObject({ status: 502 })
  })
})

describe('classifyFailure', () => {
  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 504],
    ['UND_ERR_HEADERS_TIMEOUT', 504],
    ['UND_ERR_BODY_TIMEOUT', 504],
    ['ECONNREFUSED', 502],
    ['ECONNRESET', 502],
    ['UND_ERR_SOCKET', 502],
  ])('%s → %i', (code, status) => {
    expect(classifyFailure('catalog', Object.assign(new Error(code), { code })).status).toBe(status)
  })

  it('treats the deadline signal firing as a timeout', () => {
    expect(classifyFailure('catalog', new DOMException('deadline', 'TimeoutError')).status).toBe(504)
  })
})
