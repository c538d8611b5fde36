import { describe, expect, it } from 'vitest'
import { RequestParser } from './parser.ts'
import { bytes, events, latin1, parseEveryWay, post, req } from './test-support.ts'
import type { ParserEvent } from './types.ts'

const A = req('GET /a HTTP/1.1', 'Host: x')
const B = post(['Content-Length: 5'], 'hello')
const C = post(['Transfer-Encoding: chunked'], '3\r\nabc\r\n0\r\nT: 1\r\n\r\n')

function targetOf(event: ParserEvent): string | undefined {
  return event.type === 'head' ? event.head.target : undefined
}

describe('RFC 9112 §9.3.2: pipelined requests come out one by one', () => {
  it('RFC 9112 §9.3.2: three requests in one chunk give their events in order', () => {
    const list = events(A + B + C)
    expect(list.map((e) => e.type)).toEqual(['head', 'end', 'head', 'body', 'end', 'head', 'body', 'end'])
    expect(list[3]).toEqual({ type: 'body', data: 'hello' })
    expect(list[6]).toEqual({ type: 'body', data: 'abc' })
    expect(list[7]).toEqual({ type: 'end', trailers: ['T', '1'] })
  })

  it('RFC 9112 §2.2: empty lines between pipelined requests are ignored', () => {
    const list = events(`${A}\r\n\r\n${B}\r\n${A}`)
    expect(list.map((e) => e.type)).toEqual(['head', 'end', 'head', 'body', 'end', 'head', 'end'])
  })

  it('RFC 9112 §9.3.2: an error in the second request comes after the first request ends', () => {
    const list = events(`${A}GET /b HTTP/1.1\r\nBad Name: x\r\n\r\n${A}`)
    expect(list.map((e) => e.type)).toEqual(['head', 'end', 'error'])
  })

  it('RFC 9112 §9.3.2: not calling next() holds the next request unread', () => {
    const parser = new RequestParser()
    parser.feed(bytes(A + A.replace('/a', '/b')))
    expect(targetOf(parser.next())).toBe('/a')
    expect(parser.next().type).toBe('end')
    // The caller pauses here: the second request stays buffered, nothing is consumed.
    expect(parser.bufferedBytes).toBe(A.length)
    expect(parser.isIdle).toBe(true)
    parser.feed(bytes(A.replace('/a', '/c')))
    expect(parser.bufferedBytes).toBe(2 * A.length)
    expect(targetOf(parser.next())).toBe('/b')
    expect(parser.next().type).toBe('end')
    expect(targetOf(parser.next())).toBe('/c')
    expect(parser.next().type).toBe('end')
    expect(parser.next().type).toBe('need-data')
    expect(parser.bufferedBytes).toBe(0)
  })

  it('RFC 9112 §6: body events are zero-copy views of the fed chunks', () => {
    const parser = new RequestParser()
    const chunk = bytes(B)
    parser.feed(chunk)
    expect(parser.next().type).toBe('head')
    const body = parser.next()
    expect(body.type).toBe('body')
    if (body.type !== 'body') return
    expect(body.data.buffer).toBe(chunk.buffer)
    expect(body.data.byteOffset).toBe(B.length - 5)
    expect(latin1(body.data)).toBe('hello')
  })
})

describe('RFC 9112 §8: the peer closing (finish)', () => {
  it.each([
    ['in the request line', 'GET /a HTT'],
    ['after the request line', 'GET /a HTTP/1.1\r\n'],
    ['in a field line', 'GET /a HTTP/1.1\r\nHost: x'],
    ['before the empty line', 'GET /a HTTP/1.1\r\nHost: x\r\n'],
    ['in the final CRLF', 'GET /a HTTP/1.1\r\nHost: x\r\n\r'],
    ['in a Content-Length body', post(['Content-Length: 5'], 'hel')],
    ['before a Content-Length body', post(['Content-Length: 5'])],
    ['in a chunk size line', post(['Transfer-Encoding: chunked'], '5;a=')],
    ['in chunk data', post(['Transfer-Encoding: chunked'], '5\r\nhe')],
    ['before the CRLF after chunk data', post(['Transfer-Encoding: chunked'], '5\r\nhello')],
    ['after the last chunk', post(['Transfer-Encoding: chunked'], '0\r\n')],
    ['in the trailer section', post(['Transfer-Encoding: chunked'], '0\r\nT: 1\r\n')],
    ['in a second pipelined request', `${A}GET /b`],
  ])('RFC 9112 §8: finish() %s gives INCOMPLETE_MESSAGE (400)', (_where, input) => {
    expect(parseEveryWay(input, { finish: true }).finished).toEqual({
      type: 'error',
      code: 'INCOMPLETE_MESSAGE',
      status: 400,
    })
  })

  it.each([
    ['before any byte', ''],
    ['after a complete request', A],
    ['after two complete requests', A + B],
    ['after trailing empty lines', `${A}\r\n\r\n`],
    ['after a trailing CR', `${A}\r`],
    ['after only empty lines', '\r\n\r\n'],
  ])('RFC 9112 §9.6: finish() %s is a clean close (need-data)', (_where, input) => {
    const parser = new RequestParser()
    if (input !== '') parser.feed(bytes(input))
    for (let e = parser.next(); e.type !== 'need-data'; e = parser.next()) expect(e.type).not.toBe('error')
    expect(parser.finish()).toEqual({ type: 'need-data' })
    if (input.length > 1) expect(parseEveryWay(input, { finish: true }).finished).toBeNull()
  })

  it('RFC 9112 §8: finish() drains events not yet pulled before judging', () => {
    const parser = new RequestParser()
    parser.feed(bytes(A))
    expect(parser.finish().type).toBe('head')
    expect(parser.finish().type).toBe('end')
    expect(parser.finish().type).toBe('need-data')
  })
})

describe('A ParseError is final', () => {
  it('after an error, next(), feed() and finish() keep returning the same error', () => {
    const parser = new RequestParser()
    parser.feed(bytes('GET / HTTP/1.1\r\nHost: a\nX'))
    const first = parser.next()
    expect(first.type).toBe('error')
    if (first.type !== 'error') return
    parser.feed(bytes(A))
    const again = parser.next()
    expect(again.type === 'error' && again.error).toBe(first.error)
    const finished = parser.finish()
    expect(finished.type === 'error' && finished.error).toBe(first.error)
  })
})
