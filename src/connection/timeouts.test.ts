import { describe, expect, it } from 'vitest'
import { App } from '../app/app.ts'
import { Response } from '../app/response.ts'
import { get, RawClient } from '../test-support/raw-client.ts'
import { deferred, startServer, until } from '../test-support/server.ts'

function app(calls: string[]): App {
  return new App()
    .all(/^\/stuck/, async () => {
      calls.push('stuck')
      await new Promise(() => {})
      return new Response(200)
    })
    .all(/^/, (req) => {
      calls.push(`${req.method} ${req.path}`)
      return new Response(200, 'ok')
    })
}

// RFC 9112 §9.5 lets a server close connections it considers idle or too slow; 408 tells the
// client why (RFC 9110 §15.5.9).
describe('timeouts', () => {
  it('answers 408 and closes when the head does not arrive within the headers timeout', async () => {
    const calls: string[] = []
    const { port } = await startServer(app(calls), { timeouts: { headers: 150 } })
    const client = await RawClient.connect(port)
    await client.send('GET / HTTP/1.1\r\nHost: t\r\n')
    const response = await client.readResponse()
    expect(response.status).toBe(408)
    expect(response.get('connection')).toBe('close')
    await client.waitForClose()
    expect(calls).toEqual([])
  })

  it('counts the headers timeout from the first byte: a slow drip does not extend it', async () => {
    const calls: string[] = []
    const { port } = await startServer(app(calls), { timeouts: { headers: 200, keepAlive: 10_000 } })
    const client = await RawClient.connect(port)
    const drip = `GET / HTTP/1.1\r\nX-Slow: ${'a'.repeat(200)}`
    // Bounded: at most 200 bytes, 10 ms apart, so the drip would last about 2 s uncut.
    for (let i = 0; i < drip.length && client.isOpen && client.buffered.length === 0; i++) {
      await client.send(drip[i]!)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const response = await client.readResponse()
    expect(response.status).toBe(408)
    await client.waitForClose()
    expect(calls).toEqual([])
  })

  it('answers 408 and closes when the body stalls past the request timeout', async () => {
    const calls: string[] = []
    const { port } = await startServer(app(calls), { timeouts: { request: 150 } })
    const client = await RawClient.connect(port)
    await client.send('POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc')
    const response = await client.readResponse()
    expect(response.status).toBe(408)
    expect(response.get('connection')).toBe('close')
    await client.waitForClose()
    expect(calls).toEqual([])
  })

  it('closes an idle keep-alive connection after the keep-alive timeout, without a response', async () => {
    const calls: string[] = []
    const { port, server } = await startServer(app(calls), { timeouts: { keepAlive: 150 } })
    const client = await RawClient.connect(port)
    await client.send(get('/'))
    expect((await client.readResponse()).get('connection')).toBe('keep-alive')
    const closed = await client.waitForClose()
    expect(closed.ended).toBe(true)
    expect(client.buffered.length).toBe(0)
    await until(() => server.stats.connections === 0, 'the server to drop the connection')
  })

  it('closes a connection that never sends a byte after the keep-alive timeout', async () => {
    const { port } = await startServer(app([]), { timeouts: { keepAlive: 150 } })
    const client = await RawClient.connect(port)
    const closed = await client.waitForClose()
    expect(closed.ended).toBe(true)
    expect(client.buffered.length).toBe(0)
  })

  it('does not time out a connection waiting on its handler', async () => {
    const gate = deferred()
    const slow = new App().get('/', async () => {
      await gate.promise
      return new Response(200, 'late')
    })
    const { port } = await startServer(slow, { timeouts: { keepAlive: 100, headers: 100 } })
    const client = await RawClient.connect(port)
    await client.send(get('/'))
    // Longer than both timeouts; the connection must still be there.
    await expect(client.waitForEnd(300)).rejects.toThrow(/timed out/)
    gate.resolve()
    expect((await client.readResponse()).text()).toBe('late')
    client.destroy()
  })

  it('answers 503 when a handler exceeds the handler timeout, and keeps the connection', async () => {
    const calls: string[] = []
    const { port, server } = await startServer(app(calls), { timeouts: { handler: 100 } })
    const client = await RawClient.connect(port)
    await client.send(get('/stuck') + get('/after'))
    const [stuck, after] = await client.readResponses(2)
    expect(stuck!.status).toBe(503)
    expect(after!.text()).toBe('ok')
    expect(server.stats.pool.inFlight).toBe(0)
    client.destroy()
  })
})
