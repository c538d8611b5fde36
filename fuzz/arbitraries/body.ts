/** Message bodies: Content-Length framing and chunked transfer coding (RFC 9112 §6, §7.1). */
import fc from 'fast-check'
import { QDTEXT, stringOf } from './chars.ts'
import { fieldLineArb } from './fields.ts'
import type { BodyModel, ChunkModel } from './model.ts'
import { token } from './token.ts'

/** Body octets: any bytes, usually short, sometimes a few KiB. */
export const bodyData: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 100, maxLength: 3000 }) },
)

/** RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE */
export const quotedString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: stringOf(QDTEXT, 1, 4) },
      { weight: 1, arbitrary: fc.constantFrom('\\"', '\\\\', '\\a') },
    ),
    {
      maxLength: 3,
    },
  )
  .map(function quote(parts) {
    return `"${parts.join('')}"`
  })

/**
 * RFC 9112 §7.1.1:
 *   chunk-ext      = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 *   chunk-ext-name = token
 *   chunk-ext-val  = token / quoted-string
 * BWS is generated empty: RFC 9112 §7.1.1 lets recipients accept it, and llhttp does not.
 */
export const chunkExt: fc.Arbitrary<string> = fc
  .array(fc.tuple(token(8), fc.option(fc.oneof(token(8), quotedString), { freq: 2 })), { maxLength: 2 })
  .map(function extensions(exts) {
    return exts.map(([name, val]) => (val === null ? `;${name}` : `;${name}=${val}`)).join('')
  })

/** RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; chunk-size = 1*HEXDIG */
export const chunk = (data: fc.Arbitrary<Uint8Array>): fc.Arbitrary<ChunkModel> =>
  fc.record({
    data,
    ext: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: chunkExt }),
    zeros: fc.oneof(
      { weight: 8, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
    ),
    upper: fc.boolean(),
    sizeDelta: fc.constant(0),
  })

/**
 * RFC 9112 §7.1:
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *   last-chunk   = 1*("0") [ chunk-ext ] CRLF
 * RFC 9112 §7.1.2: trailer-section = *( field-line CRLF )
 */
export const chunkedBody: fc.Arbitrary<BodyModel> = fc.record({
  kind: fc.constant('chunked' as const),
  chunks: fc.array(chunk(fc.uint8Array({ minLength: 1, maxLength: 40 })), { maxLength: 5 }),
  lastExt: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: chunkExt }),
  trailers: fc.oneof(
    { weight: 3, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.array(fieldLineArb, { maxLength: 3 }) },
  ),
})

/** Splits bytes into chunks at the given cut positions (taken modulo the length). */
export function splitIntoChunks(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (data.length + 1)))]
    .filter((c) => c > 0 && c < data.length)
    .sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let from = 0
  for (const c of [...at, data.length]) {
    if (c > from) out.push(data.subarray(from, c))
    from = c
  }
  return out
}
