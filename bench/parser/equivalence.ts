/**
 * Before any parser is timed, each must extract exactly the fixture's information, both from one
 * request per call and from a pipelined stream cut at awkward places. A parser that skipped work
 * (dropped a header, lost body bytes) would otherwise look fast.
 */
import type { ParserAdapter } from './adapters.ts'
import { canonical, type Fixture, type ParsedRequest } from './fixtures.ts'

export interface Mismatch {
  readonly parser: string
  readonly fixture: string
  readonly feeding: string
  readonly detail: string
}

/** The ways of cutting a stream of `copies` requests that every parser must agree on. */
const FEEDINGS: readonly { name: string; sliceSize: number }[] = [
  { name: 'one request per call', sliceSize: 0 },
  { name: '7-byte slices', sliceSize: 7 },
  { name: '64 KiB slices', sliceSize: 64 * 1024 },
]

export function checkEquivalence(adapter: ParserAdapter, fixture: Fixture, copies = 3): Mismatch[] {
  const want = canonical(fixture.expected)
  const out: Mismatch[] = []
  for (const feeding of FEEDINGS) {
    const got: ParsedRequest[] = []
    const session = adapter.session((r) => got.push(r))
    try {
      if (feeding.sliceSize === 0) {
        for (let i = 0; i < copies; i++) session.feed(fixture.bytes)
      } else {
        const stream = Buffer.concat(Array.from({ length: copies }, () => fixture.bytes))
        for (let i = 0; i < stream.length; i += feeding.sliceSize)
          session.feed(stream.subarray(i, i + feeding.sliceSize))
      }
    } catch (err) {
      out.push({
        parser: adapter.id,
        fixture: fixture.id,
        feeding: feeding.name,
        detail: `rejected: ${String(err)}`,
      })
      continue
    }
    if (got.length !== copies || session.requests !== copies) {
      out.push({
        parser: adapter.id,
        fixture: fixture.id,
        feeding: feeding.name,
        detail: `${got.length} requests extracted (counter ${session.requests}), expected ${copies}`,
      })
      continue
    }
    for (const [i, r] of got.entries()) {
      const c = canonical(r)
      if (c !== want) {
        out.push({
          parser: adapter.id,
          fixture: fixture.id,
          feeding: feeding.name,
          detail: `request ${i}: got ${c}, want ${want}`,
        })
        break
      }
    }
  }
  return out
}
