/** Field lines and header sets: RFC 9110 §5, RFC 9112 §5. */
import fc from 'fast-check'
import { OBS_TEXT, stringOf, VCHAR } from './chars.ts'
import type { FieldLine } from './model.ts'
import { hostAndPort } from './target.ts'
import { token } from './token.ts'

/**
 * Names that change how a message is framed or routed. Random fields never use them, so a
 * generated request means what its model says; the framing mutators add them on purpose.
 */
export const SEMANTIC_NAMES = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'keep-alive',
  'proxy-connection',
])

/** RFC 9110 §5.1: field-name = token */
export const fieldName: fc.Arbitrary<string> = token(20).filter(function notSemantic(n) {
  return !SEMANTIC_NAMES.has(n.toLowerCase())
})

/** RFC 9110 §5.5: field-vchar = VCHAR / obs-text */
export const fieldVchar: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...VCHAR) },
  { weight: 1, arbitrary: fc.constantFrom(...OBS_TEXT) },
)

/**
 * RFC 9110 §5.5: field-value = *field-content
 *   field-content = field-vchar [ 1*( SP / HTAB / field-vchar ) field-vchar ]
 * Built as vchar runs joined by SP/HTAB runs, so it never starts or ends with whitespace.
 */
export const fieldValue: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.string({ unit: fieldVchar, minLength: 1, maxLength: 12 }), stringOf(' \t', 1, 2)), {
    maxLength: 3,
  })
  .map(function fieldContent(runs) {
    return runs
      .map(([v, ws]) => v + ws)
      .join('')
      .replace(/[ \t]+$/, '')
  })

/** RFC 9110 §5.6.3: OWS = *( SP / HTAB ) */
export const ows: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(' ') },
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: stringOf(' \t', 1, 3) },
)

/** RFC 9112 §5: field-line = field-name ":" OWS field-value OWS */
export const fieldLineArb: fc.Arbitrary<FieldLine> = fc
  .record({ name: fieldName, value: fieldValue, lead: ows, trail: fc.oneof(fc.constant(''), ows) })
  .map(function normaliseEmpty(f) {
    // An empty value with OWS on both sides is still an empty value; keep it unambiguous.
    return f.value === '' ? { ...f, trail: '' } : f
  })

/** RFC 9110 §7.2: Host = uri-host [ ":" port ] */
export const hostField: fc.Arbitrary<FieldLine> = fc
  .tuple(fc.constantFrom('Host', 'host', 'HOST'), hostAndPort, ows)
  .map(function hostLine([name, value, lead]) {
    return { name, value, lead, trail: '' }
  })

/** RFC 9110 §7.6.1: Connection = #connection-option, here the keep-alive choices. */
export const connectionField: fc.Arbitrary<FieldLine> = fc
  .constantFrom('keep-alive', 'close', 'Keep-Alive', 'close, te')
  .map(function connectionLine(value) {
    return { name: 'Connection', value, lead: ' ', trail: '' }
  })

/** RFC 9110 §10.1.1: Expect = #expectation; only 100-continue is defined. */
export const expectField: fc.Arbitrary<FieldLine> = fc
  .constantFrom('100-continue', '100-Continue')
  .map(function expectLine(value) {
    return { name: 'Expect', value, lead: ' ', trail: '' }
  })

/** RFC 9110 §6.6.2: Trailer = #field-name */
export const trailerField = (names: readonly string[]): FieldLine => ({
  name: 'Trailer',
  value: names.join(', '),
  lead: ' ',
  trail: '',
})
