import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { App } from '../app/app.ts'
import { Response } from '../app/response.ts'
import { get, RawClient } from '../test-support/raw-client.ts'
import { startServer, until } from '../test-support/server.ts'
import { Server } from './server.ts'

const app = () =>
  new App()
    .get('/', () => new Response(200, 'ok'))
    .get('/boom', () => {
      throw new Error('boom')
    })

describe('Server', () => {
  it('start() resolves with the address bound on port 0', async () => {
    const { server, port } = await startServer(app())
    expect(port).toBeGreaterThan(0)
    expect(server.address).toEqual({ host: '127.0.0.1', port })
    expect(server.listening).toBe(true)
  })

  it('start() rejects when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const address = blocker.address()
    if (address === null || typeof address === 'string') throw new Error('no address')
    const server = new Server(app())
    try {
      await expect(server.start(address.port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/)
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
      await server.close()
    }
  })

  it('logs one line per request when given a logger, errors apart, and nothing by default', async () => {
    const lines: string[] = []
    const errors: string[] = []
    const { port } = await startServer(app(), {
      logger: { info: (line) => lines.push(line), error: (message) => errors.push(message) },
    })
    const client = await RawClient.connect(port)
    await client.send(get('/') + get('/boom') + get('/missing?q=1'))
    await client.readResponses(3)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^GET \/ 200 \d+ms$/)
    expect(lines[1]).toMatch(/^GET \/boom 500 \d+ms$/)
    expect(lines[2]).toMatch(/^GET \/missing\?q=1 404 \d+ms$/)
    expect(errors).toEqual(['handler for GET /boom failed'])
    client.destroy()
  })

  it('counts connections and requests', async () => {
    const { port, server } = await startServer(app())
    const a = await RawClient.connect(port)
    const b = await RawClient.connect(port)
    await a.send(get('/') + get('/'))
    await b.send(get('/'))
    await a.readResponses(2)
    await b.readResponse()
    expect(server.stats).toMatchObject({
      connections: 2,
      connectionsAccepted: 2,
      connectionsRefused: 0,
      requests: 3,
    })
    expect(server.stats.pool).toMatchObject({ completed: 3, inFlight: 0, queued: 0, rejected: 0 })
    a.destroy()
    b.destroy()
    await until(() => server.stats.connections === 0, 'both connections to close')
  })

  it('accepts a routes map, an App and a Router alike', async () => {
    const routes = { Root: { pattern: '/', method: 'GET', handler: () => new Response(200, 'map') } }
    for (const [table, text] of [
      [routes, 'map'],
      [new App().get('/', () => new Response(200, 'app')), 'app'],
      [new Server(new App().get('/', () => new Response(200, 'router'))).router, 'router'],
    ] as const) {
      const { port } = await startServer(table)
      const client = await RawClient.connect(port)
      await client.send(get('/'))
      expect((await client.readResponse()).text()).toBe(text)
      client.destroy()
    }
  })
})
