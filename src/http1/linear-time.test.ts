/**
 * Linear time, measured with the parser's own counter of byte examinations rather than a
 * stopwatch: however an input is split, each byte may be looked at only a small constant number
 * of times. A parser that rescanned from the start of a line (or of the head) on every chunk
 * would show work growing with the square of the size when fed one byte at a time.
 */
import { describe, expect, it } from 'vitest'
import { RequestParser } from './parser.ts'
import { bytes, post, req } from './test-support.ts'
import type { ParserOptions } from './types.ts'

/** The bound asserted throughout: at most this many examinations per input byte. */
const MAX_EXAMINATIONS_PER_BYTE = 4

interface Outcome {
  readonly examined: number
  readonly types: string[]
}

type Counted = Pick<RequestParser, 'feed' | 'next' | 'bytesExamined'>

/**
 * Broken on purpose, httparse-style: every feed restarts the parse from byte 0 of the message,
 * so its work grows with the square of the input when fed byte by byte. The checker must catch it.
 */
class RestartingParser implements Counted {
  bytesExamined = 0
  readonly #options: ParserOptions
  #seen: number[] = []
  #inner: RequestParser
  #emitted = 0
  #pending: ReturnType<RequestParser['next']>[] = []
  constructor(options: ParserOptions) {
    this.#options = options
    this.#inner = new RequestParser(options)
  }
  feed(chunk: Uint8Array): void {
    this.#seen.push(...chunk)
    this.#inner = new RequestParser(this.#options)
    this.#inner.feed(Uint8Array.from(this.#seen))
    const all: ReturnType<RequestParser['next']>[] = []
    for (let e = this.#inner.next(); e.type !== 'need-data'; e = this.#inner.next()) {
      all.push(e)
      if (e.type === 'error') break
    }
    this.bytesExamined += this.#inner.bytesExamined
    // Body events are split differently on each restart; the test only needs their count to grow.
    this.#pending = all.slice(this.#emitted).filter((e) => e.type !== 'body')
    this.#emitted = Math.max(this.#emitted, all.length)
  }
  next(): ReturnType<RequestParser['next']> {
    return this.#pending.shift() ?? { type: 'need-data' }
  }
}

/** Feeds `input` in chunks of `size` bytes, draining events after each, and reports the counter. */
function feedInChunks(
  input: Uint8Array,
  size: number,
  options: ParserOptions = {},
  create: (options: ParserOptions) => Counted = (o) => new RequestParser(o),
): Outcome {
  const parser = create(options)
  const types: string[] = []
  for (let i = 0; i < input.length; i += size) {
    parser.feed(input.slice(i, i + size))
    for (let e = parser.next(); e.type !== 'need-data'; e = parser.next()) {
      if (types[types.length - 1] !== e.type || e.type !== 'body') types.push(e.type)
      if (e.type === 'error') return { examined: parser.bytesExamined, types }
    }
  }
  return { examined: parser.bytesExamined, types }
}

/** A head of exactly `size` bytes made of `fields` field lines of equal length. */
function headOfSize(size: number, fields: number): string {
  const fixed = req('GET / HTTP/1.1', 'Host: a').length
  const perLine = Math.floor((size - fixed) / fields)
  const lines: string[] = []
  let used = fixed
  for (let i = 0; i < fields; i++) {
    const prefix = `X-${i}: `
    const pad = i === fields - 1 ? size - used - prefix.length - 2 : perLine - prefix.length - 2
    lines.push(prefix + 'v'.repeat(pad))
    used += prefix.length + pad + 2
  }
  return req('GET / HTTP/1.1', 'Host: a', ...lines)
}

function chunkedBody(chunks: number): string {
  let body = ''
  for (let i = 0; i < chunks; i++) body += `1;e=${i % 10}\r\nx\r\n`
  return `${body}0\r\nT: 1\r\n\r\n`
}

describe('Linear time: a head at the size limit', () => {
  it.each([
    [1, 'one long field line'],
    [20, 'twenty field lines'],
    [99, '99 field lines'],
  ])(
    `a 16 KiB head with %i field(s) fed 1 byte at a time examines ≤ ${MAX_EXAMINATIONS_PER_BYTE}× its size`,
    (fields) => {
      const input = bytes(headOfSize(16 * 1024, fields))
      expect(input.length).toBe(16 * 1024)
      const outcome = feedInChunks(input, 1)
      expect(outcome.types).toEqual(['head', 'end'])
      expect(outcome.examined).toBeGreaterThanOrEqual(input.length)
      expect(outcome.examined).toBeLessThanOrEqual(MAX_EXAMINATIONS_PER_BYTE * input.length)
    },
  )

  it.each([[1], [3], [7], [64], [1000], [16 * 1024]])(
    `a 16 KiB head fed in %i-byte chunks examines ≤ ${MAX_EXAMINATIONS_PER_BYTE}× its size`,
    (size) => {
      const input = bytes(headOfSize(16 * 1024, 10))
      const outcome = feedInChunks(input, size)
      expect(outcome.types).toEqual(['head', 'end'])
      expect(outcome.examined).toBeLessThanOrEqual(MAX_EXAMINATIONS_PER_BYTE * input.length)
    },
  )

  it('doubling the head size (1 byte at a time) at most doubles the work', () => {
    const limits = { maxHeadSize: 64 * 1024 }
    const small = feedInChunks(bytes(headOfSize(16 * 1024, 1)), 1, { limits }).examined
    const large = feedInChunks(bytes(headOfSize(32 * 1024, 1)), 1, { limits }).examined
    expect(large / small).toBeLessThanOrEqual(2.05)
  })

  it('a head that never ends is refused after examining each byte a bounded number of times', () => {
    const input = bytes(`GET / HTTP/1.1\r\nHost: a\r\nX: ${'v'.repeat(20_000)}`)
    const outcome = feedInChunks(input, 1)
    expect(outcome.types).toEqual(['error'])
    expect(outcome.examined).toBeLessThanOrEqual(MAX_EXAMINATIONS_PER_BYTE * 16 * 1024)
  })

  it('a long run of CRLF pairs before the request (split inside every pair) stays linear', () => {
    const input = bytes(`${'\r\n'.repeat(4000)}${req('GET / HTTP/1.1', 'Host: a')}`)
    const outcome = feedInChunks(input, 1)
    expect(outcome.types).toEqual(['head', 'end'])
    expect(outcome.examined).toBeLessThanOrEqual(MAX_EXAMINATIONS_PER_BYTE * input.length)
  })
})

describe('Linear time: chunked bodies', () => {
  it.each([[1], [2], [5], [4096]])(
    `many small chunks with extensions, fed in %i-byte pieces, examine ≤ ${MAX_EXAMINATIONS_PER_BYTE}× the input`,
    (size) => {
      const input = bytes(post(['Transfer-Encoding: chunked'], chunkedBody(3000)))
      const outcome = feedInChunks(input, size)
      expect(outcome.types).toEqual(['head', 'body', 'end'])
      expect(outcome.examined).toBeLessThanOrEqual(MAX_EXAMINATIONS_PER_BYTE * input.length)
    },
  )

  it('doubling the number of chunks (1 byte at a time) at most doubles the work', () => {
    const small = feedInChunks(bytes(post(['Transfer-Encoding: chunked'], chunkedBody(2000))), 1).examined
    const large = feedInChunks(bytes(post(['Transfer-Encoding: chunked'], chunkedBody(4000))), 1).examined
    expect(large / small).toBeLessThanOrEqual(2.05)
  })

  it('many pipelined requests in one chunk examine ≤ the bound in total', () => {
    const one = req('GET /x HTTP/1.1', 'Host: a', 'X-A: 1')
    const input = bytes(one.repeat(500))
    const outcome = feedInChunks(input, input.length)
    expect(outcome.types).toHaveLength(1000)
    expect(outcome.examined).toBeLessThanOrEqual(MAX_EXAMINATIONS_PER_BYTE * input.length)
  })
})

describe('Linear time: the checker itself', () => {
  it('fails against a parser that restarts from byte 0 on every chunk', () => {
    const input = bytes(headOfSize(4 * 1024, 4))
    const outcome = feedInChunks(input, 1, {}, (o) => new RestartingParser(o))
    expect(outcome.types).toEqual(['head', 'end'])
    // The same bound that the real parser meets is broken by a wide margin.
    expect(outcome.examined).toBeGreaterThan(100 * MAX_EXAMINATIONS_PER_BYTE * input.length)
    expect(() =>
      expect(outcome.examined).toBeLessThanOrEqual(MAX_EXAMINATIONS_PER_BYTE * input.length),
    ).toThrow()
  })
})
