/**
 * The parser's central promise: the events depend on the bytes, never on how they were cut into
 * chunks. Valid requests are mutated at random (bytes inserted, deleted or replaced from an
 * alphabet of the characters the grammar cares about) and every mutant must give the same events,
 * the same error code and the same finish() outcome whole, byte by byte and at every split point
 * test-support cuts. This caught error codes that changed with the split (see the BARE_CR cases in
 * line-endings.test.ts).
 */
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { parseEveryWay } from './test-support.ts'
import type { ParserOptions } from './types.ts'

const SEEDS = [
  'GET / HTTP/1.1\r\nHost: a\r\n\r\n',
  'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello',
  'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nT: 1\r\n\r\n',
  'CONNECT a:1 HTTP/1.1\r\nHost: a\r\n\r\nxyz',
  'GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\nabc',
  'OPTIONS * HTTP/1.0\r\nX: a\r\n b\r\n\r\n',
]
const ALPHABET = [
  '\r',
  '\n',
  '\r\n',
  ' ',
  '\t',
  ':',
  ';',
  '=',
  '"',
  '\\',
  ',',
  '0',
  '5',
  'f',
  'a',
  '\x00',
  '\x80',
  '/',
]
const OPTIONS: ParserOptions[] = [
  {},
  { leniency: { allowBareLf: true } },
  { leniency: { allowObsFold: true } },
  { leniency: { allowContentLengthWithTransferEncoding: true } },
  {
    limits: {
      maxHeadSize: 40,
      maxChunkExtensionsSize: 4,
      maxBodySize: 3,
      maxHeaderCount: 2,
      maxTargetLength: 4,
    },
  },
]

const edit = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'delete', 'replace'),
  text: fc.constantFrom(...ALPHABET),
})

const mutant = fc
  .record({
    first: fc.constantFrom(...SEEDS),
    second: fc.constantFrom(...SEEDS),
    edits: fc.array(edit, { minLength: 1, maxLength: 3 }),
    options: fc.constantFrom(...OPTIONS),
  })
  .map(({ first, second, edits, options }) => {
    let input = first + second
    for (const e of edits) {
      const at = e.at % (input.length + 1)
      const rest = e.kind === 'insert' ? input.slice(at) : input.slice(at + 1)
      input = input.slice(0, at) + (e.kind === 'delete' ? '' : e.text) + rest
    }
    return { input, options }
  })

describe('Split invariance (property)', () => {
  it('mutated requests give the same events however they are split, finish() included', () => {
    fc.assert(
      fc.property(mutant, ({ input, options }) => {
        parseEveryWay(input, { ...options, finish: true })
      }),
      { seed: 9112, numRuns: 400 },
    )
  })
})
