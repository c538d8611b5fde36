import { describe, expect, it } from 'vitest'
import { App } from '../app/app.ts'
import { Response } from '../app/response.ts'
import { get, RawClient } from '../test-support/raw-client.ts'
import { startServer } from '../test-support/server.ts'

const hello = () => new App().get('/', () => new Response(200, 'hi'))

// RFC 9112 §9.3: persistence is decided from the request's version and Connection field.
describe('keep-alive', () => {
  it('keeps an HTTP/1.1 connection open by default and says so', async () => {
    const { port, server } = await startServer(hello())
    const client = await RawClient.connect(port)
    for (let i = 0; i < 3; i++) {
      await client.send(get('/'))
      const r = await client.readResponse()
      expect(r.text()).toBe('hi')
      expect(r.get('connection')).toBe('keep-alive')
    }
    expect(client.isOpen).toBe(true)
    expect(server.stats.connectionsAccepted).toBe(1)
    client.destroy()
  })

  it('closes an HTTP/1.1 connection after a request with Connection: close', async () => {
    const { port } = await startServer(hello())
    const client = await RawClient.connect(port)
    await client.send(get('/', ['Connection: close']))
    const r = await client.readResponse()
    expect(r.get('connection')).toBe('close')
    const closed = await client.waitForClose()
    expect(closed.ended).toBe(true)
  })

  it('recognises close among other Connection options, in any case', async () => {
    const { port } = await startServer(hello())
    const client = await RawClient.connect(port)
    await client.send(get('/', ['Connection: X-Foo, CLOSE']))
    expect((await client.readResponse()).get('connection')).toBe('close')
    await client.waitForClose()
  })

  it('closes an HTTP/1.0 connection without keep-alive', async () => {
    const { port } = await startServer(hello())
    const client = await RawClient.connect(port)
    await client.send('GET / HTTP/1.0\r\n\r\n')
    const r = await client.readResponse()
    expect(r.text()).toBe('hi')
    expect(r.get('connection')).toBe('close')
    await client.waitForClose()
  })

  it('keeps an HTTP/1.0 connection with Connection: keep-alive, until a request without it', async () => {
    const { port } = await startServer(hello())
    const client = await RawClient.connect(port)
    for (let i = 0; i < 2; i++) {
      await client.send('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n')
      const r = await client.readResponse()
      expect(r.get('connection')).toBe('keep-alive')
      expect(r.get('content-length')).toBe('2')
    }
    await client.send('GET / HTTP/1.0\r\n\r\n')
    expect((await client.readResponse()).get('connection')).toBe('close')
    await client.waitForClose()
  })

  it('reads nothing after a request with Connection: close, even if pipelined behind it (RFC 9112 §9.6)', async () => {
    let calls = 0
    const app = new App().get('/', () => {
      calls++
      return new Response(200, 'hi')
    })
    const { port } = await startServer(app)
    const client = await RawClient.connect(port)
    await client.send(get('/', ['Connection: close']) + get('/') + get('/'))
    const r = await client.readResponse()
    expect(r.get('connection')).toBe('close')
    await client.waitForClose()
    expect(client.buffered.length).toBe(0)
    expect(calls).toBe(1)
  })

  it('closes after a response whose handler set Connection: close (RFC 9112 §9.6)', async () => {
    const app = new App()
      .get('/bye', () => new Response(200, 'bye', { Connection: 'close' }))
      .get('/', () => new Response(200, 'hi'))
    const { port } = await startServer(app)
    const client = await RawClient.connect(port)
    await client.send(get('/bye') + get('/'))
    const r = await client.readResponse()
    expect(r.text()).toBe('bye')
    expect(r.headers.filter(([n]) => n.toLowerCase() === 'connection')).toEqual([['Connection', 'close']])
    await client.waitForClose()
    expect(client.buffered.length).toBe(0)
  })

  it('answers a request whose client half-closed right after sending it', async () => {
    const { port } = await startServer(hello())
    const client = await RawClient.connect(port)
    await client.send(get('/'))
    client.end()
    const r = await client.readResponse()
    expect(r.text()).toBe('hi')
    await client.waitForClose()
  })
})
