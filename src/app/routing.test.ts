import { describe, expect, it } from 'vitest'
import { exchange, get, RawClient, withBody } from '../test-support/raw-client.ts'
import { startServer } from '../test-support/server.ts'
import { App } from './app.ts'
import { HttpError } from './errors.ts'
import { Response } from './response.ts'
import type { Routes } from './router.ts'

function table(): Routes {
  return {
    Reverse: {
      pattern: /^\/reverse$/,
      method: 'GET',
      handler: (req) => new Response(200, [...(req.query.get('s') ?? '')].reverse().join('')),
    },
    Stock: {
      pattern: '/stocks/:name',
      method: 'GET',
      handler: async (req) => new Response(200, { name: req.params.name ?? null }),
    },
    Order: {
      pattern: /^\/orders\/(?<id>\d+)\/lines\/(\d+)$/,
      method: 'GET',
      handler: (req) => new Response(200, { ...req.params }),
    },
    StockPut: { pattern: '/stocks/:name', method: 'PUT', handler: () => new Response(204) },
    First: { pattern: /^\/order-test$/, method: 'GET', handler: () => new Response(200, 'first') },
    Second: { pattern: /^\/order-/, method: 'GET', handler: () => new Response(200, 'second') },
    Throws: {
      pattern: '/throw',
      method: 'GET',
      handler: () => {
        throw new Error('secret detail')
      },
    },
    Rejects: { pattern: '/reject', method: 'GET', handler: () => Promise.reject(new Error('secret detail')) },
    Teapot: {
      pattern: '/teapot',
      method: 'GET',
      handler: () => {
        throw new HttpError(418, 'short and stout', [['X-Pot', 'brewing']])
      },
    },
    NotResponse: {
      pattern: '/not-a-response',
      method: 'GET',
      handler: () => 'oops' as unknown as Response,
    },
    Purge: { pattern: '/cache', method: 'PURGE', handler: () => new Response(200, 'purged') },
  }
}

describe('routing', () => {
  it('runs the matching route and answers 404 for a path nothing matches', async () => {
    const { port } = await startServer(table())
    const client = await RawClient.connect(port)
    await client.send(get('/reverse?s=abc'))
    const ok = await client.readResponse()
    expect(ok.status).toBe(200)
    expect(ok.text()).toBe('cba')
    await client.send(get('/nowhere'))
    const missing = await client.readResponse()
    expect(missing.status).toBe(404)
    // A 404 is an ordinary answer: the connection stays usable.
    expect(missing.get('connection')).toBe('keep-alive')
    await client.send(get('/reverse?s=xy'))
    expect((await client.readResponse()).text()).toBe('yx')
    client.destroy()
  })

  it('answers 405 with the Allow list of the path, HEAD and OPTIONS included', async () => {
    const { port } = await startServer(table())
    const { response, client } = await exchange(port, withBody('POST', '/stocks/acme', 'x'))
    expect(response.status).toBe(405)
    const allow = (response.get('allow') ?? '').split(/,\s*/).sort()
    expect(allow).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT'])
    client.destroy()
  })

  it('answers OPTIONS without a route with 204 and Allow, and OPTIONS * with every method', async () => {
    const { port } = await startServer(table())
    const client = await RawClient.connect(port)
    await client.send('OPTIONS /stocks/acme HTTP/1.1\r\nHost: t\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n')
    const [path, star] = await client.readResponses(2)
    expect(path!.status).toBe(204)
    expect(path!.body.length).toBe(0)
    expect(path!.get('content-length')).toBeUndefined()
    expect((path!.get('allow') ?? '').split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT'])
    expect(star!.status).toBe(204)
    expect(star!.get('allow')).toContain('PURGE')
    expect(star!.get('allow')).toContain('DELETE')
    client.destroy()
  })

  it('serves HEAD with the GET route: same status and Content-Length, no body', async () => {
    const { port } = await startServer(table())
    const client = await RawClient.connect(port)
    await client.send(get('/reverse?s=hello'))
    const full = await client.readResponse()
    await client.send('HEAD /reverse?s=hello HTTP/1.1\r\nHost: t\r\n\r\n')
    const head = await client.readResponse({ head: true })
    expect(head.status).toBe(200)
    expect(head.get('content-length')).toBe(full.get('content-length'))
    expect(head.get('content-type')).toBe(full.get('content-type'))
    // No body bytes were sent: the next response starts right after the head.
    await client.send(get('/reverse?s=ab'))
    const next = await client.readResponse()
    expect(next.text()).toBe('ba')
    client.destroy()
  })

  it('answers 500 without details when a handler throws or its promise rejects, and keeps the connection', async () => {
    const errors: string[] = []
    const { port } = await startServer(table(), {
      logger: { info() {}, error: (message) => errors.push(message) },
    })
    const client = await RawClient.connect(port)
    for (const path of ['/throw', '/reject', '/not-a-response']) {
      await client.send(get(path))
      const response = await client.readResponse()
      expect(response.status).toBe(500)
      expect(response.text()).not.toContain('secret')
      expect(response.get('connection')).toBe('keep-alive')
    }
    await client.send(get('/reverse?s=ok'))
    expect((await client.readResponse()).text()).toBe('ko')
    expect(errors).toHaveLength(3)
    client.destroy()
  })

  it('sends the status, message and headers of a thrown HttpError', async () => {
    const { port } = await startServer(table())
    const { response, client } = await exchange(port, get('/teapot'))
    expect(response.status).toBe(418)
    expect(response.text()).toContain('short and stout')
    expect(response.get('x-pot')).toBe('brewing')
    client.destroy()
  })

  it('fills params from :name segments (percent-decoded) and from RegExp groups', async () => {
    const { port } = await startServer(table())
    const client = await RawClient.connect(port)
    await client.send(get('/stocks/ac%20me'))
    expect((await client.readResponse()).json()).toEqual({ name: 'ac me' })
    await client.send(get('/orders/42/lines/7'))
    expect((await client.readResponse()).json()).toEqual({ id: '42', '1': '42', '2': '7' })
    // A :name segment never spans a slash.
    await client.send(get('/stocks/a/b'))
    expect((await client.readResponse()).status).toBe(404)
    client.destroy()
  })

  it('takes the first matching route in declaration order', async () => {
    const { port } = await startServer(table())
    const client = await RawClient.connect(port)
    await client.send(get('/order-test'))
    expect((await client.readResponse()).text()).toBe('first')
    await client.send(get('/order-other'))
    expect((await client.readResponse()).text()).toBe('second')
    client.destroy()
  })

  it('answers 501 for a method no route and no RFC names, but routes a custom method it was given', async () => {
    const { port } = await startServer(table())
    const client = await RawClient.connect(port)
    await client.send('BREW /reverse HTTP/1.1\r\nHost: t\r\n\r\n')
    expect((await client.readResponse()).status).toBe(501)
    await client.send('PURGE /cache HTTP/1.1\r\nHost: t\r\n\r\n')
    const purged = await client.readResponse()
    expect(purged.status).toBe(200)
    expect(purged.text()).toBe('purged')
    client.destroy()
  })

  it('routes the same way with the fluent App as with a routes map', async () => {
    const app = new App()
      .get('/items/:id', (req) => new Response(200, `get ${req.params.id}`))
      .post(/^\/items$/, (req) => new Response(201, `post ${req.text()}`))
      .put('/items/:id', () => new Response(200, 'put'))
      .patch('/items/:id', () => new Response(200, 'patch'))
      .delete('/items/:id', () => new Response(204))
    const { port } = await startServer(app)
    const client = await RawClient.connect(port)
    await client.send(get('/items/9'))
    expect((await client.readResponse()).text()).toBe('get 9')
    await client.send(withBody('POST', '/items', 'abc'))
    const created = await client.readResponse()
    expect([created.status, created.text()]).toEqual([201, 'post abc'])
    for (const method of ['PUT', 'PATCH']) {
      await client.send(withBody(method, '/items/1', ''))
      expect((await client.readResponse()).text()).toBe(method.toLowerCase())
    }
    await client.send('DELETE /items/1 HTTP/1.1\r\nHost: t\r\n\r\n')
    expect((await client.readResponse()).status).toBe(204)
    await client.send(withBody('POST', '/items/1', ''))
    const notAllowed = await client.readResponse()
    expect(notAllowed.status).toBe(405)
    expect((notAllowed.get('allow') ?? '').split(/,\s*/).sort()).toEqual([
      'DELETE',
      'GET',
      'HEAD',
      'OPTIONS',
      'PATCH',
      'PUT',
    ])
    client.destroy()
  })
})
