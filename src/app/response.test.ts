import { describe, expect, it } from 'vitest'
import { get, RawClient } from '../test-support/raw-client.ts'
import { deferred, startServer } from '../test-support/server.ts'
import { App } from './app.ts'
import { Response } from './response.ts'

async function* chunks(...parts: Array<string | Uint8Array>): AsyncIterable<Uint8Array | string> {
  for (const part of parts) {
    await Promise.resolve()
    yield part
  }
}

function app(): App {
  return new App()
    .get('/string', () => new Response(200, 'héllo'))
    .get('/bytes', () => new Response(200, new Uint8Array([0, 1, 2, 255])))
    .get('/json', () => new Response(201, { a: [1, 'two', null] }))
    .get('/typed', () => new Response(200, '<p>', { 'Content-Type': 'text/html' }))
    .get('/empty', () => new Response(204))
    .get('/stream', () => new Response(200, chunks('ab', new Uint8Array([0x63]), '', 'def')))
    .get(
      '/framing',
      () =>
        new Response(200, 'abc', [
          ['Content-Length', '99'],
          ['Transfer-Encoding', 'gzip'],
        ]),
    )
    .get('/crlf', () => new Response(200, 'x', { 'X-Bad': 'a\r\nSet-Cookie: evil=1' }))
    .get('/badname', () => new Response(200, 'x', [['Bad Name', 'v']]))
    .get('/multi', () => new Response(200, 'x', { 'Set-Cookie': ['a=1', 'b=2'] }))
}

describe('Response', () => {
  it('sends a string as UTF-8 text/plain with Content-Length', async () => {
    const { port } = await startServer(app())
    const client = await RawClient.connect(port)
    await client.send(get('/string'))
    const r = await client.readResponse()
    expect(r.framing).toBe('length')
    expect(r.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(r.get('content-length')).toBe(String(Buffer.byteLength('héllo')))
    expect(r.text()).toBe('héllo')
    expect(r.get('date')).toMatch(/GMT$/)
    client.destroy()
  })

  it('sends bytes as application/octet-stream, objects as JSON, and keeps a handler Content-Type', async () => {
    const { port } = await startServer(app())
    const client = await RawClient.connect(port)
    await client.send(get('/bytes') + get('/json') + get('/typed'))
    const [bytes, json, typed] = await client.readResponses(3)
    expect(bytes!.get('content-type')).toBe('application/octet-stream')
    expect([...bytes!.body]).toEqual([0, 1, 2, 255])
    expect(json!.status).toBe(201)
    expect(json!.get('content-type')).toBe('application/json')
    expect(json!.json()).toEqual({ a: [1, 'two', null] })
    expect(typed!.get('content-type')).toBe('text/html')
    expect(typed!.headers.filter(([n]) => n.toLowerCase() === 'content-type')).toHaveLength(1)
    client.destroy()
  })

  it('sends 204 with neither body nor Content-Length', async () => {
    const { port } = await startServer(app())
    const client = await RawClient.connect(port)
    await client.send(get('/empty') + get('/string'))
    const [empty, next] = await client.readResponses(2)
    expect(empty!.status).toBe(204)
    expect(empty!.get('content-length')).toBeUndefined()
    expect(empty!.get('transfer-encoding')).toBeUndefined()
    expect(next!.text()).toBe('héllo')
    client.destroy()
  })

  it('sends an async iterable chunked to HTTP/1.1 and keeps the connection', async () => {
    const { port } = await startServer(app())
    const client = await RawClient.connect(port)
    await client.send(get('/stream'))
    const r = await client.readResponse()
    expect(r.framing).toBe('chunked')
    expect(r.get('content-length')).toBeUndefined()
    expect(r.text()).toBe('abcdef')
    expect(r.get('connection')).toBe('keep-alive')
    await client.send(get('/string'))
    expect((await client.readResponse()).text()).toBe('héllo')
    client.destroy()
  })

  it('sends an async iterable to HTTP/1.0 delimited by close, even when keep-alive was asked (RFC 9112 §6.1)', async () => {
    const { port } = await startServer(app())
    const client = await RawClient.connect(port)
    await client.send('GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')
    await client.waitForEnd()
    const r = await client.readResponse()
    expect(r.framing).toBe('close')
    expect(r.get('transfer-encoding')).toBeUndefined()
    expect(r.get('connection')).toBe('close')
    expect(r.text()).toBe('abcdef')
    client.destroy()
  })

  it('answers HEAD for a streamed body with no body bytes', async () => {
    const { port } = await startServer(app())
    const client = await RawClient.connect(port)
    await client.send('HEAD /stream HTTP/1.1\r\nHost: t\r\n\r\n')
    const head = await client.readResponse({ head: true })
    expect(head.status).toBe(200)
    await client.send(get('/string'))
    expect((await client.readResponse()).text()).toBe('héllo')
    client.destroy()
  })

  it('owns the framing fields: a handler Content-Length or Transfer-Encoding never reaches the wire', async () => {
    const { port } = await startServer(app())
    const client = await RawClient.connect(port)
    await client.send(get('/framing') + get('/string'))
    const [r, next] = await client.readResponses(2)
    expect(r!.get('content-length')).toBe('3')
    expect(r!.get('transfer-encoding')).toBeUndefined()
    expect(r!.text()).toBe('abc')
    expect(next!.text()).toBe('héllo')
    client.destroy()
  })

  it('sends repeated fields from an array value', async () => {
    const { port } = await startServer(app())
    const client = await RawClient.connect(port)
    await client.send(get('/multi'))
    const r = await client.readResponse()
    expect(r.headers.filter(([n]) => n === 'Set-Cookie').map(([, v]) => v)).toEqual(['a=1', 'b=2'])
    client.destroy()
  })

  it('answers 500 for a header value with CR LF or an invalid name, injects nothing, and keeps the connection', async () => {
    const errors: string[] = []
    const { port } = await startServer(app(), { logger: { info() {}, error: (m) => errors.push(m) } })
    const client = await RawClient.connect(port)
    await client.send(get('/crlf') + get('/badname') + get('/string'))
    const [crlf, badName, next] = await client.readResponses(3)
    expect(crlf!.status).toBe(500)
    expect(crlf!.get('set-cookie')).toBeUndefined()
    expect(crlf!.raw.toString('latin1')).not.toContain('evil')
    expect(badName!.status).toBe(500)
    expect(next!.status).toBe(200)
    expect(next!.text()).toBe('héllo')
    expect(errors.length).toBe(2)
    client.destroy()
  })

  it('writes a slow stream chunk by chunk as the handler produces it', async () => {
    const gate = deferred()
    async function* slow(): AsyncIterable<string> {
      yield 'first'
      await gate.promise
      yield 'second'
    }
    const { port } = await startServer(new App().get('/slow', () => new Response(200, slow())))
    const client = await RawClient.connect(port)
    await client.send(get('/slow'))
    // The first chunk arrives while the handler still holds the second.
    await client.waitForBytes(1)
    const first = await waitForText(client, 'first\r\n')
    expect(first).toContain('Transfer-Encoding: chunked')
    gate.resolve()
    const r = await client.readResponse()
    expect(r.text()).toBe('firstsecond')
    client.destroy()
  })

  it('aborts a chunked body whose iterable throws: no last-chunk, the connection closes', async () => {
    async function* failing(): AsyncIterable<string> {
      yield 'partial'
      throw new Error('the source broke')
    }
    const errors: string[] = []
    const { port } = await startServer(
      new App().get('/', () => new Response(200, failing())),
      {
        logger: { info() {}, error: (m) => errors.push(m) },
      },
    )
    const client = await RawClient.connect(port)
    await client.send(get('/'))
    // A truncated chunked body is the only honest signal: a last-chunk would claim it complete.
    await expect(client.readResponse()).rejects.toThrow(/closed before a complete response/)
    expect(client.buffered.toString('latin1')).not.toContain('0\r\n\r\n')
    expect(errors).toHaveLength(1)
  })

  it('rejects statuses outside 200..999 when the Response is built', () => {
    expect(() => new Response(100)).toThrow(RangeError)
    expect(() => new Response(1000)).toThrow(RangeError)
  })
})

async function waitForText(client: RawClient, text: string): Promise<string> {
  for (let size = 1; ; size = client.buffered.length + 1) {
    const buffered = (await client.waitForBytes(size)).toString('latin1')
    if (buffered.includes(text)) return buffered
    if (!client.isOpen) throw new Error(`closed before ${JSON.stringify(text)} arrived`)
  }
}
