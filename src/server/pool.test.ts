import { describe, expect, it } from 'vitest'
import { App } from '../app/app.ts'
import { Response } from '../app/response.ts'
import { get, RawClient } from '../test-support/raw-client.ts'
import { deferred, startServer, until } from '../test-support/server.ts'
import { HandlerPool } from './pool.ts'

describe('HandlerPool', () => {
  it('runs at most size tasks, queues FIFO up to queueLimit, refuses past it, and counts', () => {
    const pool = new HandlerPool(2, 2)
    const started: number[] = []
    const releases: Array<() => void> = []
    const results = Array.from({ length: 6 }, (_, i) =>
      pool.submit((release) => {
        started.push(i)
        releases.push(release)
      }),
    )
    expect(results).toEqual([true, true, true, true, false, false])
    expect(started).toEqual([0, 1])
    expect(pool.stats).toMatchObject({ inFlight: 2, queued: 2, rejected: 2, completed: 0, maxInFlight: 2 })
    releases[0]!()
    releases[0]!() // a second release of the same slot is ignored
    expect(started).toEqual([0, 1, 2])
    expect(pool.stats).toMatchObject({ inFlight: 2, queued: 1, completed: 1 })
    for (let i = 1; i < releases.length; i++) releases[i]!()
    releases[releases.length - 1]!()
    expect(started).toEqual([0, 1, 2, 3])
    expect(pool.stats).toMatchObject({ inFlight: 0, queued: 0, rejected: 2, completed: 4, maxInFlight: 2 })
  })

  it('tryAcquire takes a free slot without a task, never past size, and release hands it to the first waiter', () => {
    const pool = new HandlerPool(2, 4)
    expect(pool.tryAcquire()).toBe(true)
    expect(pool.tryAcquire()).toBe(true)
    expect(pool.tryAcquire()).toBe(false)
    expect(pool.stats).toMatchObject({ inFlight: 2, maxInFlight: 2 })
    const started: string[] = []
    const releases: Array<() => void> = []
    const queued = pool.submit((release) => {
      started.push('queued')
      releases.push(release)
    })
    expect(queued).toBe(true)
    pool.release()
    // The waiter got the slot: a newcomer may not jump the queue.
    expect(started).toEqual(['queued'])
    expect(pool.tryAcquire()).toBe(false)
    expect(pool.stats).toMatchObject({ inFlight: 2, queued: 0, completed: 1 })
    releases[0]!()
    pool.release()
    expect(pool.stats).toMatchObject({ inFlight: 0, completed: 3, maxInFlight: 2 })
    expect(pool.tryAcquire()).toBe(true)
  })

  it('refuses bad sizes', () => {
    expect(() => new HandlerPool(0, 1)).toThrow(RangeError)
    expect(() => new HandlerPool(1.5, 1)).toThrow(RangeError)
    expect(() => new HandlerPool(1, -1)).toThrow(RangeError)
  })
})

describe('the handler pool over TCP', () => {
  it('never runs more than poolSize handlers at once, and runs queued ones in arrival order', async () => {
    let running = 0
    let maxRunning = 0
    const order: string[] = []
    const app = new App().get('/w/:i', async (req) => {
      running++
      maxRunning = Math.max(maxRunning, running)
      order.push(req.params.i ?? '')
      await new Promise((resolve) => setTimeout(resolve, 5))
      running--
      return new Response(200, req.params.i ?? '')
    })
    const { port, server } = await startServer(app, { poolSize: 3, queueLimit: 100 })
    const clients = await Promise.all(Array.from({ length: 12 }, () => RawClient.connect(port)))
    // Each connection pipelines a few requests, so the pool sees 36 requests from 12 sockets.
    await Promise.all(clients.map((c, i) => c.send(get(`/w/${i}a`) + get(`/w/${i}b`) + get(`/w/${i}c`))))
    for (const [i, c] of clients.entries()) {
      expect((await c.readResponses(3)).map((r) => r.text())).toEqual([`${i}a`, `${i}b`, `${i}c`])
      c.destroy()
    }
    expect(maxRunning).toBeLessThanOrEqual(3)
    expect(server.stats.pool.maxInFlight).toBe(maxRunning)
    expect(server.stats.pool).toMatchObject({ inFlight: 0, queued: 0, rejected: 0, completed: 36, size: 3 })
  })

  it('answers 503 with Retry-After past queueLimit without calling the handler, then serves the rest', async () => {
    const gate = deferred()
    const started: string[] = []
    const app = new App().get('/g/:i', async (req) => {
      started.push(req.params.i ?? '')
      await gate.promise
      return new Response(200, req.params.i ?? '')
    })
    const { port, server } = await startServer(app, { poolSize: 2, queueLimit: 3 })
    const admitted = await Promise.all(Array.from({ length: 5 }, () => RawClient.connect(port)))
    for (const [i, c] of admitted.entries()) await c.send(get(`/g/${i}`))
    await until(
      () => server.stats.pool.inFlight === 2 && server.stats.pool.queued === 3,
      'a full pool and queue',
    )

    const refused = await Promise.all(Array.from({ length: 4 }, () => RawClient.connect(port)))
    for (const [i, c] of refused.entries()) {
      await c.send(get(`/g/over${i}`))
      // Answered while the gate is still shut: the refusal does not wait for the pool.
      const r = await c.readResponse()
      expect(r.status).toBe(503)
      expect(r.get('retry-after')).toMatch(/^\d+$/)
      // The request was complete, so the connection stays usable.
      expect(r.get('connection')).toBe('keep-alive')
    }
    expect(started).toEqual(['0', '1'])
    expect(server.stats.pool).toMatchObject({ inFlight: 2, queued: 3, rejected: 4, completed: 0 })

    gate.resolve()
    for (const [i, c] of admitted.entries()) {
      expect((await c.readResponse()).text()).toBe(String(i))
      c.destroy()
    }
    expect(started).toEqual(['0', '1', '2', '3', '4'])
    expect(server.stats.pool).toMatchObject({
      inFlight: 0,
      queued: 0,
      rejected: 4,
      completed: 5,
      maxInFlight: 2,
    })

    // Once the pool has room again, a refused connection is served normally.
    await refused[0]!.send(get('/g/again'))
    expect((await refused[0]!.readResponse()).text()).toBe('again')
    for (const c of refused) c.destroy()
  })

  it('with queueLimit 0 refuses everything past poolSize', async () => {
    const gate = deferred()
    let calls = 0
    const app = new App().get('/', async () => {
      calls++
      await gate.promise
      return new Response(200, 'ok')
    })
    const { port, server } = await startServer(app, { poolSize: 1, queueLimit: 0 })
    const first = await RawClient.connect(port)
    await first.send(get('/'))
    await until(() => server.stats.pool.inFlight === 1, 'the first handler to start')
    const second = await RawClient.connect(port)
    await second.send(get('/'))
    expect((await second.readResponse()).status).toBe(503)
    gate.resolve()
    expect((await first.readResponse()).status).toBe(200)
    expect(calls).toBe(1)
    first.destroy()
    second.destroy()
  })

  it('answers 503 and closes connections past maxConnections', async () => {
    const { port, server } = await startServer(
      new App().get('/', () => new Response(200, 'ok')),
      {
        maxConnections: 1,
      },
    )
    const first = await RawClient.connect(port)
    await first.send(get('/'))
    expect((await first.readResponse()).status).toBe(200)
    const second = await RawClient.connect(port)
    const refused = await second.readResponse()
    expect(refused.status).toBe(503)
    expect(refused.get('connection')).toBe('close')
    expect(refused.get('retry-after')).toBeDefined()
    await second.waitForClose()
    expect(server.stats.connectionsRefused).toBe(1)
    first.destroy()
  })
})
