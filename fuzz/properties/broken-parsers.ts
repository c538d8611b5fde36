/**
 * Deliberately broken parsers, for showing that each property catches what it is meant to catch.
 * Test support only: nothing in the fuzzer's normal runs uses them.
 */
import { RequestParser } from '../../src/http1/parser.ts'
import type { ParserEvent } from '../../src/http1/types.ts'
import type { ParserFactory } from '../oracle/ours.ts'

/** Rescans everything fed so far on every write, as a naive parser would: quadratic under dribbles. */
class RescanningParser extends RequestParser {
  #fed = 0
  #rescanned = 0
  override feed(chunk: Uint8Array): void {
    this.#fed += chunk.length
    this.#rescanned += this.#fed
    super.feed(chunk)
  }
  override get bytesExamined(): number {
    return super.bytesExamined + this.#rescanned
  }
}

/** Throws a TypeError on a 0xFF byte instead of reporting a ParseError. */
class ThrowingParser extends RequestParser {
  override feed(chunk: Uint8Array): void {
    if (chunk.includes(0xff)) throw new TypeError('unexpected byte')
    super.feed(chunk)
  }
}

/** Loses the last byte of any body piece that ends exactly at a write boundary after the first write. */
class SplitSensitiveParser extends RequestParser {
  #writes = 0
  override feed(chunk: Uint8Array): void {
    this.#writes++
    super.feed(chunk)
  }
  override next(): ParserEvent {
    const ev = super.next()
    if (ev.type === 'body' && this.#writes > 1 && ev.data.length > 1)
      return { type: 'body', data: ev.data.subarray(1) }
    return ev
  }
}

/** Lower-cases field names, which the round trip must notice. */
class LowerCasingParser extends RequestParser {
  override next(): ParserEvent {
    const ev = super.next()
    if (ev.type !== 'head') return ev
    const rawHeaders = ev.head.rawHeaders.map((v, i) => (i % 2 === 0 ? v.toLowerCase() : v))
    return { type: 'head', head: { ...ev.head, rawHeaders } }
  }
}

export const brokenParsers = {
  rescanning: (): RequestParser => new RescanningParser(),
  throwing: (): RequestParser => new ThrowingParser(),
  splitSensitive: (): RequestParser => new SplitSensitiveParser(),
  lowerCasing: (): RequestParser => new LowerCasingParser(),
} satisfies Record<string, ParserFactory>
