/**
 * Property 1, total: for any bytes, cut into any writes, the parser yields events or a
 * ParseError. It never throws, never spins without consuming input, and examines each byte a
 * bounded number of times (a parser that rescans from the start of a line on every write is
 * quadratic under a 1-byte dribble, and fails here).
 */
import fc from 'fast-check'
import { HEXDIG, TCHAR } from '../arbitraries/chars.ts'
import { type ByteCase, byteCase, pipeline, pipelineBytes } from '../arbitraries/stream.ts'
import { runOurs } from '../oracle/ours.ts'
import { bytesOf, outcomeToJson } from '../outcome.ts'
import { decodeByteCase, encodeByteCase, reduceByteCase } from './byte-case.ts'
import type { FuzzProperty } from './types.ts'

/** Byte examinations allowed per input byte, whatever the segmentation, plus a constant. */
export const EXAMINATIONS_PER_BYTE = 4
export const EXAMINATION_SLACK = 64

/** Pieces of HTTP syntax, so random soup often gets deep into the state machine. */
const HTTP_PIECES = [
  'GET ',
  'POST /',
  ' HTTP/1.1',
  ' HTTP/1.0',
  '\r\n',
  '\n',
  '\r',
  'Host: a',
  ': ',
  'Content-Length: ',
  'Transfer-Encoding: chunked',
  'Connection: close',
  '\r\n\r\n',
  '0\r\n\r\n',
  ';a="b"',
  ' ',
  '\t',
  '\0',
  '\x80',
]

const httpSoup: fc.Arbitrary<Uint8Array> = fc
  .array(fc.oneof(fc.constantFrom(...HTTP_PIECES), fc.constantFrom(...TCHAR), fc.constantFrom(...HEXDIG)), {
    maxLength: 80,
  })
  .map(function soupBytes(parts) {
    return bytesOf(parts.join(''))
  })

/** A long run of one byte inside a request line or a field line: where rescanning would show. */
const longLine: fc.Arbitrary<Uint8Array> = fc
  .record({
    prefix: fc.constantFrom(
      'GET /',
      'GET / HTTP/1.1\r\nHost: a\r\nX: ',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;',
    ),
    fill: fc.constantFrom('a', ' ', '0', '\r', ';'),
    length: fc.integer({ min: 100, max: 20_000 }),
  })
  .map(function repeatFill({ prefix, fill, length }) {
    return bytesOf(prefix + fill.repeat(length))
  })

export const totalBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 1, arbitrary: longLine },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  { weight: 3, arbitrary: httpSoup },
  { weight: 4, arbitrary: pipeline({ allowClose: true, allowUpgrade: true }, 3, 6).map(pipelineBytes) },
)

export const totalProperty: FuzzProperty<ByteCase> = {
  name: 'total',
  description: 'any bytes give events or a ParseError: no throw, no livelock, bounded byte examinations',
  arbitrary: () => byteCase(totalBytes),
  async check(input, ctx) {
    const run = runOurs(input.bytes, input.segments, ctx.make)
    if (run.crash !== null) return { reason: run.crash, details: { ours: outcomeToJson(run.outcome) } }
    const bound = EXAMINATIONS_PER_BYTE * input.bytes.length + EXAMINATION_SLACK
    if (run.bytesExamined > bound) {
      return {
        reason: `examined ${run.bytesExamined} bytes for ${input.bytes.length} input bytes (bound ${bound})`,
        details: { bytesExamined: run.bytesExamined, writes: input.segments.length },
      }
    }
    return null
  },
  reduce: reduceByteCase,
  bytes: (input) => input.bytes,
  encode: encodeByteCase,
  decode: decodeByteCase,
}
