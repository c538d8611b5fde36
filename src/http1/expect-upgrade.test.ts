import { describe, expect, it } from 'vitest'
import { events, expectHead, parseEveryWay, req } from './test-support.ts'

describe('RFC 9110 §10.1.1: Expect', () => {
  it.each([['100-continue'], ['100-Continue'], ['100-CONTINUE'], ['  100-continue\t']])(
    'RFC 9110 §10.1.1: "Expect: %s" in HTTP/1.1 is surfaced as expectContinue',
    (value) => {
      const head = expectHead(req('PUT / HTTP/1.1', 'Host: a', `Expect: ${value}`))
      expect(head.expectContinue).toBe(true)
      expect(head.unsupportedExpect).toBeNull()
    },
  )

  it('RFC 9110 §10.1.1: the head with 100-continue comes out before any body byte arrives', () => {
    const list = events(req('PUT / HTTP/1.1', 'Host: a', 'Content-Length: 5', 'Expect: 100-continue'))
    expect(list).toHaveLength(1)
    expect(list[0]?.type === 'head' && list[0].head.expectContinue).toBe(true)
  })

  it('RFC 9110 §10.1.1: a server MUST ignore 100-continue in an HTTP/1.0 request', () => {
    const head = expectHead(req('PUT / HTTP/1.0', 'Expect: 100-continue'))
    expect(head.expectContinue).toBe(false)
    expect(head.unsupportedExpect).toBeNull()
  })

  it.each([['foo'], ['100-continue, foo'], ['200-ok'], ['']])(
    'RFC 9110 §10.1.1: "Expect: %s" is surfaced as unsupportedExpect (the server answers 417)',
    (value) => {
      const head = expectHead(req('GET / HTTP/1.1', 'Host: a', `Expect: ${value}`))
      expect(head.expectContinue).toBe(false)
      expect(head.unsupportedExpect).toBe(value)
    },
  )

  it('RFC 9110 §10.1.1: without Expect both are unset', () => {
    const head = expectHead(req('GET / HTTP/1.1', 'Host: a'))
    expect(head.expectContinue).toBe(false)
    expect(head.unsupportedExpect).toBeNull()
  })
})

describe('RFC 9112 §9.3: keepAlive from the request alone', () => {
  it.each([
    ['1.1', [], true],
    ['1.1', ['Connection: close'], false],
    ['1.1', ['Connection: CLOSE'], false],
    ['1.1', ['Connection: keep-alive'], true],
    ['1.1', ['Connection: keep-alive, close'], false],
    ['1.1', ['Connection: foo,close ,bar'], false],
    ['1.1', ['Connection: foo', 'Connection: close'], false],
    ['1.1', ['Connection: closed'], true],
    ['1.1', ['Connection: x-close'], true],
    ['1.1', ['Connection: '], true],
    ['1.0', [], false],
    ['1.0', ['Connection: keep-alive'], true],
    ['1.0', ['Connection: Keep-Alive'], true],
    ['1.0', ['Connection: foo, keep-alive'], true],
    ['1.0', ['Connection: keep-alive, close'], false],
    ['1.0', ['Connection: keep-alive', 'Connection: close'], false],
    ['1.0', ['Connection: keep-alived'], false],
    // RFC 9110 §7.6.1: each list element is a whole token; a stray byte makes it another option.
    ['1.0', ['Connection: ! keep-alive'], false],
    ['1.0', ['Connection: : keep-alive'], false],
    ['1.1', ['Connection: x close'], true],
    ['1.1', ['Connection: keep-alive ,  close '], false],
    ['1.0', ['Keep-Alive: timeout=5'], false],
  ] as const)('RFC 9112 §9.3: HTTP/%s with %j persists: %s', (version, fields, keepAlive) => {
    const host = version === '1.1' ? ['Host: a'] : []
    expect(expectHead(req(`GET / HTTP/${version}`, ...host, ...fields)).keepAlive).toBe(keepAlive)
  })
})

describe('RFC 9110 §7.8, §9.3.6: Upgrade is surfaced, CONNECT stops the parser', () => {
  it('RFC 9110 §7.8: Upgrade with "Connection: upgrade" is surfaced, and the next pipelined request is still parsed', () => {
    const input =
      req('GET /chat HTTP/1.1', 'Host: a', 'Connection: Upgrade', 'Upgrade: websocket') +
      req('GET /2 HTTP/1.1', 'Host: a')
    const result = parseEveryWay(input, { finish: true })
    expect(result.events.map((e) => e.type)).toEqual(['head', 'end', 'head', 'end'])
    const first = result.events[0]
    expect(first?.type === 'head' && first.head.upgrade).toBe('websocket')
    expect(result.finished).toBeNull()
  })

  it('RFC 9110 §7.8: an Upgrade request with a body is read to its end, then parsing goes on', () => {
    const input = `${req('POST / HTTP/1.1', 'Host: a', 'Connection: keep-alive, upgrade', 'Upgrade: h2c', 'Content-Length: 3')}abc${req('GET / HTTP/1.1', 'Host: a')}`
    const result = parseEveryWay(input)
    expect(result.events.map((e) => e.type)).toEqual(['head', 'body', 'end', 'head', 'end'])
  })

  it.each([
    [['Upgrade: websocket']],
    [['Connection: upgrade']],
    [['Connection: keep-alive', 'Upgrade: websocket']],
  ])('RFC 9110 §7.8: %j alone is not an upgrade; the next request is parsed', (fields) => {
    const list = events(req('GET / HTTP/1.1', 'Host: a', ...fields) + req('GET /2 HTTP/1.1', 'Host: a'))
    expect(list.map((e) => e.type)).toEqual(['head', 'end', 'head', 'end'])
    expect(list[0]?.type === 'head' && list[0].head.upgrade).toBeNull()
  })

  it('RFC 9110 §7.8: a server MUST ignore Upgrade in an HTTP/1.0 request', () => {
    const list = events(
      req('GET / HTTP/1.0', 'Connection: upgrade, keep-alive', 'Upgrade: websocket') + req('GET /2 HTTP/1.0'),
    )
    expect(list.map((e) => e.type)).toEqual(['head', 'end', 'head', 'end'])
    expect(list[0]?.type === 'head' && list[0].head.upgrade).toBeNull()
  })

  it('RFC 9110 §9.3.6: CONNECT is surfaced as upgrade "CONNECT", has no body, and the parser stops', () => {
    const tail = '\x16\x03\x01 TLS bytes'
    const input = req('CONNECT example.com:443 HTTP/1.1', 'Host: example.com:443', 'Content-Length: 4') + tail
    const result = parseEveryWay(input, { finish: true })
    expect(result.events.map((e) => e.type)).toEqual(['head', 'end'])
    const first = result.events[0]
    expect(first?.type === 'head' && first.head.upgrade).toBe('CONNECT')
    expect(first?.type === 'head' && first.head.framing).toEqual({ kind: 'none' })
    expect(result.buffered).toBe(tail.length)
    expect(result.finished).toBeNull()
  })
})
