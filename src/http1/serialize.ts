/**
 * Writing HTTP/1.1 messages: the response head with its framing fields, chunk encoding, and a
 * request serializer used by tests, the fuzzer and clients. Like the parser, no I/O.
 */
import { FIELD_VALUE_CHAR, TCHAR } from './chars.ts'
import { equalsIgnoreCase } from './names.ts'

/** RFC 9110 §15: the reason phrases we send. The phrase is informational; clients ignore it. */
export const STATUS_REASONS: Readonly<Record<number, string>> = Object.freeze({
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
})

/** A handler supplied a header the wire cannot carry safely: a bug in the application, answered 500. */
export class InvalidHeaderError extends Error {
  override readonly name = 'InvalidHeaderError'
  readonly code = 'INVALID_RESPONSE_HEADER'
}

export type HeaderPairs = ReadonlyArray<readonly [string, string]>

/** RFC 9110 §5.1: field-name = token. */
export function isValidFieldName(name: string): boolean {
  if (name.length === 0) return false
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c > 0xff || TCHAR[c] !== 1) return false
  }
  return true
}

/**
 * RFC 9110 §5.5: a field value is field-vchar, SP and HTAB. CR, LF and NUL from an application
 * would let it inject fields or a second response (response splitting), so they are refused.
 */
export function isValidFieldValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c > 0xff || FIELD_VALUE_CHAR[c] !== 1) return false
  }
  return true
}

/** RFC 9110 §6.4.1, RFC 9112 §6.3: these responses never carry content. */
export function statusAllowsBody(status: number): boolean {
  // RFC 9110 §15.3.6: 205 Reset Content does not generate content either.
  return status >= 200 && status !== 204 && status !== 205 && status !== 304
}

let cachedDateSecond = -1
let cachedDate = ''
let cachedDateLine = ''

const CONNECTION_CLOSE = 'Connection: close\r\n'
const CONNECTION_KEEP_ALIVE = 'Connection: keep-alive\r\n'
/** Status lines, built once per status: every response starts with one. */
const STATUS_LINES = new Map<number, string>()

function statusLine(status: number): string {
  let line = STATUS_LINES.get(status)
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${STATUS_REASONS[status] ?? 'Unknown'}\r\n`
    STATUS_LINES.set(status, line)
  }
  return line
}

/** The whole `Date: ...` line, rebuilt with the date once per second. */
function dateLine(now = Date.now()): string {
  httpDate(now)
  return cachedDateLine
}

/**
 * RFC 9110 §6.6.1: an origin server with a clock MUST send Date. Formatting it once per second,
 * checked against the clock on use, keeps a timer out of this module.
 */
export function httpDate(now = Date.now()): string {
  const second = Math.floor(now / 1000)
  if (second !== cachedDateSecond) {
    cachedDateSecond = second
    cachedDate = new Date(second * 1000).toUTCString()
    cachedDateLine = `Date: ${cachedDate}\r\n`
  }
  return cachedDate
}

export interface ResponseHeadInit {
  readonly status: number
  readonly headers: HeaderPairs
  /** Byte length of the content, 'chunked' for a streamed body, or null for a status without content. */
  readonly length: number | 'chunked' | null
  /** What the response says about the connection: RFC 9112 §9.3 / §9.6. */
  readonly connection: 'keep-alive' | 'close' | null
  /** Date.now(), when the caller has just read it: for the Date field. */
  readonly now?: number
}

/**
 * Field lines already checked and formatted, by name and then value. Responses repeat the same
 * few fields, which then cost two lookups instead of two scans and a concatenation each. The
 * cache starts over past FIELD_LINE_CACHE_LIMIT lines, so varying values cannot grow it.
 */
const FIELD_LINE_CACHE_LIMIT = 512
const fieldLineCache = new Map<string, Map<string, string>>()
let fieldLinesCached = 0

/** `name: value` CRLF, or '' for a framing field the serializer sets itself; throws InvalidHeaderError. */
function fieldLine(name: string, value: string): string {
  const byValue = fieldLineCache.get(name)
  const cached = byValue?.get(value)
  if (cached !== undefined) return cached
  if (!isValidFieldName(name)) throw new InvalidHeaderError(`invalid header name ${JSON.stringify(name)}`)
  if (!isValidFieldValue(value)) throw new InvalidHeaderError(`invalid value for header ${name}`)
  const line = isFramingField(name) ? '' : `${name}: ${value}\r\n`
  if (fieldLinesCached >= FIELD_LINE_CACHE_LIMIT) {
    fieldLineCache.clear()
    fieldLinesCached = 0
  }
  if (byValue === undefined || fieldLinesCached === 0) fieldLineCache.set(name, new Map([[value, line]]))
  else byValue.set(value, line)
  fieldLinesCached++
  return line
}

/** Fields the serializer owns: an application value for them would contradict the real framing. */
function isFramingField(name: string): boolean {
  return (
    equalsIgnoreCase(name, 'content-length') ||
    equalsIgnoreCase(name, 'transfer-encoding') ||
    equalsIgnoreCase(name, 'connection')
  )
}

/**
 * RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ], then the fields,
 * then CRLF. Content-Length or Transfer-Encoding and Connection are set from `init`, never
 * from the application's fields. Throws InvalidHeaderError for an unsafe name or value.
 * The result is latin1 text: every code unit is below 0x100.
 */
export function serializeResponseHead(init: ResponseHeadInit): string {
  const status = init.status
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw new InvalidHeaderError(`invalid status code ${String(status)}`)
  }
  let head = statusLine(status)
  let hasDate = false
  for (const [name, value] of init.headers) {
    const line = fieldLine(name, value)
    if (line === '') continue
    if (equalsIgnoreCase(name, 'date')) hasDate = true
    head += line
  }
  if (!hasDate) head += dateLine(init.now)
  if (init.connection !== null) head += init.connection === 'close' ? CONNECTION_CLOSE : CONNECTION_KEEP_ALIVE
  if (init.length === 'chunked') return `${head}Transfer-Encoding: chunked\r\n\r\n`
  if (init.length !== null) return `${head}Content-Length: ${init.length}\r\n\r\n`
  return `${head}\r\n`
}

/** RFC 9112 §7.1: chunk = chunk-size CRLF chunk-data CRLF. Returns the size line; the caller writes data then CRLF. */
export function chunkHeader(byteLength: number): string {
  return `${byteLength.toString(16)}\r\n`
}

/** RFC 9112 §7.1: last-chunk followed by an empty trailer section. */
export const LAST_CHUNK = '0\r\n\r\n'

export interface RequestInit {
  readonly method: string
  readonly target: string
  readonly version?: '1.0' | '1.1'
  readonly headers: HeaderPairs
  readonly body?: Uint8Array
  /** Send the body chunked, in chunks of the given sizes (the rest in one chunk), with these trailers. */
  readonly chunked?: { readonly sizes?: readonly number[]; readonly trailers?: HeaderPairs }
}

/**
 * Serializes a request exactly as described: no field is added, so tests and the fuzzer control
 * every byte. Content-Length is the caller's to include.
 */
export function serializeRequest(init: RequestInit): Uint8Array {
  let head = `${init.method} ${init.target} HTTP/${init.version ?? '1.1'}\r\n`
  for (const [name, value] of init.headers) head += `${name}: ${value}\r\n`
  head += '\r\n'
  const parts: Uint8Array[] = [Buffer.from(head, 'latin1')]
  const body = init.body ?? new Uint8Array(0)
  if (init.chunked === undefined) {
    parts.push(body)
  } else {
    let offset = 0
    for (const size of init.chunked.sizes ?? []) {
      if (offset >= body.length) break
      const piece = body.subarray(offset, Math.min(body.length, offset + Math.max(1, size)))
      parts.push(Buffer.from(chunkHeader(piece.length), 'latin1'), piece, Buffer.from('\r\n', 'latin1'))
      offset += piece.length
    }
    if (offset < body.length) {
      const rest = body.subarray(offset)
      parts.push(Buffer.from(chunkHeader(rest.length), 'latin1'), rest, Buffer.from('\r\n', 'latin1'))
    }
    let tail = '0\r\n'
    for (const [name, value] of init.chunked.trailers ?? []) tail += `${name}: ${value}\r\n`
    parts.push(Buffer.from(`${tail}\r\n`, 'latin1'))
  }
  return Buffer.concat(parts)
}
