import { describe, expect, it } from 'vitest'
import { latin1, toLatin1 } from './bytes.ts'
import { ResponseReader } from './response-reader.ts'

function feed(text: string, methods: string[] = [], byteByByte = false): ResponseReader {
  const r = new ResponseReader(methods)
  const bytes = latin1(text)
  if (byteByByte) for (let i = 0; i < bytes.length; i++) r.push(bytes.subarray(i, i + 1))
  else r.push(bytes)
  return r
}

const CL = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'
const CHUNKED =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n'

describe('ResponseReader', () => {
  it('reads a Content-Length response', () => {
    const r = feed(CL)
    expect(r.error).toBeNull()
    expect(r.responses).toHaveLength(1)
    expect(r.responses[0]!.status).toBe(200)
    expect(r.responses[0]!.reason).toBe('OK')
    expect(toLatin1(r.responses[0]!.body)).toBe('hello')
    expect(r.midMessage).toBe(false)
  })

  it('reads chunked bodies with extensions and trailers', () => {
    const r = feed(CHUNKED)
    expect(r.error).toBeNull()
    expect(toLatin1(r.responses[0]!.body)).toBe('hello world')
    expect(r.responses[0]!.trailers).toEqual([['X-T', '1']])
    expect(r.responses[0]!.framing).toBe('chunked')
  })

  it('gives the same result fed one byte at a time', () => {
    const r = feed(CL + CHUNKED, [], true)
    expect(r.error).toBeNull()
    expect(r.responses.map((x) => toLatin1(x.body))).toEqual(['hello', 'hello world'])
  })

  it('reads several pipelined responses from one chunk, in order', () => {
    const r = feed(`${CL}HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n${CHUNKED}`)
    expect(r.responses.map((x) => x.status)).toEqual([200, 404, 200])
  })

  it('reads a close-delimited body only when the stream ends', () => {
    const r = feed('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end')
    expect(r.responses).toHaveLength(0)
    expect(r.midMessage).toBe(true)
    r.end()
    expect(r.responses).toHaveLength(1)
    expect(toLatin1(r.responses[0]!.body)).toBe('until the end')
    expect(r.responses[0]!.framing).toBe('close')
  })

  it('knows HEAD responses, 204 and 304 have no body', () => {
    const r = feed(
      'HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 3\r\n\r\n',
      ['HEAD', 'GET', 'GET'],
    )
    expect(r.error).toBeNull()
    expect(r.responses.map((x) => [x.status, x.body.length])).toEqual([
      [200, 0],
      [204, 0],
      [304, 0],
    ])
  })

  it('attaches 100 Continue to the final response that follows', () => {
    const r = feed(`HTTP/1.1 100 Continue\r\n\r\n${CL}`)
    expect(r.responses).toHaveLength(1)
    expect(r.responses[0]!.interim.map((i) => i.status)).toEqual([100])
    expect(r.interims).toHaveLength(1)
  })

  it('stops parsing after 101 and keeps the rest as tunnel bytes', () => {
    const r = feed('HTTP/1.1 101 Switching Protocols\r\nUpgrade: foo\r\n\r\n\x00\x01binary')
    expect(r.responses[0]!.status).toBe(101)
    expect(r.stopped).toBe(true)
    expect(toLatin1(r.tunnel)).toBe('\x00\x01binary')
  })

  it('treats a 2xx to CONNECT as a tunnel', () => {
    const r = feed('HTTP/1.1 200 Connection Established\r\n\r\ntunnel', ['CONNECT'])
    expect(r.responses[0]!.framing).toBe('switch')
    expect(toLatin1(r.tunnel)).toBe('tunnel')
  })

  it.each([
    ['bare LF', 'HTTP/1.1 200 OK\nContent-Length: 0\n\n'],
    ['bad status line', 'HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n'],
    ['no reason SP', 'HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n'],
    ['invalid Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\nhello'],
    ['CL and TE', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['chunk without CRLF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n'],
    ['obs-fold', 'HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n'],
    ['invalid field name', 'HTTP/1.1 200 OK\r\nX Y: a\r\nContent-Length: 0\r\n\r\n'],
  ])('rejects a malformed response: %s', (_name, text) => {
    expect(feed(text).error).not.toBeNull()
  })

  it('reports a response cut short by the close', () => {
    const r = feed('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel')
    r.end()
    expect(r.error).toMatch(/closed/)
    expect(r.responses).toHaveLength(0)
  })

  it('is not mid-message between complete responses', () => {
    const r = feed(CL)
    r.end()
    expect(r.error).toBeNull()
  })
})
