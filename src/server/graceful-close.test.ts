import { describe, expect, it } from 'vitest'
import { App } from '../app/app.ts'
import { Response } from '../app/response.ts'
import { bounded, get, RawClient } from '../test-support/raw-client.ts'
import { deferred, startServer, until } from '../test-support/server.ts'

function gated() {
  const gate = deferred()
  const started: string[] = []
  const app = new App()
    .get('/wait/:i', async (req) => {
      started.push(req.params.i ?? '')
      await gate.promise
      return new Response(200, `done ${req.params.i}`)
    })
    .post('/upload', (req) => new Response(200, `got ${req.body.length}`))
    .get('/stuck', () => new Promise<Response>(() => {}))
    .get('/', () => new Response(200, 'ok'))
  return { gate, started, app }
}

function settled(promise: Promise<unknown>): () => boolean {
  let done = false
  promise.then(
    () => {
      done = true
    },
    () => {
      done = true
    },
  )
  return () => done
}

describe('graceful close', () => {
  it('finishes in-flight requests, refuses new connections, then resolves', async () => {
    const { gate, started, app } = gated()
    const { port, server } = await startServer(app)
    const client = await RawClient.connect(port)
    await client.send(get('/wait/1'))
    await until(() => started.length === 1, 'the handler to start')

    const closing = server.close()
    const isClosed = settled(closing)
    await expect(RawClient.connect(port)).rejects.toThrow(/ECONNREFUSED/)
    expect(server.listening).toBe(false)
    expect(isClosed()).toBe(false)

    gate.resolve()
    const response = await client.readResponse()
    expect(response.text()).toBe('done 1')
    // The last response of a closing server says so (RFC 9112 §9.6).
    expect(response.get('connection')).toBe('close')
    await client.waitForClose()
    await bounded(closing, 2_000, 'close() to resolve')
    expect(server.stats.connections).toBe(0)
  })

  it('answers every pipelined request whose head arrived; only the last says close', async () => {
    const { gate, started, app } = gated()
    const { port, server } = await startServer(app, { poolSize: 1 })
    const client = await RawClient.connect(port)
    await client.send(get('/wait/1') + get('/wait/2') + get('/wait/3'))
    await until(() => server.stats.requests === 3, 'three request heads')
    const closing = server.close()
    gate.resolve()
    const responses = await client.readResponses(3)
    expect(responses.map((r) => r.text())).toEqual(['done 1', 'done 2', 'done 3'])
    expect(responses.map((r) => r.get('connection'))).toEqual(['keep-alive', 'keep-alive', 'close'])
    expect(started).toEqual(['1', '2', '3'])
    await client.waitForClose()
    await bounded(closing, 2_000, 'close() to resolve')
  })

  it('closes idle keep-alive connections at once, without a response', async () => {
    const { app } = gated()
    const { port, server } = await startServer(app)
    const idle = await RawClient.connect(port)
    await idle.send(get('/'))
    expect((await idle.readResponse()).get('connection')).toBe('keep-alive')
    const neverSpoke = await RawClient.connect(port)
    await until(() => server.stats.connections === 2, 'both connections to be accepted')
    const closing = server.close()
    for (const c of [idle, neverSpoke]) {
      const info = await c.waitForClose()
      expect(info.ended).toBe(true)
      expect(c.buffered.length).toBe(0)
    }
    await bounded(closing, 2_000, 'close() to resolve')
  })

  it('finishes receiving a body whose head arrived before close()', async () => {
    const { app } = gated()
    const { port, server } = await startServer(app)
    const client = await RawClient.connect(port)
    await client.send('POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\n\r\nabc')
    await until(() => server.stats.requests === 1, 'the request head')
    const closing = server.close()
    await client.send('def')
    const response = await client.readResponse()
    expect(response.text()).toBe('got 6')
    expect(response.get('connection')).toBe('close')
    await client.waitForClose()
    await bounded(closing, 2_000, 'close() to resolve')
  })

  it('resolves at once with no connection, and a second close() returns the same promise', async () => {
    const { app } = gated()
    const { server } = await startServer(app)
    const first = server.close()
    expect(server.close()).toBe(first)
    await bounded(first, 2_000, 'close() to resolve')
  })

  it('destroys connections still busy when the deadline passes', async () => {
    const { app } = gated()
    const { port, server } = await startServer(app)
    const client = await RawClient.connect(port)
    await client.send(get('/stuck'))
    await until(() => server.stats.pool.inFlight === 1, 'the stuck handler')
    const closing = server.close({ deadline: 100 })
    await bounded(closing, 2_000, 'close() to resolve after its deadline')
    await client.waitForClose()
    expect(client.buffered.length).toBe(0)
  })
})
