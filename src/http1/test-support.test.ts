/**
 * The helpers are checkers too, so each is shown to fail against a deliberately broken parser:
 * a helper that passed everything would make every other test in this folder meaningless.
 */
import { describe, expect, it } from 'vitest'
import { RequestParser } from './parser.ts'
import {
  bytes,
  events,
  expectHeadError,
  expectRequest,
  type ParserLike,
  parseEveryWay,
  post,
  req,
  splitsOf,
} from './test-support.ts'
import type { ParserOptions } from './types.ts'

/** Broken on purpose: drops every fed chunk that is a single SP, a bug only some splits expose. */
class DropsLoneSpaces implements ParserLike {
  readonly #inner: RequestParser
  constructor(options: ParserOptions) {
    this.#inner = new RequestParser(options)
  }
  feed(chunk: Uint8Array): void {
    if (chunk.length === 1 && chunk[0] === 0x20) return
    this.#inner.feed(chunk)
  }
  next() {
    return this.#inner.next()
  }
  finish() {
    return this.#inner.finish()
  }
  get bufferedBytes(): number {
    return this.#inner.bufferedBytes
  }
}

describe('test-support: the split-invariance checker', () => {
  it('cuts an input whole, byte by byte, around every CR and LF, and in three', () => {
    const input = bytes('GET / HTTP/1.1\r\n\r\n')
    const splits = splitsOf(input)
    const names = splits.map((s) => s.name)
    expect(names).toContain('whole')
    expect(names).toContain('byte by byte')
    for (const at of [14, 15, 16, 17]) expect(names).toContain(`split at ${at}`)
    expect(names.some((n) => n.startsWith('split at 6 and'))).toBe(true)
    for (const split of splits) {
      expect(Buffer.concat(split.chunks).equals(Buffer.from(input))).toBe(true)
    }
  })

  it('fails against a parser whose result depends on how the input is split', () => {
    const input = req('GET / HTTP/1.1', 'Host: a')
    expect(() => parseEveryWay(input, { createParser: (o) => new DropsLoneSpaces(o) })).toThrow(
      /byte by byte/,
    )
    expect(() => parseEveryWay(input)).not.toThrow()
  })

  it('concatenates consecutive body events, whose boundaries depend on the split', () => {
    expect(events(post(['Content-Length: 10'], '0123456789'))).toEqual([
      expect.objectContaining({ type: 'head' }),
      { type: 'body', data: '0123456789' },
      { type: 'end', trailers: [] },
    ])
  })
})

describe('test-support: the verdict helpers', () => {
  it('expectHeadError fails against a parser that accepts what the rule rejects (leniency as the broken target)', () => {
    const input = 'GET / HTTP/1.1\nHost: a\n\n'
    expect(() => expectHeadError(input, 'BARE_LF', 400, { leniency: { allowBareLf: true } })).toThrow()
    expect(() => expectHeadError(input, 'BARE_LF', 400)).not.toThrow()
  })

  it('expectHeadError fails when the code or the status is not the one expected', () => {
    const input = req('GET / HTTP/1.1')
    expect(() => expectHeadError(input, 'DUPLICATE_HOST', 400)).toThrow()
    expect(() => expectHeadError(input, 'MISSING_HOST', 431)).toThrow()
  })

  it('expectRequest fails against a parser that rejects what the rule accepts', () => {
    const input = req('GET / HTTP/1.1', 'X: a', ' b', 'Host: a')
    expect(() => expectRequest(input)).toThrow()
    expect(expectRequest(input, { leniency: { allowObsFold: true } }).head.rawHeaders).toEqual([
      'X',
      'a b',
      'Host',
      'a',
    ])
  })
})
