/**
 * A small HTTP/1.1 response parser for tests: it reads responses off a byte buffer the way a
 * strict client would (RFC 9112 §6.3 for the body length), so tests assert on what actually
 * went over the wire rather than on what a lenient library makes of it.
 */

export interface WireResponse {
  readonly version: string
  readonly status: number
  readonly reason: string
  /** Field lines in order, names as sent. */
  readonly headers: ReadonlyArray<readonly [string, string]>
  /** The decoded body (chunked framing removed). */
  readonly body: Buffer
  /** How the body was delimited on the wire. */
  readonly framing: 'none' | 'length' | 'chunked' | 'close'
  /** Trailer fields after a chunked body. */
  readonly trailers: ReadonlyArray<readonly [string, string]>
  /** The exact bytes of this response, head and body. */
  readonly raw: Buffer
  /** The first value of a field, case-insensitive. */
  get(name: string): string | undefined
  text(): string
  json(): unknown
}

export interface ParseOptions {
  /** The response answers a HEAD request: no body whatever the fields say (RFC 9112 §6.3 step 1). */
  readonly head?: boolean
  /** The peer has closed: a body without length runs to the end of the buffer. */
  readonly eof?: boolean
}

export type ParseResult =
  | { readonly kind: 'response'; readonly response: WireResponse; readonly consumed: number }
  | { readonly kind: 'incomplete' }

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1')

function makeResponse(fields: Omit<WireResponse, 'get' | 'text' | 'json'>): WireResponse {
  return {
    ...fields,
    get(name: string) {
      const lower = name.toLowerCase()
      return fields.headers.find(([n]) => n.toLowerCase() === lower)?.[1]
    },
    text() {
      return fields.body.toString('utf8')
    },
    json() {
      return JSON.parse(fields.body.toString('utf8')) as unknown
    },
  }
}

function parseFieldLines(lines: readonly string[]): Array<[string, string]> {
  return lines.map((line) => {
    const colon = line.indexOf(':')
    if (colon <= 0) throw new Error(`malformed field line in response: ${JSON.stringify(line)}`)
    return [line.slice(0, colon), line.slice(colon + 1).trim()]
  })
}

/** Parses one response from the start of `buffer`; throws on bytes no valid response could have. */
export function parseResponse(buffer: Buffer, options: ParseOptions = {}): ParseResult {
  const headEnd = buffer.indexOf(CRLFCRLF)
  if (headEnd === -1) {
    if (options.eof === true && buffer.length > 0)
      throw new Error(`connection closed in a response head: ${JSON.stringify(buffer.toString('latin1'))}`)
    return { kind: 'incomplete' }
  }
  const lines = buffer.subarray(0, headEnd).toString('latin1').split('\r\n')
  const statusLine = lines[0] ?? ''
  const m = /^(HTTP\/\d\.\d) (\d{3}) ?(.*)$/.exec(statusLine)
  if (m === null) throw new Error(`malformed status line: ${JSON.stringify(statusLine)}`)
  const status = Number(m[2])
  const headers = parseFieldLines(lines.slice(1))
  const bodyStart = headEnd + 4
  const base = { version: m[1]!, status, reason: m[3]!, headers }
  const lookup = (name: string) => headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v)

  const done = (
    body: Buffer,
    end: number,
    framing: WireResponse['framing'],
    trailers: Array<[string, string]> = [],
  ) =>
    ({
      kind: 'response',
      consumed: end,
      response: makeResponse({ ...base, body, framing, trailers, raw: Buffer.from(buffer.subarray(0, end)) }),
    }) as const

  // RFC 9112 §6.3 step 1: HEAD responses, 1xx, 204 and 304 have no content.
  if (options.head === true || status < 200 || status === 204 || status === 304) {
    return done(Buffer.alloc(0), bodyStart, 'none')
  }
  const te = lookup('transfer-encoding')
  if (te.length > 0) {
    if (!/(^|,)\s*chunked\s*$/i.test(te.join(',')))
      throw new Error(`unexpected Transfer-Encoding ${te.join(',')}`)
    return parseChunked(buffer, bodyStart, done)
  }
  const cl = lookup('content-length')
  if (cl.length > 0) {
    if (cl.length > 1 || !/^\d+$/.test(cl[0]!)) throw new Error(`bad Content-Length ${cl.join(',')}`)
    const length = Number(cl[0])
    if (buffer.length < bodyStart + length) {
      if (options.eof === true) throw new Error('connection closed before the Content-Length body ended')
      return { kind: 'incomplete' }
    }
    return done(Buffer.from(buffer.subarray(bodyStart, bodyStart + length)), bodyStart + length, 'length')
  }
  // RFC 9112 §6.3 step 8: no length, the body runs until the connection closes.
  if (options.eof !== true) return { kind: 'incomplete' }
  return done(Buffer.from(buffer.subarray(bodyStart)), buffer.length, 'close')
}

function parseChunked(
  buffer: Buffer,
  start: number,
  done: (body: Buffer, end: number, framing: 'chunked', trailers: Array<[string, string]>) => ParseResult,
): ParseResult {
  const parts: Buffer[] = []
  let at = start
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at, 'latin1')
    if (lineEnd === -1) return { kind: 'incomplete' }
    const sizeText = buffer.subarray(at, lineEnd).toString('latin1').split(';')[0]!.trim()
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new Error(`bad chunk size ${JSON.stringify(sizeText)}`)
    const size = Number.parseInt(sizeText, 16)
    at = lineEnd + 2
    if (size === 0) {
      const trailerEnd = buffer.indexOf('\r\n', at, 'latin1')
      if (trailerEnd === -1) return { kind: 'incomplete' }
      if (trailerEnd === at) return done(Buffer.concat(parts), at + 2, 'chunked', [])
      const end = buffer.indexOf(CRLFCRLF, at)
      if (end === -1) return { kind: 'incomplete' }
      const trailers = parseFieldLines(buffer.subarray(at, end).toString('latin1').split('\r\n'))
      return done(Buffer.concat(parts), end + 4, 'chunked', trailers)
    }
    if (buffer.length < at + size + 2) return { kind: 'incomplete' }
    parts.push(Buffer.from(buffer.subarray(at, at + size)))
    if (buffer[at + size] !== 0x0d || buffer[at + size + 1] !== 0x0a)
      throw new Error('chunk data not followed by CRLF')
    at += size + 2
  }
}
