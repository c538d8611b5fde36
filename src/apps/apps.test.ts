import { describe, expect, it } from 'vitest'
import { get, RawClient, withBody } from '../test-support/raw-client.ts'
import { startServer } from '../test-support/server.ts'
import { APP_NAMES, createApp, isAppName } from './index.ts'

// The built-in apps of CONTRACTS.md §1 and §2, over the wire.
describe('built-in apps', () => {
  it('knows its app names', () => {
    expect([...APP_NAMES]).toEqual(['hello', 'echo', 'reflect', 'slow'])
    expect(isAppName('reflect')).toBe(true)
    expect(isAppName('nope')).toBe(false)
  })

  it('hello: GET / answers 200 text/plain Hello World; other paths 404', async () => {
    const { port } = await startServer(createApp('hello'))
    const client = await RawClient.connect(port)
    await client.send(get('/') + get('/other'))
    const [hello, other] = await client.readResponses(2)
    expect(hello!.status).toBe(200)
    expect(hello!.get('content-type')).toBe('text/plain')
    expect(hello!.text()).toBe('Hello World')
    expect(other!.status).toBe(404)
    client.destroy()
  })

  it('echo: echoes the body under its Content-Type, octet-stream without one, OK with no body', async () => {
    const { port } = await startServer(createApp('echo'))
    const client = await RawClient.connect(port)
    await client.send(
      withBody('POST', '/x', '{"a":1}', ['Content-Type: application/json']) +
        withBody('PUT', '/y', 'raw bytes') +
        get('/z'),
    )
    const [typed, untyped, empty] = await client.readResponses(3)
    expect(typed!.get('content-type')).toBe('application/json')
    expect(typed!.text()).toBe('{"a":1}')
    expect(untyped!.get('content-type')).toBe('application/octet-stream')
    expect(untyped!.text()).toBe('raw bytes')
    expect(empty!.status).toBe(200)
    expect(empty!.text()).toBe('OK')
    client.destroy()
  })

  it('reflect: method, exact target, version, raw headers in order with duplicates, trailers, base64 body', async () => {
    const { port } = await startServer(createApp('reflect'))
    const client = await RawClient.connect(port)
    await client.send(
      'PATCH /a%2Fb?c=1&c=2 HTTP/1.1\r\nHost: x\r\nX-Dup: one\r\nx-dup:  two \r\nTransfer-Encoding: chunked\r\n\r\n' +
        '5\r\nhello\r\n1;ext=1\r\n!\r\n0\r\nX-Trailer: t\r\n\r\n',
    )
    const response = await client.readResponse()
    expect(response.status).toBe(200)
    expect(response.get('content-type')).toBe('application/json')
    expect(response.json()).toEqual({
      method: 'PATCH',
      target: '/a%2Fb?c=1&c=2',
      version: '1.1',
      headers: [
        ['Host', 'x'],
        ['X-Dup', 'one'],
        ['x-dup', 'two'],
        ['Transfer-Encoding', 'chunked'],
      ],
      trailers: [['X-Trailer', 't']],
      body: Buffer.from('hello!').toString('base64'),
    })
    client.destroy()
  })

  it('reflect: an HTTP/1.0 request with no headers and no body', async () => {
    const { port } = await startServer(createApp('reflect'))
    const client = await RawClient.connect(port)
    await client.send('OPTIONS * HTTP/1.0\r\n\r\n')
    expect((await client.readResponse()).json()).toEqual({
      method: 'OPTIONS',
      target: '*',
      version: '1.0',
      headers: [],
      trailers: [],
      body: '',
    })
    await client.waitForClose()
  })

  it('slow: answers OK after ?ms=N, concurrently up to the pool size', async () => {
    const { port, server } = await startServer(createApp('slow'), { poolSize: 4 })
    const clients = await Promise.all(Array.from({ length: 4 }, () => RawClient.connect(port)))
    const started = Date.now()
    await Promise.all(clients.map((c) => c.send(get('/?ms=150'))))
    const responses = await Promise.all(clients.map((c) => c.readResponse()))
    const elapsed = Date.now() - started
    expect(responses.map((r) => r.text())).toEqual(['OK', 'OK', 'OK', 'OK'])
    // The delay is real (not skipped) ...
    expect(elapsed).toBeGreaterThanOrEqual(140)
    // ... and the four ran side by side: the pool saw them all in flight.
    expect(server.stats.pool.maxInFlight).toBe(4)
    for (const c of clients) c.destroy()
  })

  it('slow: a bad ms falls back to the default, ms=0 answers at once', async () => {
    const { port } = await startServer(createApp('slow'))
    const client = await RawClient.connect(port)
    await client.send(get('/?ms=abc') + get('/?ms=0') + withBody('POST', '/?ms=1', 'x'))
    expect((await client.readResponses(3)).map((r) => r.text())).toEqual(['OK', 'OK', 'OK'])
    client.destroy()
  })
})
