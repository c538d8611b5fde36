import { describe, expect, it } from 'vitest'
import { events, expectHeadError, expectRequest, post } from './test-support.ts'

describe('RFC 9112 §2.2: only CRLF ends a line in the head', () => {
  it.each([
    ['after the request line', 'GET / HTTP/1.1\nHost: a\r\n\r\n'],
    ['after a field line', 'GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n'],
    ['as the empty line ending the head', 'GET / HTTP/1.1\r\nHost: a\r\n\n'],
    ['as a leading empty line', '\nGET / HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['for every line', 'GET / HTTP/1.1\nHost: a\n\n'],
  ])('RFC 9112 §2.2: a bare LF %s is rejected with 400', (_where, input) => {
    expectHeadError(input, 'BARE_LF', 400)
  })

  it.each([
    ['in the method', 'GE\rT / HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['in the target', 'GET /\r HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['after the version', 'GET / HTTP/1.1\rHost: a\r\n\r\n'],
    ['inside the version', 'GET / HTTP/1.\r1\r\nHost: a\r\n\r\n'],
    ['in a field name', 'GET / HTTP/1.1\r\nHo\rst: a\r\n\r\n'],
    ['in a field value', 'GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n'],
    ['doubled before LF', 'GET / HTTP/1.1\r\nHost: a\r\r\n\r\n'],
    ['as the whole line before the end', 'GET / HTTP/1.1\r\nHost: a\r\n\r\r\n'],
    ['as a leading line', '\r\rGET / HTTP/1.1\r\nHost: a\r\n\r\n'],
  ])('RFC 9112 §2.2: a bare CR %s is rejected with 400', (_where, input) => {
    expectHeadError(input, 'BARE_CR', 400)
  })

  it.each([
    ['GET / HTTP/1.1\r\nHost: a\r\n\rX'],
    ['GET / HTTP/1.1\r\nHost: a\r\n\r\r'],
    ['GET / HTTP/1.1\r\nHost: a\r\n\r '],
    ['GET / HTTP/1.1\r\nHost: a\rX'],
    ['GET / HTTP/1.1\rX'],
    ['\r\n\rG'],
  ])('RFC 9112 §2.2: %j is rejected at once, without waiting for more data', (input) => {
    // No finish(): the error must come from the bytes alone, however they are split.
    expectHeadError(input, 'BARE_CR', 400)
  })

  it.each([
    ['before a bare LF', 'GET / HTTP/1.1\r\nHost: a\r\nX: a\r \n\r\n'],
    ['followed by obs-text then LF', 'GET / HTTP/1.1\r\nHost: a\r\n\r\x80\nxyz'],
    ['before an invalid Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r2\r\n\r\n'],
    ['in a line that is also one field too many', 'GET / HTTP/1.1\r\nHost: a\r\nX: \r1\r\n\r\n'],
  ])('RFC 9112 §2.2: a bare CR %s is BARE_CR however the input is split', (_where, input) => {
    const list = events(input, { limits: { maxHeaderCount: 1 } })
    expect(list[list.length - 1]).toEqual({ type: 'error', code: 'BARE_CR', status: 400 })
  })

  it.each([
    ['a bad method byte before a bare CR', 'GET;x\ry / HTTP/1.1\r\nHost: a\r\n\r\n', 'INVALID_METHOD'],
    [
      'a pipelined line that is not a request line',
      'GET / HTTP/1.1\r\nHost: a\r\n\r\n5;a=b\rhello\r\n',
      'INVALID_METHOD',
    ],
    ['a CR in the method followed by LF', 'GET\r\nHost: a\r\n\r\n', 'INVALID_METHOD'],
  ])(
    'RFC 9112 §2.2, §3: the first invalid byte in stream order decides the error: %s',
    (_where, input, code) => {
      const list = events(input)
      expect(list[list.length - 1]).toEqual({ type: 'error', code, status: 400 })
    },
  )

  it('RFC 9112 §2.2, RFC 6585 §5: a bare CR whose next byte is within the head limit wins over the limit', () => {
    const limits = { maxHeadSize: 40 }
    // "GET / HTTP/1.1\r\n" is 16 bytes and "Host: a\r\n" 9: the X line starts at byte 25.
    expect(events(`GET / HTTP/1.1\r\nHost: a\r\nX: ab\rc${'d'.repeat(40)}\r\n\r\n`, { limits })).toEqual([
      { type: 'error', code: 'BARE_CR', status: 400 },
    ])
    // The CR is byte 39; the byte after it, byte 40, is already past the limit.
    expect(
      events(`GET / HTTP/1.1\r\nHost: a\r\nX: 0123456789a\rc${'d'.repeat(40)}\r\n\r\n`, { limits }),
    ).toEqual([{ type: 'error', code: 'HEADERS_TOO_LARGE', status: 431 }])
  })

  it('RFC 9112 §2.2: "\\r\\n\\r" alone waits for the next byte instead of failing', () => {
    expect(events('GET / HTTP/1.1\r\nHost: a\r\n\r')).toEqual([])
  })
})

describe('RFC 9112 §2.2: leniency allowBareLf (opt-in)', () => {
  const leniency = { allowBareLf: true }

  it('RFC 9112 §2.2: with allowBareLf, LF-only lines are accepted in the head', () => {
    const { head } = expectRequest('\nGET /x HTTP/1.1\nHost: a\nX-A: 1\n\n', { leniency })
    expect(head.target).toBe('/x')
    expect(head.rawHeaders).toEqual(['Host', 'a', 'X-A', '1'])
  })

  it('RFC 9112 §2.2: with allowBareLf, CRLF and LF can be mixed', () => {
    const { head } = expectRequest('GET / HTTP/1.1\r\nHost: a\nX-A: 1\r\n\n', { leniency })
    expect(head.rawHeaders).toEqual(['Host', 'a', 'X-A', '1'])
  })

  it('RFC 9112 §2.2: with allowBareLf, a bare CR is still rejected', () => {
    expectHeadError('GET / HTTP/1.1\nHost: a\rb\n\n', 'BARE_CR', 400, { leniency })
    expectHeadError('GET / HTTP/1.1\nHost: a\n\rX', 'BARE_CR', 400, { leniency })
  })

  it('RFC 9112 §7.1: with allowBareLf, LF-only chunked framing is accepted', () => {
    const input = 'POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n5\nhello\n0\n\n'
    expect(expectRequest(input, { leniency }).body).toBe('hello')
  })

  it.each([
    ['5;a\nhello\n0\n\n', 'after an extension name'],
    ['5;a=b\nhello\n0\n\n', 'after an extension token value'],
    ['5;a="b"\nhello\n0\n\n', 'after a quoted extension value'],
    ['5\nhello\n0;last\n\n', 'after an extension on the last chunk'],
  ])('RFC 9112 §7.1.1: with allowBareLf, the chunk line %j (LF %s) is accepted', (body) => {
    const input = `POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n${body}`
    expect(expectRequest(input, { leniency }).body).toBe('hello')
  })

  it('RFC 9112 §7.1.1: with allowBareLf, a LF that ends an incomplete extension is still rejected', () => {
    const input = 'POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n5;a=\nhello\n0\n\n'
    const list = events(input, { leniency })
    expect(list[list.length - 1]).toMatchObject({ type: 'error', status: 400 })
  })

  it('RFC 9112 §2.2: the leniency is off by default', () => {
    expectHeadError('GET / HTTP/1.1\nHost: a\n\n', 'BARE_LF', 400, { leniency: {} })
    expectHeadError('GET / HTTP/1.1\nHost: a\n\n', 'BARE_LF', 400, { leniency: { allowBareLf: false } })
  })
})

describe('RFC 9112 §7.1, §2.2: only CRLF in chunked framing', () => {
  const chunked = (body: string) => post(['Transfer-Encoding: chunked'], body)

  it.each([
    ['after the chunk size', '5\nhello\r\n0\r\n\r\n', 'BARE_LF'],
    ['after the chunk data', '5\r\nhello\n0\r\n\r\n', 'INVALID_CHUNK_DATA_END'],
    ['after the last chunk', '5\r\nhello\r\n0\n\r\n', 'BARE_LF'],
    ['ending the trailer section', '0\r\n\n', 'BARE_LF'],
    ['after a trailer field', '0\r\nX: 1\n\r\n', 'BARE_LF'],
    ['after a chunk extension name', '5;a\nhello\r\n0\r\n\r\n', 'BARE_LF'],
    ['after a chunk extension value', '5;a=b\nhello\r\n0\r\n\r\n', 'BARE_LF'],
    ['after a quoted chunk extension value', '5;a="b"\nhello\r\n0\r\n\r\n', 'BARE_LF'],
  ] as const)('RFC 9112 §7.1: a bare LF %s is rejected with 400', (_where, body, code) => {
    const list = events(chunked(body))
    expect(list[0]?.type).toBe('head')
    expect(list[list.length - 1]).toEqual({ type: 'error', code, status: 400 })
  })

  it.each([
    ['after the chunk size', '5\rhello\r\n0\r\n\r\n', 'BARE_CR'],
    ['after the chunk data', '5\r\nhello\rX0\r\n\r\n', 'INVALID_CHUNK_DATA_END'],
    ['after the last chunk', '0\rX\r\n', 'BARE_CR'],
    ['inside the size', '1\r0\r\nhello\r\n0\r\n\r\n', 'BARE_CR'],
    ['inside an extension', '5;a\rb\r\nhello\r\n0\r\n\r\n', 'BARE_CR'],
    ['inside a quoted extension', '5;a="\r"\r\nhello\r\n0\r\n\r\n', 'INVALID_CHUNK_EXTENSION'],
    ['in a trailer value', '0\r\nX: a\rb\r\n\r\n', 'BARE_CR'],
    ['before the final CRLF', '0\r\n\rX', 'BARE_CR'],
  ] as const)('RFC 9112 §7.1: a bare CR %s is rejected with 400', (_where, body, code) => {
    const list = events(chunked(body))
    expect(list[0]?.type).toBe('head')
    expect(list[list.length - 1]).toEqual({ type: 'error', code, status: 400 })
  })
})
