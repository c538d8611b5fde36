import { describe, expect, it } from 'vitest'
import { PARSE_ERROR_STATUS, ParseError, type ParseErrorCode } from './errors.ts'
import { RequestParser } from './parser.ts'
import { bytes, parseEveryWay, post, req } from './test-support.ts'

/** The documented codes and their status hints. Codes are a stable interface: this table is the contract. */
const DOCUMENTED: Record<ParseErrorCode, number> = {
  BARE_LF: 400,
  BARE_CR: 400,
  INVALID_METHOD: 400,
  INVALID_REQUEST_LINE: 400,
  INVALID_TARGET: 400,
  INVALID_VERSION: 400,
  UNSUPPORTED_VERSION: 505,
  TARGET_TOO_LONG: 414,
  INVALID_HEADER_NAME: 400,
  INVALID_HEADER_VALUE: 400,
  OBS_FOLD: 400,
  LEADING_WHITESPACE: 400,
  HEADERS_TOO_LARGE: 431,
  TOO_MANY_HEADERS: 431,
  MISSING_HOST: 400,
  DUPLICATE_HOST: 400,
  INVALID_HOST: 400,
  INVALID_CONTENT_LENGTH: 400,
  CONFLICTING_CONTENT_LENGTH: 400,
  CONTENT_LENGTH_WITH_TRANSFER_ENCODING: 400,
  INVALID_TRANSFER_ENCODING: 400,
  CHUNKED_NOT_FINAL: 400,
  TRANSFER_ENCODING_IN_HTTP10: 400,
  UNSUPPORTED_TRANSFER_CODING: 501,
  INVALID_CHUNK_SIZE: 400,
  INVALID_CHUNK_EXTENSION: 400,
  CHUNK_EXTENSIONS_TOO_LARGE: 413,
  INVALID_CHUNK_DATA_END: 400,
  BODY_TOO_LARGE: 413,
  INCOMPLETE_MESSAGE: 400,
}

const chunked = (body: string) => post(['Transfer-Encoding: chunked'], body)

/** One input per code, proving every documented code is actually produced by the parser. */
const EXAMPLES: Record<ParseErrorCode, { input: string; limits?: Record<string, number>; finish?: boolean }> =
  {
    BARE_LF: { input: 'GET / HTTP/1.1\nHost: a\r\n\r\n' },
    BARE_CR: { input: 'GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n' },
    INVALID_METHOD: { input: req('G(T / HTTP/1.1', 'Host: a') },
    INVALID_REQUEST_LINE: { input: 'GET /\r\n\r\n' },
    INVALID_TARGET: { input: req('GET /a|b HTTP/1.1', 'Host: a') },
    INVALID_VERSION: { input: req('GET / HTTP/1.32', 'Host: a') },
    UNSUPPORTED_VERSION: { input: req('GET / HTTP/2.0', 'Host: a') },
    TARGET_TOO_LONG: {
      input: req(`GET /${'a'.repeat(20)} HTTP/1.1`, 'Host: a'),
      limits: { maxTargetLength: 10 },
    },
    INVALID_HEADER_NAME: { input: req('GET / HTTP/1.1', 'Host : a') },
    INVALID_HEADER_VALUE: { input: req('GET / HTTP/1.1', 'Host: a', 'X: \x00') },
    OBS_FOLD: { input: req('GET / HTTP/1.1', 'Host: a', 'X: 1', ' 2') },
    LEADING_WHITESPACE: { input: req('GET / HTTP/1.1', ' Host: a') },
    HEADERS_TOO_LARGE: {
      input: req('GET / HTTP/1.1', 'Host: a', `X: ${'x'.repeat(100)}`),
      limits: { maxHeadSize: 64 },
    },
    TOO_MANY_HEADERS: { input: req('GET / HTTP/1.1', 'Host: a', 'X: 1'), limits: { maxHeaderCount: 1 } },
    MISSING_HOST: { input: req('GET / HTTP/1.1') },
    DUPLICATE_HOST: { input: req('GET / HTTP/1.1', 'Host: a', 'Host: a') },
    INVALID_HOST: { input: req('GET / HTTP/1.1', 'Host: a b') },
    INVALID_CONTENT_LENGTH: { input: post(['Content-Length: +1'], 'a') },
    CONFLICTING_CONTENT_LENGTH: { input: post(['Content-Length: 1', 'Content-Length: 2'], 'ab') },
    CONTENT_LENGTH_WITH_TRANSFER_ENCODING: {
      input: post(['Content-Length: 1', 'Transfer-Encoding: chunked'], 'a'),
    },
    INVALID_TRANSFER_ENCODING: { input: post(['Transfer-Encoding: "chunked"']) },
    CHUNKED_NOT_FINAL: { input: post(['Transfer-Encoding: chunked, gzip']) },
    TRANSFER_ENCODING_IN_HTTP10: { input: req('POST / HTTP/1.0', 'Transfer-Encoding: chunked') },
    UNSUPPORTED_TRANSFER_CODING: { input: post(['Transfer-Encoding: gzip, chunked']) },
    INVALID_CHUNK_SIZE: { input: chunked('0x5\r\n') },
    INVALID_CHUNK_EXTENSION: { input: chunked('5;=\r\n') },
    CHUNK_EXTENSIONS_TOO_LARGE: {
      input: chunked(`5;a=${'b'.repeat(40)}\r\n`),
      limits: { maxChunkExtensionsSize: 16 },
    },
    INVALID_CHUNK_DATA_END: { input: chunked('1\r\nab') },
    BODY_TOO_LARGE: { input: post(['Content-Length: 11']), limits: { maxBodySize: 10 } },
    INCOMPLETE_MESSAGE: { input: 'GET / HTTP/1.1\r\n', finish: true },
  }

describe('ParseError codes and status hints', () => {
  it('the codes and status hints are exactly the documented ones', () => {
    expect({ ...PARSE_ERROR_STATUS }).toEqual(DOCUMENTED)
  })

  it('every status hint is one the server knows how to send (400/413/414/431/501/505)', () => {
    for (const status of Object.values(PARSE_ERROR_STATUS))
      expect([400, 413, 414, 431, 501, 505]).toContain(status)
  })

  it.each(Object.entries(EXAMPLES))('the parser produces %s with its documented status', (code, example) => {
    const options = { ...(example.limits ? { limits: example.limits } : {}), finish: example.finish === true }
    const result = parseEveryWay(example.input, options)
    const last = example.finish === true ? result.finished : result.events[result.events.length - 1]
    expect(last).toEqual({ type: 'error', code, status: DOCUMENTED[code as ParseErrorCode] })
  })

  it('ParseError is an Error with a stable code, its status hint and the stream offset', () => {
    const error = new ParseError('TARGET_TOO_LONG', 'too long', 42)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('ParseError')
    expect(error.code).toBe('TARGET_TOO_LONG')
    expect(error.statusHint).toBe(414)
    expect(error.offset).toBe(42)
    expect(error.message).toBe('too long')
    expect(new ParseError('BARE_LF', 'x').offset).toBe(-1)
  })

  it('the error offset is a position inside the bytes fed so far', () => {
    const input = 'GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n'
    const parser = new RequestParser()
    parser.feed(bytes(input))
    const event = parser.next()
    expect(event.type === 'error' && event.error.code).toBe('INVALID_HEADER_VALUE')
    if (event.type !== 'error') return
    expect(event.error.offset).toBeGreaterThanOrEqual(input.indexOf('X:'))
    expect(event.error.offset).toBeLessThanOrEqual(input.length)
  })
})
