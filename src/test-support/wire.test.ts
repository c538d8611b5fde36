import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { RawClient } from './raw-client.ts'
import { parseResponse } from './wire.ts'

const bytes = (text: string) => Buffer.from(text, 'latin1')

describe('the test response parser', () => {
  it('parses Content-Length, chunked with trailers, and HEAD responses, consuming exactly one', () => {
    const two = bytes(
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n1;e=1\r\nz\r\n0\r\nT: v\r\n\r\n',
    )
    const first = parseResponse(two)
    if (first.kind !== 'response') throw new Error('expected a response')
    expect(first.response.text()).toBe('abc')
    const second = parseResponse(two.subarray(first.consumed))
    if (second.kind !== 'response') throw new Error('expected a response')
    expect([second.response.status, second.response.text(), second.response.framing]).toEqual([
      201,
      'xyz',
      'chunked',
    ])
    expect(second.response.trailers).toEqual([['T', 'v']])
    const head = parseResponse(bytes('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'), { head: true })
    expect(head.kind === 'response' && head.response.body.length).toBe(0)
  })

  it('waits for more bytes rather than guessing', () => {
    expect(parseResponse(bytes('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab')).kind).toBe('incomplete')
    expect(parseResponse(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab')).kind).toBe(
      'incomplete',
    )
    expect(parseResponse(bytes('HTTP/1.1 200 OK\r\n\r\nuntil close')).kind).toBe('incomplete')
    const closed = parseResponse(bytes('HTTP/1.1 200 OK\r\n\r\nuntil close'), { eof: true })
    expect(closed.kind === 'response' && closed.response.text()).toBe('until close')
  })

  // Each checker must fail against a broken peer: these are the responses a buggy server could send.
  it('rejects malformed responses', () => {
    const broken = [
      'HTTP/1.1 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nNo colon here\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n',
    ]
    for (const response of broken) expect(() => parseResponse(bytes(response)), response).toThrow()
    expect(() =>
      parseResponse(bytes('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort'), { eof: true }),
    ).toThrow(/before the Content-Length body ended/)
  })
})

describe('RawClient against a deliberately broken server', () => {
  let server: Server | null = null
  afterEach(async () => {
    await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())))
    server = null
  })

  async function brokenServer(reply: string): Promise<number> {
    server = createServer((socket) => {
      socket.on('error', () => {})
      socket.once('data', () => socket.end(reply, 'latin1'))
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('no address')
    return address.port
  }

  it('fails when the server closes in the middle of a body', async () => {
    const port = await brokenServer('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')
    const client = await RawClient.connect(port)
    await client.send('GET / HTTP/1.1\r\nHost: t\r\n\r\n')
    await expect(client.readResponse()).rejects.toThrow(/before the Content-Length body ended/)
    client.destroy()
  })

  it('fails when the server closes without any response, instead of hanging', async () => {
    const port = await brokenServer('')
    const client = await RawClient.connect(port)
    await client.send('GET / HTTP/1.1\r\nHost: t\r\n\r\n')
    await expect(client.readResponse()).rejects.toThrow(/closed before a complete response/)
    client.destroy()
  })

  it('times out, bounded, when the server never answers', async () => {
    // It reads the request and says nothing.
    server = createServer((socket) => socket.on('error', () => {}).resume())
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('no address')
    const client = await RawClient.connect(address.port)
    await client.send('GET / HTTP/1.1\r\nHost: t\r\n\r\n')
    await expect(client.readResponse({ timeoutMs: 50 })).rejects.toThrow(/timed out after 50 ms/)
    client.destroy()
  })
})
