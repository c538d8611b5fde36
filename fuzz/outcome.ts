/**
 * The common shape both parsers' results are reduced to, so they can be compared field by field.
 * A stream is a list of complete messages followed by how the stream ended.
 */

export interface ParsedMessage {
  readonly method: string
  readonly target: string
  readonly version: string
  /** Flat name, value, name, value... as received (values trimmed of OWS). */
  readonly headers: readonly string[]
  readonly body: Uint8Array
  readonly trailers: readonly string[]
  /** Whether the parser would keep reading this connection after this message. */
  readonly keepAlive: boolean
  /** The parser stops reading HTTP/1.1 after this message (CONNECT; for llhttp also an Upgrade offer). */
  readonly upgrade: boolean
}

export type StreamEnd =
  /** Every byte was consumed by complete messages (or the stream left HTTP/1.1 via upgrade). */
  | { readonly kind: 'clean' }
  /** The parser rejected the stream (an EOF in the middle of a message counts as a rejection). */
  | { readonly kind: 'error'; readonly code: string; readonly status?: number; readonly offset?: number }

export interface ParseOutcome {
  readonly messages: readonly ParsedMessage[]
  readonly end: StreamEnd
  /** A head was parsed for a message that never completed (diagnostics only). */
  readonly partialHead: boolean
}

/** A JSON-friendly view of an outcome for reports. */
export function outcomeToJson(o: ParseOutcome): unknown {
  return {
    messages: o.messages.map((m) => ({
      method: m.method,
      target: m.target,
      version: m.version,
      headers: pairs(m.headers),
      trailers: pairs(m.trailers),
      body: Buffer.from(m.body).toString('base64'),
      bodyEscaped: escapeBytes(m.body),
      keepAlive: m.keepAlive,
      upgrade: m.upgrade,
    })),
    end: o.end,
    partialHead: o.partialHead,
  }
}

export function pairs(flat: readonly string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!])
  return out
}

/** Bytes as a readable string: printable ASCII as is, everything else as \r \n \t or \xNN. */
export function escapeBytes(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) {
    if (b === 0x0d) s += '\\r'
    else if (b === 0x0a) s += '\\n'
    else if (b === 0x09) s += '\\t'
    else if (b === 0x5c) s += '\\\\'
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b)
    else s += `\\x${b.toString(16).padStart(2, '0')}`
  }
  return s
}

/** Inverse of escapeBytes. */
export function unescapeBytes(s: string): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c !== 0x5c) {
      out.push(c & 0xff)
      continue
    }
    const n = s[i + 1]
    if (n === 'r') out.push(0x0d)
    else if (n === 'n') out.push(0x0a)
    else if (n === 't') out.push(0x09)
    else if (n === '\\') out.push(0x5c)
    else if (n === 'x') {
      out.push(Number.parseInt(s.slice(i + 2, i + 4), 16))
      i += 2
    }
    i++
  }
  return Uint8Array.from(out)
}

export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}

export function bytesOf(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'latin1'))
}
