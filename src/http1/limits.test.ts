import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from './parser.ts'
import { expectHead, expectHeadError, get, req } from './test-support.ts'

const HOST = 'Host: example.com'

describe('Parser limits: the documented defaults', () => {
  it('defaults: 16 KiB head, 100 fields, 8 KiB target, no body limit, 16 KiB of chunk extensions', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxHeadSize: 16 * 1024,
      maxHeaderCount: 100,
      maxTargetLength: 8 * 1024,
      maxBodySize: Number.POSITIVE_INFINITY,
      maxChunkExtensionsSize: 16 * 1024,
    })
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true)
  })

  it('RFC 9112 §2.2: an endless run of empty lines is bounded by the head limit', () => {
    expectHeadError('\r\n'.repeat(200), 'HEADERS_TOO_LARGE', 431, { limits: { maxHeadSize: 100 } })
  })

  it('RFC 6585 §5: a request line longer than a small maxHeadSize gets 431', () => {
    expectHeadError(req(`GET /${'a'.repeat(100)} HTTP/1.1`, HOST), 'HEADERS_TOO_LARGE', 431, {
      limits: { maxHeadSize: 64 },
    })
  })
})

describe('RFC 9112 §3, RFC 9110 §15.5.15: request-target length limit (414)', () => {
  const limits = { maxTargetLength: 64 }

  it('RFC 9110 §15.5.15: a target exactly at maxTargetLength is accepted', () => {
    const target = `/${'a'.repeat(63)}`
    expect(expectHead(req(`GET ${target} HTTP/1.1`, HOST), { limits }).target).toBe(target)
  })

  it('RFC 9110 §15.5.15: a target one byte over maxTargetLength gets 414', () => {
    expectHeadError(req(`GET /${'a'.repeat(64)} HTTP/1.1`, HOST), 'TARGET_TOO_LONG', 414, { limits })
  })

  it('RFC 9110 §15.5.15: with the default 8 KiB limit, 8192 bytes pass and 8193 get 414', () => {
    expect(expectHead(req(`GET /${'a'.repeat(8191)} HTTP/1.1`, HOST)).target).toHaveLength(8192)
    expectHeadError(req(`GET /${'a'.repeat(8192)} HTTP/1.1`, HOST), 'TARGET_TOO_LONG', 414)
  })

  it('RFC 9110 §15.5.15: an endless request line gets 414 without waiting for its end', () => {
    expectHeadError(`GET /${'a'.repeat(12_000)}`, 'TARGET_TOO_LONG', 414)
  })
})

/** A request head of exactly `size` bytes (CRLFs and the final empty line included). */
function headOfSize(size: number): string {
  const fixed = req('GET / HTTP/1.1', 'Host: a', 'X-Pad: ').length
  return req('GET / HTTP/1.1', 'Host: a', `X-Pad: ${'p'.repeat(size - fixed)}`)
}

describe('RFC 6585 §5: head size and field count limits (431)', () => {
  it('RFC 6585 §5: a head exactly at maxHeadSize is accepted, one byte more gets 431', () => {
    const limits = { maxHeadSize: 200 }
    expect(headOfSize(200)).toHaveLength(200)
    expectHead(headOfSize(200), { limits })
    expectHeadError(headOfSize(201), 'HEADERS_TOO_LARGE', 431, { limits })
  })

  it('RFC 6585 §5: with the default 16 KiB limit, 16384 bytes pass and 16385 get 431', () => {
    expectHead(headOfSize(16 * 1024))
    expectHeadError(headOfSize(16 * 1024 + 1), 'HEADERS_TOO_LARGE', 431)
  })

  it('RFC 6585 §5: a head that never ends gets 431 once it passes the limit', () => {
    expectHeadError(`GET / HTTP/1.1\r\nHost: a\r\nX: ${'x'.repeat(300)}`, 'HEADERS_TOO_LARGE', 431, {
      limits: { maxHeadSize: 200 },
    })
  })

  it('RFC 6585 §5: many short field lines past the limit get 431', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `X-${i}: v`)
    expectHeadError(get(...lines), 'HEADERS_TOO_LARGE', 431, {
      limits: { maxHeadSize: 300, maxHeaderCount: 1000 },
    })
  })

  it('RFC 6585 §5: exactly maxHeaderCount fields are accepted, one more gets 431', () => {
    const limits = { maxHeaderCount: 5 }
    const four = ['X-1: 1', 'X-2: 2', 'X-3: 3', 'X-4: 4']
    expect(expectHead(get(...four), { limits }).rawHeaders).toHaveLength(10)
    expectHeadError(get(...four, 'X-5: 5'), 'TOO_MANY_HEADERS', 431, { limits })
  })

  it('RFC 6585 §5: the default field count limit is 100', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `X-${i}: v`)
    expect(expectHead(get(...lines(99))).rawHeaders).toHaveLength(200)
    expectHeadError(get(...lines(100)), 'TOO_MANY_HEADERS', 431)
  })
})
