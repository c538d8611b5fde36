import { describe, expect, it } from 'vitest'
import { App } from '../app/app.ts'
import { Response } from '../app/response.ts'
import { get, RawClient } from '../test-support/raw-client.ts'
import { deferred, startServer } from '../test-support/server.ts'

/** A small deterministic generator, so a failing order can be replayed. */
function lcg(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

const echoPath = () => new App().get(/^\/n\/\d+$/, (req) => new Response(200, req.path))

// RFC 9112 §9.3.2: a server MUST send its responses in the same order the requests were received.
describe('pipelining', () => {
  it('answers 50 requests sent in one write with 50 responses in order', async () => {
    const { port, server } = await startServer(echoPath())
    const client = await RawClient.connect(port)
    let batch = ''
    for (let i = 0; i < 50; i++) batch += get(`/n/${i}`)
    await client.send(batch)
    const responses = await client.readResponses(50)
    expect(responses.map((r) => r.text())).toEqual(Array.from({ length: 50 }, (_, i) => `/n/${i}`))
    expect(responses.every((r) => r.get('connection') === 'keep-alive')).toBe(true)
    expect(server.stats.requests).toBe(50)
    client.destroy()
  })

  it('keeps the order when the requests arrive split at every byte', async () => {
    const { port } = await startServer(echoPath())
    const client = await RawClient.connect(port)
    const batch = get('/n/1') + get('/n/2') + get('/n/3')
    await client.send(
      batch,
      Array.from({ length: batch.length }, (_, i) => i),
    )
    expect((await client.readResponses(3)).map((r) => r.text())).toEqual(['/n/1', '/n/2', '/n/3'])
    client.destroy()
  })

  for (const seed of [1, 7, 42]) {
    it(`keeps the order when handlers finish in random order (seed ${seed})`, async () => {
      const random = lcg(seed)
      const delays = Array.from({ length: 30 }, () => Math.floor(random() * 15))
      let concurrent = 0
      let maxConcurrent = 0
      const app = new App().get('/d/:i', async (req) => {
        concurrent++
        maxConcurrent = Math.max(maxConcurrent, concurrent)
        await new Promise((resolve) => setTimeout(resolve, delays[Number(req.params.i)]))
        concurrent--
        return new Response(200, req.params.i ?? '')
      })
      const { port } = await startServer(app, { poolSize: 8, limits: { maxPipelinedRequests: 32 } })
      const client = await RawClient.connect(port)
      await client.send(delays.map((_, i) => get(`/d/${i}`)).join(''))
      const texts = (await client.readResponses(delays.length)).map((r) => r.text())
      expect(texts).toEqual(delays.map((_, i) => String(i)))
      // The handlers really did overlap, so the order was restored by the connection.
      expect(maxConcurrent).toBeGreaterThan(1)
      client.destroy()
    })
  }

  it('answers the valid requests before an invalid one, then sends the error and closes', async () => {
    const gate = deferred()
    let calls = 0
    const app = new App().get('/slow/:i', async (req) => {
      calls++
      await gate.promise
      return new Response(200, req.params.i ?? '')
    })
    const { port } = await startServer(app, { poolSize: 4 })
    const client = await RawClient.connect(port)
    await client.send(
      `${get('/slow/1')}${get('/slow/2')}GET /bad target HTTP/1.1\r\nHost: t\r\n\r\n${get('/slow/3')}`,
    )
    // Nothing may be written before the responses owed ahead of the error.
    await expect(client.waitForBytes(1, 100)).rejects.toThrow(/timed out/)
    gate.resolve()
    const [one, two, bad] = await client.readResponses(3)
    expect(one!.text()).toBe('1')
    expect(two!.text()).toBe('2')
    expect(bad!.status).toBe(400)
    expect(bad!.get('connection')).toBe('close')
    const closed = await client.waitForClose()
    expect(closed.ended).toBe(true)
    expect(client.buffered.length).toBe(0)
    expect(calls).toBe(2)
  })

  it('reads no further than maxPipelinedRequests queued requests', async () => {
    const gate = deferred()
    const probeSeen = deferred()
    let started = 0
    const app = new App().get('/q/:i', async (req) => {
      started++
      if (req.params.i === 'probe') probeSeen.resolve()
      await gate.promise
      return new Response(200, req.params.i ?? '')
    })
    const { port, server } = await startServer(app, { poolSize: 8, limits: { maxPipelinedRequests: 3 } })
    const client = await RawClient.connect(port)
    await client.send(Array.from({ length: 12 }, (_, i) => get(`/q/${i}`)).join(''))
    // A request on a second connection reaching its handler shows the server has had the first one's bytes.
    const probe = await RawClient.connect(port)
    await probe.send(get('/q/probe'))
    await probeSeen.promise
    expect(started).toBe(3 + 1)
    expect(server.stats.requests).toBe(3 + 1)
    gate.resolve()
    const responses = await client.readResponses(12)
    expect(responses.map((r) => r.text())).toEqual(Array.from({ length: 12 }, (_, i) => String(i)))
    expect((await probe.readResponse()).text()).toBe('probe')
    client.destroy()
    probe.destroy()
  })
})

// RFC 9112 §9.3.2: pipelined requests may run in parallel only when all of them are safe.
describe('pipelining and unsafe methods', () => {
  /** A POST that changes state only after awaiting, and a GET that reads it; both count how many run at once. */
  function stateApp(log: string[]) {
    let value = 'old'
    let running = 0
    let maxRunning = 0
    const app = new App()
      .post('/value', async () => {
        running++
        maxRunning = Math.max(maxRunning, running)
        await new Promise<void>((resolve) => setImmediate(resolve))
        value = 'new'
        running--
        log.push('post')
        return new Response(204)
      })
      .get('/value', async () => {
        running++
        maxRunning = Math.max(maxRunning, running)
        await new Promise<void>((resolve) => setImmediate(resolve))
        running--
        log.push('get')
        return new Response(200, value)
      })
    return { app, maxRunning: () => maxRunning }
  }

  it('does not start a request pipelined behind an unsafe one until that handler has answered', async () => {
    const log: string[] = []
    const { app, maxRunning } = stateApp(log)
    const { port } = await startServer(app)
    const client = await RawClient.connect(port)
    await client.send(
      'POST /value HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\nGET /value HTTP/1.1\r\nHost: t\r\n\r\n',
    )
    const [post, got] = await client.readResponses(2)
    expect(post?.status).toBe(204)
    expect(got?.text()).toBe('new')
    expect(log).toEqual(['post', 'get'])
    expect(maxRunning()).toBe(1)
    client.destroy()
  })

  it('runs pipelined safe requests in parallel', async () => {
    const log: string[] = []
    const { app, maxRunning } = stateApp(log)
    const { port } = await startServer(app)
    const client = await RawClient.connect(port)
    await client.send(get('/value') + get('/value') + get('/value'))
    const responses = await client.readResponses(3)
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200])
    expect(maxRunning()).toBe(3)
    client.destroy()
  })
})
