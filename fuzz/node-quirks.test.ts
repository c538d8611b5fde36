/**
 * The quirk list is evidence, not belief: each entry's example, fed to both parsers now, still
 * disagrees, and that disagreement is explained by that entry. And no entry excuses the planted
 * unsafe leniencies.
 */
import { describe, expect, it } from 'vitest'
import { RequestParser } from '../src/http1/parser.ts'
import { differential } from './differential/check.ts'
import { QUIRKS } from './node-quirks.ts'
import { defaultParser } from './oracle/ours.ts'
import { bytesOf } from './outcome.ts'

describe('every quirk is observed on this Node and explains its own example', () => {
  for (const q of QUIRKS) {
    it(`${q.id} (${q.kind})`, async () => {
      const bytes = bytesOf(q.example)
      const r = await differential(bytes, [bytes.length], defaultParser())
      expect(r.disagreement, 'the example no longer disagrees with Node').not.toBeNull()
      expect(r.quirks).toContain(q.id)
      expect(q.rfc).toMatch(/RFC \d{4}/)
    })
  }
})

describe('quirks do not excuse unsafe leniencies', () => {
  const cases: [string, ConstructorParameters<typeof RequestParser>[0], string][] = [
    [
      'CL+TE accepted',
      { leniency: { allowContentLengthWithTransferEncoding: true } },
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    ['bare LF in the head', { leniency: { allowBareLf: true } }, 'GET / HTTP/1.1\nHost: a\n\n'],
    ['bare LF after a field', { leniency: { allowBareLf: true } }, 'GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n'],
    [
      'bare LF after chunk data',
      { leniency: { allowBareLf: true } },
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\n0\r\n\r\n',
    ],
    [
      'obs-fold unfolded',
      { leniency: { allowObsFold: true } },
      'GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n',
    ],
  ]
  for (const [name, options, text] of cases) {
    it(name, async () => {
      const bytes = bytesOf(text)
      const strict = await differential(bytes, [bytes.length], defaultParser())
      expect(strict.disagreement).toBeNull()
      const lax = await differential(bytes, [bytes.length], () => new RequestParser(options))
      expect(lax.disagreement?.class).toBe('type')
      expect(lax.quirks).toEqual([])
    })
  }
})
