/**
 * Independent re-statements of a few RFC grammars as regular expressions. The quirk predicates
 * use them to confirm that what our parser rejected really is outside the grammar; a rejection
 * of something these accept is left unexplained, so it fails the differential property.
 */

// RFC 3986 §2: unreserved, sub-delims, pct-encoded.
const UNRESERVED = 'A-Za-z0-9\\-._~'
const SUB_DELIMS = "!$&'()*+,;="
const PCT = '%[0-9A-Fa-f]{2}'
const PCHAR = `(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT})`
/** RFC 3986 §3.4: query = *( pchar / "/" / "?" ) */
const QUERY = `(?:${PCHAR}|[/?])*`

/** RFC 9112 §3.2.1: origin-form = absolute-path [ "?" query ] */
const ORIGIN_FORM = new RegExp(`^(?:/${PCHAR}*)+(?:\\?${QUERY})?$`)

/** RFC 3986 §3.2.2: host = IP-literal / IPv4address / reg-name (IP-literal loosely), non-empty. */
const HOST = `(?:\\[[0-9A-Fa-f:.vV${UNRESERVED}${SUB_DELIMS}]+\\]|(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT})+)`
/** RFC 9110 §7.2: Host = uri-host [ ":" port ]; RFC 3986 §3.2.3: port = *DIGIT */
const HOST_FIELD = new RegExp(`^${HOST}(?::[0-9]*)?$`)
/** RFC 9112 §3.2.3: authority-form = uri-host ":" port */
const AUTHORITY_FORM = new RegExp(`^${HOST}:[0-9]*$`)
/** RFC 3986 §3.2: authority = [ userinfo "@" ] host [ ":" port ] */
const AUTHORITY = `(?:(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})*@)?${HOST}(?::[0-9]*)?`
/**
 * RFC 3986 §3: absolute-URI = scheme ":" hier-part [ "?" query ]
 *   hier-part = "//" authority path-abempty / path-absolute / path-rootless / path-empty
 * RFC 9110 §4.2.1: an http(s) URI with an empty host "MUST" be rejected as invalid.
 */
const ABSOLUTE_FORM = new RegExp(
  `^[A-Za-z][A-Za-z0-9+.\\-]*:(?://${AUTHORITY}(?:/${PCHAR}*)*|/?(?:${PCHAR}+(?:/${PCHAR}*)*)?)(?:\\?${QUERY})?$`,
)

/** Whether `target` is a request-target RFC 9112 §3.2 allows for `method`. */
export function isValidTarget(method: string, target: string): boolean {
  if (method === 'CONNECT') return AUTHORITY_FORM.test(target)
  if (target === '*') return method === 'OPTIONS'
  // RFC 9110 §4.2.4: userinfo in an http(s) URI is to be treated as an error by recipients.
  if (/^https?:\/\/[^/?#]*@/i.test(target)) return false
  return ORIGIN_FORM.test(target) || ABSOLUTE_FORM.test(target)
}

export function isValidHostField(value: string): boolean {
  return HOST_FIELD.test(value)
}

const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+"
const QUOTED = '"(?:[\\t !\\x23-\\x5b\\x5d-\\x7e\\x80-\\xff]|\\\\[\\t \\x21-\\x7e\\x80-\\xff])*"'
/**
 * RFC 9112 §7.1 and §7.1.1: chunk-size [ chunk-ext ], where
 *   chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 */
const CHUNK_LINE = new RegExp(
  `^[0-9A-Fa-f]+(?:[ \\t]*;[ \\t]*${TOKEN}(?:[ \\t]*=[ \\t]*(?:${TOKEN}|${QUOTED}))?)*$`,
)

export function isValidChunkLine(line: string): boolean {
  return CHUNK_LINE.test(line)
}

/** Whether a chunk-size line uses BWS (whitespace around ";" or "="), which the grammar allows. */
export function chunkLineHasBws(line: string): boolean {
  return isValidChunkLine(line) && /^[0-9A-Fa-f]+[^"]*[ \t]/.test(line.replace(/"[^"]*"/g, '""'))
}
