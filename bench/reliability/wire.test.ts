import { describe, expect, it } from 'vitest'
import { ResponseReader } from './wire.ts'

describe('ResponseReader', () => {
  const bytes = Buffer.from(
    'HTTP/1.1 100 Continue\r\n\r\n' +
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' +
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n' +
      'HTTP/1.1 204 No Content\r\n\r\n' +
      'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\nbye',
    'latin1',
  )

  it('parses pipelined responses of every framing, whatever the chunk boundaries', () => {
    for (const step of [1, 2, 7, bytes.length]) {
      const reader = new ResponseReader()
      for (let i = 0; i < bytes.length; i += step) reader.feed(bytes.subarray(i, i + step))
      reader.end()
      expect(reader.error).toBeNull()
      expect(reader.responses.map((r) => [r.status, r.body.toString()])).toEqual([
        [200, 'ok'],
        [200, 'abcde'],
        [204, ''],
        [503, 'bye'],
      ])
      expect(reader.responses[3]!.headers.get('connection')).toBe('close')
    }
  })

  it('reports a response cut short and bytes that are not a response', () => {
    const cut = new ResponseReader()
    cut.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab'))
    cut.end()
    expect(cut.error).toMatch(/middle of a response/)
    const junk = new ResponseReader()
    junk.feed(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))
    expect(junk.error).toMatch(/bad status line/)
  })
})
