import { describe, expect, it } from 'vitest'
import { exchange, RawClient, withBody } from '../test-support/raw-client.ts'
import { startServer } from '../test-support/server.ts'
import { App } from './app.ts'
import type { Request } from './request.ts'
import { Response } from './response.ts'

/** Every route answers with what the handler saw, so the test asserts on the Request API over the wire. */
function seen(req: Request): Response {
  return new Response(200, {
    method: req.method,
    target: req.target,
    path: req.path,
    version: req.version,
    authority: req.authority,
    query: [...req.query.entries()],
    host: req.headers.get('HOST') ?? null,
    accept: req.headers.get('accept') ?? null,
    acceptAll: req.headers.getAll('Accept'),
    hasMissing: req.headers.has('x-missing'),
    raw: [...req.headers.raw],
    text: req.text(),
    trailers: [...req.trailers],
  })
}

describe('Request', () => {
  it('exposes method, target, path, query and version for an origin-form target', async () => {
    const { port } = await startServer(new App().all(/^/, seen))
    const { response, client } = await exchange(
      port,
      'GET /a/b?x=1&y=%20two&x=3 HTTP/1.0\r\nHost: h.example\r\nConnection: keep-alive\r\n\r\n',
    )
    expect(response.json()).toMatchObject({
      method: 'GET',
      target: '/a/b?x=1&y=%20two&x=3',
      path: '/a/b',
      version: '1.0',
      authority: 'h.example',
      query: [
        ['x', '1'],
        ['y', ' two'],
        ['x', '3'],
      ],
    })
    client.destroy()
  })

  it('takes path and authority from an absolute-form target (RFC 9112 §3.2.2)', async () => {
    const { port } = await startServer(new App().all(/^/, seen))
    const { response, client } = await exchange(
      port,
      'GET http://other.example:8080/p/q?z=9 HTTP/1.1\r\nHost: h.example\r\n\r\n',
    )
    expect(response.json()).toMatchObject({
      target: 'http://other.example:8080/p/q?z=9',
      path: '/p/q',
      authority: 'other.example:8080',
      query: [['z', '9']],
    })
    client.destroy()
  })

  it('matches routes on the path of an absolute-form target', async () => {
    const app = new App().get('/p/:id', (req) => new Response(200, req.params.id ?? ''))
    const { port } = await startServer(app)
    const { response, client } = await exchange(port, 'GET http://h/p/7?q HTTP/1.1\r\nHost: h\r\n\r\n')
    expect(response.text()).toBe('7')
    client.destroy()
  })

  it('looks headers up case-insensitively, joins duplicates, and keeps the raw order and spelling', async () => {
    const { port } = await startServer(new App().all(/^/, seen))
    const { response, client } = await exchange(
      port,
      'GET / HTTP/1.1\r\nhOsT: h\r\nAccept: text/html\r\nX-One:  1 \r\naccept: application/json\r\n\r\n',
    )
    expect(response.json()).toMatchObject({
      host: 'h',
      accept: 'text/html, application/json',
      acceptAll: ['text/html', 'application/json'],
      hasMissing: false,
      raw: ['hOsT', 'h', 'Accept', 'text/html', 'X-One', '1', 'accept', 'application/json'],
    })
    client.destroy()
  })

  it('gives the body as bytes and text(), decoded from chunked, with trailers', async () => {
    const { port } = await startServer(new App().all(/^/, seen))
    const { response, client } = await exchange(
      port,
      'POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n3\r\nlo!\r\n0\r\nX-Sum: 9\r\n\r\n',
    )
    expect(response.json()).toMatchObject({ text: 'hello!', trailers: ['X-Sum', '9'] })
    client.destroy()
    const utf8 = Buffer.from('héllo', 'utf8')
    const head = `POST /u HTTP/1.1\r\nHost: h\r\nContent-Length: ${utf8.length}\r\n\r\n`
    const second = await RawClient.connect(port)
    await second.send(Buffer.concat([Buffer.from(head, 'latin1'), utf8]))
    expect(((await second.readResponse()).json() as { text: string }).text).toBe('héllo')
    second.destroy()
  })

  it('parses json(), and answers 400 with a clear message for invalid JSON without closing', async () => {
    const app = new App().post('/j', (req) => new Response(200, { got: req.json<{ a: number }>().a }))
    const { port } = await startServer(app)
    const client = await RawClient.connect(port)
    await client.send(withBody('POST', '/j', '{"a":5}'))
    expect((await client.readResponse()).json()).toEqual({ got: 5 })
    await client.send(withBody('POST', '/j', '{"a":'))
    const bad = await client.readResponse()
    expect(bad.status).toBe(400)
    expect(bad.text()).toMatch(/invalid JSON body/)
    expect(bad.get('connection')).toBe('keep-alive')
    await client.send(withBody('POST', '/j', '{"a":6}'))
    expect((await client.readResponse()).json()).toEqual({ got: 6 })
    client.destroy()
  })

  it('streams the body to a route declared with body: stream', async () => {
    const app = new App().post(
      '/stream',
      async (req) => {
        let total = 0
        let chunks = 0
        for await (const chunk of req.stream()) {
          total += chunk.length
          chunks++
        }
        return new Response(200, { total, buffered: req.body.length, sawChunks: chunks > 0 })
      },
      { body: 'stream' },
    )
    const { port } = await startServer(app)
    const size = 300 * 1024
    const client = await RawClient.connect(port)
    await client.send(`POST /stream HTTP/1.1\r\nHost: h\r\nContent-Length: ${size}\r\n\r\n`)
    await client.send(Buffer.alloc(size, 0x61))
    expect((await client.readResponse()).json()).toEqual({ total: size, buffered: 0, sawChunks: true })
    client.destroy()
  })
})
