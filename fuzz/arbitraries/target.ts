/** Request targets in the four forms of RFC 9112 §3.2, built from RFC 3986 pieces. */
import fc from 'fast-check'
import { ALPHA, DIGIT, HEXDIG, PCHAR, SUB_DELIMS, stringOf, UNRESERVED } from './chars.ts'

/** RFC 3986 §2.1: pct-encoded = "%" HEXDIG HEXDIG */
export const pctEncoded: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...HEXDIG), fc.constantFrom(...HEXDIG))
  .map(function percent([a, b]) {
    return `%${a}${b}`
  })

const pcharPiece = fc.oneof(
  { weight: 6, arbitrary: stringOf(PCHAR, 1, 6) },
  { weight: 1, arbitrary: pctEncoded },
)

/** RFC 3986 §3.3: segment = *pchar */
export const segment: fc.Arbitrary<string> = fc.array(pcharPiece, { maxLength: 4 }).map(function join(parts) {
  return parts.join('')
})

/** RFC 3986 §3.3: path-absolute / RFC 9110 §4.1: absolute-path = 1*( "/" segment ) */
export const absolutePath: fc.Arbitrary<string> = fc
  .array(segment, { minLength: 1, maxLength: 5 })
  .map(function slashJoin(segs) {
    return `/${segs.join('/')}`
  })

/** RFC 3986 §3.4: query = *( pchar / "/" / "?" ) */
export const query: fc.Arbitrary<string> = fc
  .array(fc.oneof(pcharPiece, fc.constantFrom('/', '?', '=', '&')), { maxLength: 8 })
  .map(function join(parts) {
    return parts.join('')
  })

/** RFC 9112 §3.2.1: origin-form = absolute-path [ "?" query ] */
export const originForm: fc.Arbitrary<string> = fc
  .tuple(absolutePath, fc.option(query, { freq: 2 }))
  .map(function originTarget([path, q]) {
    return q === null ? path : `${path}?${q}`
  })

/** RFC 3986 §3.2.2: reg-name = *( unreserved / pct-encoded / sub-delims ), kept DNS-like and non-empty. */
export const regName: fc.Arbitrary<string> = fc
  .array(stringOf(`${ALPHA}${DIGIT}`, 1, 8), { minLength: 1, maxLength: 3 })
  .map(function dotJoin(labels) {
    return labels.join('.')
  })

/** RFC 3986 §3.2.2: IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet */
export const ipv4: fc.Arbitrary<string> = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
  .map(function dotted(octets) {
    return octets.join('.')
  })

/** RFC 3986 §3.2.2: IP-literal = "[" ( IPv6address / IPvFuture ) "]" (a few IPv6 shapes) */
export const ipLiteral: fc.Arbitrary<string> = fc
  .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
  .chain(function ipv6Shapes(groups) {
    const full = groups.map((g) => g.toString(16)).join(':')
    return fc.constantFrom(`[${full}]`, '[::1]', `[::${groups[0]!.toString(16)}]`)
  })

/** RFC 3986 §3.2.2: host = IP-literal / IPv4address / reg-name */
export const host: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: regName },
  { weight: 2, arbitrary: ipv4 },
  { weight: 1, arbitrary: ipLiteral },
)

/** RFC 3986 §3.2.3: port = *DIGIT (kept to the useful range) */
export const port: fc.Arbitrary<string> = fc.integer({ min: 1, max: 65535 }).map(String)

/** RFC 9110 §7.2: Host = uri-host [ ":" port ] */
export const hostAndPort: fc.Arbitrary<string> = fc
  .tuple(host, fc.option(port, { freq: 3 }))
  .map(function withPort([h, p]) {
    return p === null ? h : `${h}:${p}`
  })

/** RFC 9112 §3.2.3: authority-form = uri-host ":" port (CONNECT only) */
export const authorityForm: fc.Arbitrary<string> = fc.tuple(host, port).map(function hostColonPort([h, p]) {
  return `${h}:${p}`
})

/** RFC 9112 §3.2.2: absolute-form = absolute-URI; here scheme "://" authority path [ "?" query ] */
export const absoluteForm: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('http', 'https'), hostAndPort, fc.option(originForm, { freq: 4 }))
  .map(function absoluteUri([scheme, authority, rest]) {
    return `${scheme}://${authority}${rest ?? '/'}`
  })

/** RFC 9112 §3.2.4: asterisk-form = "*" (OPTIONS only) */
export const asteriskForm: fc.Arbitrary<string> = fc.constant('*')

/** A sub-delims-only segment: legal, and a frequent source of parser surprises. */
export const oddPath: fc.Arbitrary<string> = stringOf(`${SUB_DELIMS}${UNRESERVED}:@/`, 1, 12).map(
  function rooted(s) {
    return `/${s}`
  },
)
