import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  chunkHeader,
  type HeaderPairs,
  httpDate,
  InvalidHeaderError,
  isValidFieldName,
  isValidFieldValue,
  LAST_CHUNK,
  type ResponseHeadInit,
  STATUS_REASONS,
  serializeRequest,
  serializeResponseHead,
  statusAllowsBody,
} from './serialize.ts'
import { expectRequest, latin1, post } from './test-support.ts'

const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/

function head(init: Partial<ResponseHeadInit>): string {
  return serializeResponseHead({ status: 200, headers: [], length: null, connection: null, ...init })
}

/** The field lines of a serialized head, as [name, value] pairs. */
function fieldsOf(text: string): Array<[string, string]> {
  expect(text.endsWith('\r\n\r\n')).toBe(true)
  const lines = text.slice(0, -4).split('\r\n').slice(1)
  return lines.map((line) => {
    const colon = line.indexOf(': ')
    return [line.slice(0, colon), line.slice(colon + 2)]
  })
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('RFC 9112 §4: the status line', () => {
  it.each([
    [200, 'OK'],
    [204, 'No Content'],
    [404, 'Not Found'],
    [413, 'Content Too Large'],
    [414, 'URI Too Long'],
    [431, 'Request Header Fields Too Large'],
    [501, 'Not Implemented'],
    [505, 'HTTP Version Not Supported'],
  ])('RFC 9112 §4: status %i is sent as "HTTP/1.1 %i %s"', (status, reason) => {
    expect(head({ status }).startsWith(`HTTP/1.1 ${status} ${reason}\r\n`)).toBe(true)
    expect(STATUS_REASONS[status]).toBe(reason)
  })

  it('RFC 9112 §4: a status without a known reason phrase still gets a valid status line', () => {
    expect(head({ status: 299 }).startsWith('HTTP/1.1 299 Unknown\r\n')).toBe(true)
  })

  it.each([[99], [1000], [200.5], [Number.NaN], [-200]])(
    'RFC 9110 §15: status %d is refused with InvalidHeaderError',
    (status) => {
      expect(() => head({ status })).toThrow(InvalidHeaderError)
    },
  )
})

describe('RFC 9110 §5: response field validation', () => {
  it.each([
    ['X-A\r\nInjected', 'CR LF'],
    ['X-A\n', 'LF'],
    ['X-A\r', 'CR'],
    ['X-A\0', 'NUL'],
    ['X A', 'SP'],
    ['X-A:', 'a colon'],
    ['', 'empty'],
    ['X-\u00e9', 'a non-token byte'],
    ['X-\u4e2d', 'a code unit above 0xff'],
  ])('RFC 9110 §5.1: the name %j (%s) is refused with InvalidHeaderError', (name) => {
    expect(() => head({ headers: [[name, 'v']] })).toThrow(InvalidHeaderError)
    expect(isValidFieldName(name)).toBe(false)
  })

  it.each([
    ['a\r\nSet-Cookie: x=1', 'CR LF (response splitting)'],
    ['a\nb', 'LF'],
    ['a\rb', 'CR'],
    ['a\0b', 'NUL'],
    ['a\x7fb', 'DEL'],
    ['a\x01b', 'a control character'],
    ['\u4e2d', 'a code unit above 0xff'],
  ])('RFC 9110 §5.5: the value %j (%s) is refused with InvalidHeaderError', (value) => {
    expect(() => head({ headers: [['X-A', value]] })).toThrow(InvalidHeaderError)
    expect(isValidFieldValue(value)).toBe(false)
  })

  it('RFC 9110 §5.5: VCHAR, SP, HTAB and obs-text values are written as given', () => {
    const value = 'a b\tc ~!"\u00e9\u00ff'
    expect(fieldsOf(head({ headers: [['X-A', value]] }))).toContainEqual(['X-A', value])
    expect(isValidFieldValue(value)).toBe(true)
    expect(isValidFieldName("X-!#$%&'*+-.^_`|~09")).toBe(true)
  })

  it('InvalidHeaderError has a stable code', () => {
    try {
      head({ headers: [['X', '\n']] })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidHeaderError)
      expect((error as InvalidHeaderError).code).toBe('INVALID_RESPONSE_HEADER')
    }
  })
})

describe('RFC 9112 §6: response framing fields', () => {
  it('RFC 9112 §6.2: a byte length becomes Content-Length', () => {
    const fields = fieldsOf(head({ length: 5 }))
    expect(fields).toContainEqual(['Content-Length', '5'])
    expect(fields.map(([n]) => n)).not.toContain('Transfer-Encoding')
  })

  it('RFC 9112 §6.2: a zero length is sent as Content-Length: 0', () => {
    expect(fieldsOf(head({ length: 0 }))).toContainEqual(['Content-Length', '0'])
  })

  it('RFC 9112 §7: a streamed body is sent with Transfer-Encoding: chunked and no Content-Length', () => {
    const fields = fieldsOf(head({ length: 'chunked' }))
    expect(fields).toContainEqual(['Transfer-Encoding', 'chunked'])
    expect(fields.map(([n]) => n)).not.toContain('Content-Length')
  })

  it('RFC 9112 §6.3: no length means neither framing field', () => {
    const names = fieldsOf(head({ status: 204, length: null })).map(([n]) => n.toLowerCase())
    expect(names).not.toContain('content-length')
    expect(names).not.toContain('transfer-encoding')
  })

  it("RFC 9112 §6.3: the application's own framing and Connection fields are replaced, never duplicated", () => {
    const headers: HeaderPairs = [
      ['content-length', '999'],
      ['Transfer-Encoding', 'gzip'],
      ['Connection', 'upgrade'],
      ['X-Kept', '1'],
    ]
    const fields = fieldsOf(head({ headers, length: 3, connection: 'close' }))
    expect(fields.filter(([n]) => /^(content-length|transfer-encoding|connection)$/i.test(n))).toEqual([
      ['Connection', 'close'],
      ['Content-Length', '3'],
    ])
    expect(fields).toContainEqual(['X-Kept', '1'])
  })

  it.each([
    ['keep-alive', ['Connection', 'keep-alive']],
    ['close', ['Connection', 'close']],
  ] as const)('RFC 9112 §9.3, §9.6: connection %s is sent as %j', (connection, field) => {
    expect(fieldsOf(head({ connection }))).toContainEqual(field)
  })

  it('RFC 9112 §9.3: a null connection sends no Connection field', () => {
    expect(fieldsOf(head({ connection: null })).map(([n]) => n)).not.toContain('Connection')
  })

  it('the same fields give the same head on every call, however many distinct values came between (the line cache)', () => {
    const headers: HeaderPairs = [
      ['Content-Length', '7'],
      ['ETag', '"a"'],
      ['X-Kept', '1'],
    ]
    const first = head({ headers, length: 3 })
    // Thousands of distinct values, more than the cache holds, with a bad one among them.
    for (let i = 0; i < 2000; i++) {
      expect(fieldsOf(head({ headers: [['X-Seq', String(i)]] }))).toContainEqual(['X-Seq', String(i)])
      if (i === 1000) expect(() => head({ headers: [['X-Seq', 'a\r\nb']] })).toThrow(InvalidHeaderError)
    }
    // The Date line may have moved on by a second meanwhile.
    const withoutDate = (text: string) => text.replace(/^Date: .*\r\n/m, '')
    expect(withoutDate(head({ headers, length: 3 }))).toBe(withoutDate(first))
    expect(fieldsOf(first).filter(([n]) => n === 'Content-Length')).toEqual([['Content-Length', '3']])
  })

  it('RFC 9110 §5.3: application fields keep their order and spelling', () => {
    const headers: HeaderPairs = [
      ['x-b', '2'],
      ['X-A', '1'],
      ['x-b', '3'],
    ]
    expect(fieldsOf(head({ headers })).slice(0, 3)).toEqual([
      ['x-b', '2'],
      ['X-A', '1'],
      ['x-b', '3'],
    ])
  })
})

describe('RFC 9110 §6.4.1, RFC 9112 §6.3: statusAllowsBody', () => {
  it.each([
    [100, false],
    [101, false],
    [103, false],
    [199, false],
    [200, true],
    [201, true],
    [204, false],
    [205, false],
    [206, true],
    [301, true],
    [304, false],
    [404, true],
    [500, true],
  ])('RFC 9112 §6.3: status %i allows a body: %s', (status, allowed) => {
    expect(statusAllowsBody(status)).toBe(allowed)
  })
})

describe('RFC 9110 §6.6.1: Date', () => {
  it('RFC 9110 §5.6.7: httpDate is an IMF-fixdate', () => {
    expect(httpDate(0)).toBe('Thu, 01 Jan 1970 00:00:00 GMT')
    expect(httpDate(Date.UTC(2026, 10, 25, 5, 6, 7, 890))).toBe('Wed, 25 Nov 2026 05:06:07 GMT')
    expect(httpDate()).toMatch(IMF_FIXDATE)
  })

  it('RFC 9110 §6.6.1: the Date string is formatted once per second and reused', () => {
    const format = vi.spyOn(Date.prototype, 'toUTCString')
    const second = Date.UTC(2030, 0, 1, 0, 0, 0)
    const first = httpDate(second)
    for (let ms = 0; ms < 1000; ms += 7) expect(httpDate(second + ms)).toBe(first)
    expect(format).toHaveBeenCalledTimes(1)
    expect(httpDate(second + 1000)).toBe('Tue, 01 Jan 2030 00:00:01 GMT')
    expect(format).toHaveBeenCalledTimes(2)
  })

  it('RFC 9110 §6.6.1: a Date field is added when the application sends none', () => {
    vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2031, 5, 2, 3, 4, 5))
    expect(fieldsOf(head({}))).toContainEqual(['Date', 'Mon, 02 Jun 2031 03:04:05 GMT'])
  })

  it("RFC 9110 §6.6.1: the application's own Date (any case) is kept and not duplicated", () => {
    const fields = fieldsOf(head({ headers: [['date', 'Sun, 06 Nov 1994 08:49:37 GMT']] }))
    expect(fields.filter(([n]) => n.toLowerCase() === 'date')).toEqual([
      ['date', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ])
  })
})

describe('RFC 9112 §7.1: chunk helpers', () => {
  it.each([
    [1, '1\r\n'],
    [15, 'f\r\n'],
    [16, '10\r\n'],
    [255, 'ff\r\n'],
    [65536, '10000\r\n'],
  ])('RFC 9112 §7.1: chunkHeader(%i) is %j', (size, line) => {
    expect(chunkHeader(size)).toBe(line)
  })

  it('RFC 9112 §7.1: LAST_CHUNK is the last-chunk and an empty trailer section', () => {
    expect(LAST_CHUNK).toBe('0\r\n\r\n')
  })

  it('RFC 9112 §7.1: a body written with the helpers is decoded by the parser', () => {
    const pieces = ['hello', ' ', 'x'.repeat(300), '\r\n0\r\n']
    const body = pieces.map((p) => `${chunkHeader(p.length)}${p}\r\n`).join('') + LAST_CHUNK
    expect(expectRequest(post(['Transfer-Encoding: chunked'], body)).body).toBe(pieces.join(''))
  })
})

describe('serializeRequest: serialize, then parse, gives the same message', () => {
  it('RFC 9112 §7.1: a chunked request with sizes and trailers round-trips', () => {
    const wire = serializeRequest({
      method: 'POST',
      target: '/up?x=1',
      headers: [
        ['Host', 'example.com'],
        ['Transfer-Encoding', 'chunked'],
      ],
      body: new Uint8Array(Buffer.from('hello world')),
      chunked: { sizes: [3, 1, 0], trailers: [['X-Sum', 'abc']] },
    })
    const parsed = expectRequest(wire)
    expect(parsed.head.target).toBe('/up?x=1')
    expect(parsed.body).toBe('hello world')
    expect(parsed.trailers).toEqual(['X-Sum', 'abc'])
  })

  it('RFC 9112 §3: the version defaults to HTTP/1.1 and nothing is added', () => {
    const wire = latin1(serializeRequest({ method: 'GET', target: '/', headers: [['Host', 'a']] }))
    expect(wire).toBe('GET / HTTP/1.1\r\nHost: a\r\n\r\n')
  })

  // RFC 9110 §5.6.2: token = 1*tchar
  const TCHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".split('')
  const token = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 })
  // Names the parser acts on are generated separately, so random ones cannot change the framing.
  const SPECIAL = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'expect', 'upgrade'])
  const fieldName = token.filter((name) => !SPECIAL.has(name.toLowerCase()))
  // RFC 9110 §5.5: field-value = *field-content, field-vchar = VCHAR / obs-text, with SP / HTAB inside.
  const VCHARS = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i))
  const fieldVchar = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...VCHARS) },
    { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
  )
  const fieldValue = fc
    .array(
      fc.oneof({ weight: 6, arbitrary: fieldVchar }, { weight: 1, arbitrary: fc.constantFrom(' ', '\t') }),
      {
        maxLength: 24,
      },
    )
    .map((chars) => chars.join('').replace(/^[ \t]+|[ \t]+$/g, ''))
  // RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@"; query adds "/" and "?".
  const PCHARS = "ABCxyz019-._~!$&'()*+,;=:@/?".split('')
  const pctEncoded = fc
    .tuple(fc.constantFrom(...'0123456789abcdefABCDEF'), fc.constantFrom(...'0123456789abcdefABCDEF'))
    .map(([a, b]) => `%${a}${b}`)
  const originForm = fc
    .array(
      fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...PCHARS) }, { weight: 1, arbitrary: pctEncoded }),
      {
        maxLength: 30,
      },
    )
    .map((parts) => `/${parts.join('')}`)
  // RFC 3986 §3.2.2: reg-name, with an optional port.
  const hostValue = fc
    .tuple(
      fc.string({ unit: fc.constantFrom(...'abcxyz0189-.'.split('')), minLength: 1, maxLength: 15 }),
      fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
    )
    .map(([host, port]) => (port === undefined ? host : `${host}:${port}`))

  const request = fc
    .record({
      method: token.filter((m) => m !== 'CONNECT'),
      target: originForm,
      version: fc.constantFrom('1.0' as const, '1.1' as const),
      host: hostValue,
      hostName: fc.constantFrom('Host', 'host', 'HOST'),
      fields: fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 8 }),
      body: fc.uint8Array({ maxLength: 120 }),
      chunked: fc.boolean(),
      sizes: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 6 }),
      trailers: fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 3 }),
    })
    .map((r) => ({ ...r, chunked: r.chunked && r.version === '1.1' }))

  /** The round-trip property, for any serializer with serializeRequest's signature. */
  function assertRoundTrip(serialize: typeof serializeRequest, numRuns: number): void {
    fc.assert(
      fc.property(request, (r) => {
        const headers: Array<[string, string]> = [[r.hostName, r.host], ...r.fields]
        if (r.chunked) headers.push(['Transfer-Encoding', 'chunked'])
        else if (r.body.length > 0) headers.push(['Content-Length', String(r.body.length)])
        const wire = serialize({
          method: r.method,
          target: r.target,
          version: r.version,
          headers,
          body: r.body,
          ...(r.chunked ? { chunked: { sizes: r.sizes, trailers: r.trailers } } : {}),
        })
        const parsed = expectRequest(wire)
        expect(parsed.head.method).toBe(r.method)
        expect(parsed.head.target).toBe(r.target)
        expect(parsed.head.version).toBe(r.version)
        expect(parsed.head.rawHeaders).toEqual(headers.flat())
        expect(parsed.head.authority).toBe(r.host)
        expect(parsed.head.framing.kind).toBe(r.chunked ? 'chunked' : r.body.length > 0 ? 'length' : 'none')
        expect(parsed.body).toBe(latin1(r.body))
        expect(parsed.trailers).toEqual(r.chunked ? r.trailers.flat() : [])
      }),
      { seed: 20261125, numRuns },
    )
  }

  it('RFC 9112 §3, §5, §6, §7: random requests keep method, target, version, fields, body and trailers', () => {
    assertRoundTrip(serializeRequest, 300)
  })

  it('the round-trip property fails against a serializer that lower-cases field names', () => {
    const lowerCasing: typeof serializeRequest = (init) =>
      serializeRequest({ ...init, headers: init.headers.map(([n, v]) => [n.toLowerCase(), v] as const) })
    expect(() => assertRoundTrip(lowerCasing, 100)).toThrow(/seed/)
  })
})
