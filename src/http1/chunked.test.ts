import { describe, expect, it } from 'vitest'
import { events, expectRequest, parseEveryWay, post, req } from './test-support.ts'

const chunked = (body: string) => post(['Transfer-Encoding: chunked'], body)

/** Asserts the chunked body is rejected after the head with `code`. */
function expectBodyError(body: string, code: string, status: number, options = {}): void {
  const list = events(chunked(body), options)
  expect(list[0]?.type, JSON.stringify(list)).toBe('head')
  expect(list.filter((e) => e.type === 'end')).toEqual([])
  expect(list[list.length - 1]).toEqual({ type: 'error', code, status })
}

describe('RFC 9112 §7.1: chunk-size = 1*HEXDIG', () => {
  it('RFC 9112 §7.1: chunks are decoded and concatenated; the end carries no trailers', () => {
    const { body, trailers } = expectRequest(chunked('5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n'))
    expect(body).toBe('hello world')
    expect(trailers).toEqual([])
  })

  it.each([
    ['a', 10],
    ['A', 10],
    ['0a', 10],
    ['000A', 10],
    ['1f', 31],
    ['1F', 31],
    ['fF', 255],
    ['0000000000000000000000000000000000000000000000000000000000000010', 16],
  ])('RFC 9112 §7.1: chunk-size %j is %d bytes (either case, leading zeros)', (size, length) => {
    const data = 'd'.repeat(length)
    expect(expectRequest(chunked(`${size}\r\n${data}\r\n0\r\n\r\n`)).body).toBe(data)
  })

  it('RFC 9112 §7.1: last-chunk may have leading zeros', () => {
    expect(expectRequest(chunked('2\r\nab\r\n000\r\n\r\n')).body).toBe('ab')
  })

  it.each([
    ['0x0', 'a "0x" prefix'],
    ['0x5', 'a "0x" prefix'],
    ['+0', 'a plus sign'],
    ['-1', 'a minus sign'],
    [' 5', 'leading SP'],
    ['\t5', 'leading HTAB'],
    ['5 ', 'trailing SP'],
    ['5\t', 'trailing HTAB'],
    ['', 'an empty size'],
    ['g', 'a non-hex letter'],
    ['5g', 'a non-hex letter after digits'],
    ['20000000000000', 'a size of 2^53'],
    ['ffffffffffffffffff', 'overflow'],
    [`${'0'.repeat(70)}1`, 'more than 64 digits'],
  ])('RFC 9112 §7.1: chunk-size %j (%s) is rejected with 400', (size) => {
    expectBodyError(`${size}\r\nhello\r\n0\r\n\r\n`, 'INVALID_CHUNK_SIZE', 400)
  })

  it('RFC 9112 §7.1: the largest chunk-size, 2^53-1, is accepted and waits for its data', () => {
    const list = events(chunked('1fffffffffffff\r\nabc'))
    expect(list.map((e) => e.type)).toEqual(['head', 'body'])
    expect(list[1]).toEqual({ type: 'body', data: 'abc' })
  })
})

describe('RFC 9112 §7.1.1: chunk extensions', () => {
  it.each([
    ['5;ext'],
    ['5;ext=value'],
    ['5;ext="quoted value"'],
    ['5;ext="with \\" escaped \\\\ pair"'],
    ['5;ext=""'],
    ['5 ;ext'],
    ['5\t;\text'],
    ['5 ; ext = value'],
    ['5;ext\t=\t"v"'],
    ['5;a;b=c;d="e"'],
    ['5;a=b ;c'],
    ['5;a="b" ; c=d'],
    ["5;!#$%&'*+-.^_`|~=!#$%&'*+-.^_`|~"],
    ['5;x="obs-text \x80\xff"'],
  ])('RFC 9112 §7.1.1: the chunk line %j is accepted and the extensions ignored', (line) => {
    expect(expectRequest(chunked(`${line}\r\nhello\r\n0;last=1\r\n\r\n`)).body).toBe('hello')
  })

  it.each([
    ['5;', 'an empty name'],
    ['5;=v', 'no name'],
    ['5;a=', 'an empty value'],
    ['5;a b', 'two names without ";"'],
    ['5;a=b c', 'two values without ";"'],
    ['5;a=@', 'a non-token value'],
    ['5;a="x"y', 'bytes after the quoted string'],
    ['5;a="\x00"', 'NUL in a quoted string'],
    ['5;a="\x7f"', 'DEL in a quoted string'],
    ['5;a=b;', 'a trailing ";"'],
    ['5;a,b', 'a comma'],
    ['5;a=b\x00', 'NUL after the value'],
    ['5;a\x80', 'obs-text in the name'],
  ])('RFC 9112 §7.1.1: the chunk line %j (%s) is rejected with 400', (line) => {
    expectBodyError(`${line}\r\nhello\r\n0\r\n\r\n`, 'INVALID_CHUNK_EXTENSION', 400)
  })

  it.each([
    ['5;a \r\n', 'after a name'],
    ['5;a=b \r\n', 'after a token value'],
    ['5;a="b"\t\r\n', 'after a quoted value'],
  ])('RFC 9112 §7.1.1: whitespace %j (%s) not followed by ";" is rejected with 400', (line) => {
    expectBodyError(`${line}hello\r\n0\r\n\r\n`, 'INVALID_CHUNK_EXTENSION', 400)
  })

  it.each([
    ['5;a="x\r\n"', 'a CR inside a quoted value'],
    ['5;a="unterminated\r\n', 'an unterminated quoted value'],
  ])('RFC 9112 §7.1.1: %j (%s) is rejected with 400', (line) => {
    expectBodyError(`${line}hello\r\n0\r\n\r\n`, 'INVALID_CHUNK_EXTENSION', 400)
  })

  it('RFC 9112 §7.1.1: extensions past maxChunkExtensionsSize get 413', () => {
    const limits = { maxChunkExtensionsSize: 64 }
    expect(expectRequest(chunked(`5;a=${'v'.repeat(40)}\r\nhello\r\n0\r\n\r\n`), { limits }).body).toBe(
      'hello',
    )
    expectBodyError(`5;a=${'v'.repeat(100)}\r\nhello\r\n0\r\n\r\n`, 'CHUNK_EXTENSIONS_TOO_LARGE', 413, {
      limits,
    })
  })

  it('RFC 9112 §7.1.1: the extension limit counts every chunk of the message together', () => {
    const limits = { maxChunkExtensionsSize: 64 }
    const chunk = `1;a=${'v'.repeat(20)}\r\nx\r\n`
    expect(expectRequest(chunked(`${chunk}${chunk}0\r\n\r\n`), { limits }).body).toBe('xx')
    expectBodyError(`${chunk.repeat(4)}0\r\n\r\n`, 'CHUNK_EXTENSIONS_TOO_LARGE', 413, { limits })
  })

  it('RFC 9112 §7.1.1: an endless extension gets 413 without waiting for its end', () => {
    expectBodyError(`5;a=${'v'.repeat(300)}`, 'CHUNK_EXTENSIONS_TOO_LARGE', 413, {
      limits: { maxChunkExtensionsSize: 64 },
    })
  })

  it('RFC 9112 §7.1.1: endless whitespace after the chunk size (BWS of a chunk-ext) gets 413', () => {
    expectBodyError(`5${' '.repeat(300)}`, 'CHUNK_EXTENSIONS_TOO_LARGE', 413, {
      limits: { maxChunkExtensionsSize: 64 },
    })
  })

  it('RFC 9112 §7.1.1: the default extension limit is 16 KiB', () => {
    expect(expectRequest(chunked(`5;a=${'v'.repeat(8000)}\r\nhello\r\n0\r\n\r\n`)).body).toBe('hello')
    expectBodyError(`5;a=${'v'.repeat(17_000)}\r\nhello\r\n0\r\n\r\n`, 'CHUNK_EXTENSIONS_TOO_LARGE', 413)
  })
})

describe('RFC 9112 §7.1: chunk-data is followed by CRLF', () => {
  it.each([
    ['5\r\nhelloX\r\n0\r\n\r\n', 'data longer than declared'],
    ['5\r\nhello world\r\n0\r\n\r\n', 'data longer than declared'],
    ['5\r\nhel\r\n0\r\n\r\n', 'data shorter than declared'],
    ['5\r\nhello0\r\n\r\n', 'no CRLF after the data'],
    ['5\r\nhello\n\r0\r\n\r\n', 'LF CR after the data'],
    ['5\r\nhello\r\r\n0\r\n\r\n', 'CR CR LF after the data'],
  ])('RFC 9112 §7.1: %j (%s) is rejected with 400', (body) => {
    expectBodyError(body, 'INVALID_CHUNK_DATA_END', 400)
  })

  it('RFC 9112 §7.1: the data before a framing error is still handed out', () => {
    const list = events(chunked('5\r\nhelloX'))
    expect(list).toEqual([
      expect.objectContaining({ type: 'head' }),
      { type: 'body', data: 'hello' },
      { type: 'error', code: 'INVALID_CHUNK_DATA_END', status: 400 },
    ])
  })

  it('RFC 9112 §7.1: chunk data may contain CR, LF and any byte', () => {
    const data = '\r\n0\r\n\r\n\x00\xff'
    expect(expectRequest(chunked(`${data.length.toString(16)}\r\n${data}\r\n0\r\n\r\n`)).body).toBe(data)
  })
})

describe('RFC 9112 §7.1.2: last-chunk and trailer section', () => {
  it('RFC 9112 §7.1.2: trailer fields are returned in order, raw names kept, values trimmed', () => {
    const { body, trailers } = expectRequest(
      chunked('3\r\nabc\r\n0\r\nX-Sum: 1 \r\nx-other:\t2\r\nX-Sum: 3\r\n\r\n'),
    )
    expect(body).toBe('abc')
    expect(trailers).toEqual(['X-Sum', '1', 'x-other', '2', 'X-Sum', '3'])
  })

  it('RFC 9110 §6.5.1: framing fields in trailers do not change the framing', () => {
    const list = events(
      `${chunked('3\r\nabc\r\n0\r\nContent-Length: 5\r\nTransfer-Encoding: gzip\r\n\r\n')}${req('GET /n HTTP/1.1', 'Host: a')}`,
    )
    expect(list.map((e) => e.type)).toEqual(['head', 'body', 'end', 'head', 'end'])
  })

  it.each([
    ['Bad Name: x', 'INVALID_HEADER_NAME'],
    ['X : x', 'INVALID_HEADER_NAME'],
    [': x', 'INVALID_HEADER_NAME'],
    ['NoColon', 'INVALID_HEADER_NAME'],
    ['X-\x80: x', 'INVALID_HEADER_NAME'],
    ['X: a\x00b', 'INVALID_HEADER_VALUE'],
    ['X: a\x7fb', 'INVALID_HEADER_VALUE'],
    [' X: x', 'LEADING_WHITESPACE'],
    ['X: a\r\n b', 'OBS_FOLD'],
  ])(
    'RFC 9112 §7.1.2: the trailer line %j follows the field rules and is rejected with 400',
    (line, code) => {
      expectBodyError(`0\r\n${line}\r\n\r\n`, code, 400)
    },
  )

  it('RFC 9112 §7.1.2: the trailer section has its own field count limit (431)', () => {
    const limits = { maxHeaderCount: 3 }
    expect(expectRequest(chunked('0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n'), { limits }).trailers).toHaveLength(6)
    expectBodyError('0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n', 'TOO_MANY_HEADERS', 431, { limits })
  })

  it('RFC 9112 §7.1.2: a trailer section past maxHeadSize gets 431', () => {
    const limits = { maxHeadSize: 200 }
    expectBodyError(`0\r\nX: ${'t'.repeat(300)}\r\n\r\n`, 'HEADERS_TOO_LARGE', 431, { limits })
  })

  it('RFC 9112 §7.1.2: a trailer section that does not end is incomplete when the peer closes', () => {
    const result = parseEveryWay(chunked('0\r\nX: 1\r\n'), { finish: true })
    expect(result.finished).toEqual({ type: 'error', code: 'INCOMPLETE_MESSAGE', status: 400 })
  })
})

describe('RFC 9110 §15.5.14: chunked body size limit (413)', () => {
  const limits = { maxBodySize: 10 }

  it('RFC 9110 §15.5.14: a chunked body exactly at maxBodySize is accepted', () => {
    expect(expectRequest(chunked('5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n'), { limits }).body).toBe(
      'helloworld',
    )
  })

  it('RFC 9110 §15.5.14: a chunked body one byte over maxBodySize gets 413 at the chunk size', () => {
    const list = events(chunked('5\r\nhello\r\n6\r\nworld!\r\n0\r\n\r\n'), { limits })
    expect(list).toEqual([
      expect.objectContaining({ type: 'head' }),
      { type: 'body', data: 'hello' },
      { type: 'error', code: 'BODY_TOO_LARGE', status: 413 },
    ])
  })

  it('RFC 9110 §15.5.14: one huge chunk over the limit is refused before its data', () => {
    expectBodyError('ffffffff\r\n', 'BODY_TOO_LARGE', 413, { limits })
  })
})
