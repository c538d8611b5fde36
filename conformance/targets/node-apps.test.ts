import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { latin1, toLatin1 } from '../wire/bytes.ts'
import { ResponseReader } from '../wire/response-reader.ts'
import { type NodeApp, startNodeApp, statusForClientError } from './node-apps.ts'

let app: NodeApp | null = null
afterEach(async () => {
  await app?.close()
  app = null
})

/**
 * Sends bytes and reads until `count` responses arrived, or (with `untilClose`) until the server
 * closes; a bounded timer stops it either way.
 */
function exchange(
  a: NodeApp,
  bytes: string,
  count: number,
  untilClose = false,
): Promise<{ reader: ResponseReader; closed: boolean }> {
  return new Promise((resolve) => {
    const reader = new ResponseReader()
    const socket = net.connect(a.port, a.host, () => socket.write(latin1(bytes)))
    let closed = false
    const timer = setTimeout(() => done(), 5000)
    const done = () => {
      clearTimeout(timer)
      socket.destroy()
      resolve({ reader, closed })
    }
    socket.on('data', (d: Buffer) => {
      reader.push(d)
      if (reader.responses.length >= count && !untilClose) done()
    })
    socket.on('end', () => {
      closed = true
      reader.end()
      done()
    })
    socket.on('error', () => done())
  })
}

describe('node:http apps', () => {
  it('reflect reports the parsed request (CONTRACTS.md §2)', async () => {
    app = await startNodeApp('reflect')
    const { reader } = await exchange(
      app,
      'POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nX-A:  v \r\n\r\nhello',
      1,
    )
    const res = reader.responses[0]!
    expect(res.status).toBe(200)
    expect(JSON.parse(toLatin1(res.body))).toEqual({
      method: 'POST',
      target: '/a?b=1',
      version: '1.1',
      headers: [
        ['Host', 'x'],
        ['Content-Length', '5'],
        ['X-A', 'v'],
      ],
      trailers: [],
      body: Buffer.from('hello').toString('base64'),
    })
  })

  it('answers pipelined requests first, then the parse error with Connection: close', async () => {
    app = await startNodeApp('reflect')
    const { reader, closed } = await exchange(
      app,
      'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /bad\x01 HTTP/1.1\r\nHost: x\r\n\r\n',
      3,
      true,
    )
    expect(reader.responses.map((r) => r.status)).toEqual([200, 200, 400])
    expect(reader.responses[2]!.headers).toContainEqual(['Connection', 'close'])
    expect(closed).toBe(true)
  })

  it('answers an error in a request body without waiting for that request', async () => {
    app = await startNodeApp('reflect')
    const { reader, closed } = await exchange(
      app,
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      1,
      true,
    )
    expect(reader.responses.map((r) => r.status)).toEqual([400])
    expect(closed).toBe(true)
  })

  it('hello, echo and slow follow the contract', async () => {
    app = await startNodeApp('hello')
    const hello = await exchange(
      app,
      'GET / HTTP/1.1\r\nHost: x\r\n\r\nDELETE / HTTP/1.1\r\nHost: x\r\n\r\n',
      2,
    )
    expect(toLatin1(hello.reader.responses[0]!.body)).toBe('Hello World')
    expect(hello.reader.responses[1]!.status).toBe(405)
    await app.close()
    app = await startNodeApp('echo')
    const echo = await exchange(
      app,
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: a/b\r\nContent-Length: 3\r\n\r\nabc',
      1,
    )
    expect(toLatin1(echo.reader.responses[0]!.body)).toBe('abc')
    expect(echo.reader.responses[0]!.headers).toContainEqual(['Content-Type', 'a/b'])
    await app.close()
    app = await startNodeApp('slow')
    const slow = await exchange(app, 'GET /?ms=1 HTTP/1.1\r\nHost: x\r\n\r\n', 1)
    expect(toLatin1(slow.reader.responses[0]!.body)).toBe('OK')
  })

  it('counts accepted connections', async () => {
    app = await startNodeApp('hello')
    await exchange(app, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 1)
    await exchange(app, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 1)
    expect(app.connectionsAccepted).toBe(2)
  })

  it("keeps node's own status choices for parse errors", () => {
    expect(statusForClientError(Object.assign(new Error('x'), { code: 'HPE_HEADER_OVERFLOW' }))).toBe(431)
    expect(
      statusForClientError(Object.assign(new Error('x'), { code: 'HPE_CHUNK_EXTENSIONS_OVERFLOW' })),
    ).toBe(413)
    expect(statusForClientError(Object.assign(new Error('x'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }))).toBe(
      408,
    )
    expect(statusForClientError(Object.assign(new Error('x'), { code: 'HPE_INVALID_METHOD' }))).toBe(400)
  })
})
