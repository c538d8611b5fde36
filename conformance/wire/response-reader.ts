/**
 * A small, strict HTTP/1.1 response reader for raw sockets (sans-IO: bytes in, responses out).
 *
 * It is strict on purpose: the suite judges servers, so a malformed status line, a bare LF, a bad
 * Content-Length or broken chunked framing in a *response* is reported, never papered over.
 * Framing follows RFC 9112 §6.3 from the client side: HEAD responses, 1xx, 204 and 304 have no body;
 * a 2xx to CONNECT and a 101 switch protocols; chunked; Content-Length; otherwise read until close.
 */
import { concat, toLatin1 } from './bytes.ts'

export interface InterimResponse {
  readonly status: number
  readonly headers: readonly (readonly [string, string])[]
}

export interface ParsedResponse {
  readonly version: string
  readonly status: number
  readonly reason: string
  readonly headers: readonly (readonly [string, string])[]
  readonly body: Uint8Array
  readonly trailers: readonly (readonly [string, string])[]
  readonly framing: 'none' | 'length' | 'chunked' | 'close' | 'switch'
  /** 1xx responses (other than 101) that came before this one. */
  readonly interim: readonly InterimResponse[]
}

/** RFC 9110 §5.6.2 token characters. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const STATUS_LINE = /^(HTTP\/\d\.\d) (\d{3}) ([\t\x20-\x7e\x80-\xff]*)$/

type State =
  | { kind: 'head' }
  | { kind: 'length'; remaining: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; remaining: number }
  | { kind: 'chunk-data-crlf' }
  | { kind: 'trailers' }
  | { kind: 'close' }
  | { kind: 'stopped' }

interface Pending {
  version: string
  status: number
  reason: string
  headers: [string, string][]
  framing: ParsedResponse['framing']
  body: Uint8Array[]
  trailers: [string, string][]
}

export function headerValue(
  headers: readonly (readonly [string, string])[],
  name: string,
): string | undefined {
  const lower = name.toLowerCase()
  const values = headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v)
  return values.length === 0 ? undefined : values.join(', ')
}

export class ResponseReader {
  readonly responses: ParsedResponse[] = []
  /** All 1xx interim responses seen so far, in order. */
  readonly interims: InterimResponse[] = []
  /** Bytes after a 101 or a 2xx to CONNECT: no longer HTTP. */
  tunnel: Uint8Array = new Uint8Array(0)
  error: string | null = null
  #methods: readonly string[]
  #buf: Uint8Array = new Uint8Array(0)
  #state: State = { kind: 'head' }
  #pending: Pending | null = null
  #interimForNext: InterimResponse[] = []

  constructor(methods: readonly string[] = []) {
    this.#methods = methods
  }

  /** True while part of a response has arrived but not all of it. */
  get midMessage(): boolean {
    if (this.error || this.#state.kind === 'stopped') return false
    return this.#pending !== null || this.#buf.length > 0
  }

  get stopped(): boolean {
    return this.#state.kind === 'stopped'
  }

  push(chunk: Uint8Array): void {
    if (this.error) return
    if (this.#state.kind === 'stopped') {
      this.tunnel = concat([this.tunnel, chunk])
      return
    }
    this.#buf = this.#buf.length === 0 ? chunk.slice() : concat([this.#buf, chunk])
    this.#drain()
  }

  /** The peer closed. A close-delimited body ends here; anything else unfinished is an error. */
  end(): void {
    if (this.error) return
    if (this.#state.kind === 'close' && this.#pending) {
      this.#pending.body.push(this.#buf)
      this.#buf = new Uint8Array(0)
      this.#finish()
      return
    }
    if (this.#pending || this.#buf.length > 0) {
      if (this.#state.kind !== 'stopped') this.#fail('connection closed in the middle of a response')
    }
  }

  #fail(message: string): void {
    this.error = message
  }

  #drain(): void {
    for (let guard = 0; guard < 100_000 && !this.error; guard++) {
      if (!this.#step()) return
    }
  }

  /** Reads a CRLF-terminated line from the buffer; null if incomplete. Bare LF is an error. */
  #line(): string | null {
    const lf = this.#buf.indexOf(0x0a)
    if (lf < 0) {
      if (this.#buf.length > 65_536) this.#fail('response line longer than 64 KiB')
      return null
    }
    if (lf === 0 || this.#buf[lf - 1] !== 0x0d) {
      this.#fail('bare LF in the response (RFC 9112 §2.2 requires CRLF from a sender)')
      return null
    }
    const text = toLatin1(this.#buf.subarray(0, lf - 1))
    this.#buf = this.#buf.subarray(lf + 1)
    if (text.includes('\r')) {
      this.#fail('bare CR in the response')
      return null
    }
    return text
  }

  /** One state transition; false when more bytes are needed. */
  #step(): boolean {
    const st = this.#state
    switch (st.kind) {
      case 'head':
        return this.#readHead()
      case 'length': {
        if (this.#buf.length === 0) return false
        const n = Math.min(st.remaining, this.#buf.length)
        this.#pending!.body.push(this.#buf.subarray(0, n))
        this.#buf = this.#buf.subarray(n)
        st.remaining -= n
        if (st.remaining === 0) this.#finish()
        return true
      }
      case 'chunk-size': {
        const line = this.#line()
        if (line === null) return false
        const m = /^([0-9A-Fa-f]+)(?:[ \t]*;.*)?$/.exec(line)
        if (!m || m[1]!.length > 12) {
          this.#fail(`invalid chunk-size line ${JSON.stringify(line)}`)
          return false
        }
        const size = Number.parseInt(m[1]!, 16)
        this.#state = size === 0 ? { kind: 'trailers' } : { kind: 'chunk-data', remaining: size }
        return true
      }
      case 'chunk-data': {
        if (this.#buf.length === 0) return false
        const n = Math.min(st.remaining, this.#buf.length)
        this.#pending!.body.push(this.#buf.subarray(0, n))
        this.#buf = this.#buf.subarray(n)
        st.remaining -= n
        if (st.remaining === 0) this.#state = { kind: 'chunk-data-crlf' }
        return true
      }
      case 'chunk-data-crlf': {
        if (this.#buf.length < 2) return false
        if (this.#buf[0] !== 0x0d || this.#buf[1] !== 0x0a) {
          this.#fail('chunk data not followed by CRLF')
          return false
        }
        this.#buf = this.#buf.subarray(2)
        this.#state = { kind: 'chunk-size' }
        return true
      }
      case 'trailers': {
        const line = this.#line()
        if (line === null) return false
        if (line === '') {
          this.#finish()
          return true
        }
        const field = this.#field(line)
        if (field) this.#pending!.trailers.push(field)
        return true
      }
      case 'close':
        return false
      case 'stopped':
        return false
    }
  }

  #field(line: string): [string, string] | null {
    const colon = line.indexOf(':')
    const name = colon < 0 ? '' : line.slice(0, colon)
    if (!TOKEN.test(name)) {
      this.#fail(`invalid response field line ${JSON.stringify(line)}`)
      return null
    }
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
      this.#fail(`control character in response field ${name}`)
      return null
    }
    return [name, value]
  }

  #readHead(): boolean {
    if (this.#buf.length === 0) return false
    // Find the end of the head without consuming, so an incomplete head waits for more bytes.
    const end = indexOfCrlfCrlf(this.#buf)
    if (end < 0) {
      if (this.#buf.indexOf(0x0a) >= 0) {
        const lf = this.#buf.indexOf(0x0a)
        if (lf === 0 || this.#buf[lf - 1] !== 0x0d) this.#fail('bare LF in the response head')
      }
      if (this.#buf.length > 65_536) this.#fail('response head longer than 64 KiB')
      return false
    }
    const statusLine = this.#line()
    if (statusLine === null) return false
    const m = STATUS_LINE.exec(statusLine)
    if (!m) {
      this.#fail(`malformed status line ${JSON.stringify(statusLine)}`)
      return false
    }
    const headers: [string, string][] = []
    for (;;) {
      const line = this.#line()
      if (line === null) return false
      if (line === '') break
      if (line.startsWith(' ') || line.startsWith('\t')) {
        this.#fail('obs-fold in a response (RFC 9112 §5.2 forbids senders to generate it)')
        return false
      }
      const field = this.#field(line)
      if (!field) return false
      headers.push(field)
    }
    const status = Number(m[2])
    if (status >= 100 && status < 200 && status !== 101) {
      const interim = { status, headers }
      this.interims.push(interim)
      this.#interimForNext.push(interim)
      return true
    }
    const pending: Pending = {
      version: m[1]!,
      status,
      reason: m[3]!,
      headers,
      framing: 'none',
      body: [],
      trailers: [],
    }
    this.#pending = pending
    const method = (this.#methods[this.responses.length] ?? 'GET').toUpperCase()
    const te = headerValue(headers, 'transfer-encoding')
    const cl = headerValue(headers, 'content-length')
    if (status === 101 || (method === 'CONNECT' && status >= 200 && status < 300)) {
      pending.framing = 'switch'
      this.#finish()
      this.#state = { kind: 'stopped' }
      this.tunnel = this.#buf.slice()
      this.#buf = new Uint8Array(0)
      return false
    }
    if (method === 'HEAD' || status === 204 || status === 304) {
      this.#finish()
      return true
    }
    if (te !== undefined) {
      if (cl !== undefined) {
        this.#fail('response has both Transfer-Encoding and Content-Length (RFC 9112 §6.1)')
        return false
      }
      const codings = te.split(',').map((c) => c.trim().toLowerCase())
      if (codings.at(-1) === 'chunked') {
        pending.framing = 'chunked'
        this.#state = { kind: 'chunk-size' }
      } else {
        pending.framing = 'close'
        this.#state = { kind: 'close' }
      }
      return true
    }
    if (cl !== undefined) {
      const values = cl.split(',').map((v) => v.trim())
      if (!values.every((v) => /^\d{1,15}$/.test(v)) || new Set(values).size !== 1) {
        this.#fail(`invalid Content-Length in response: ${JSON.stringify(cl)}`)
        return false
      }
      const length = Number(values[0])
      pending.framing = 'length'
      if (length === 0) this.#finish()
      else this.#state = { kind: 'length', remaining: length }
      return true
    }
    pending.framing = 'close'
    this.#state = { kind: 'close' }
    return true
  }

  #finish(): void {
    const p = this.#pending!
    this.responses.push({
      version: p.version,
      status: p.status,
      reason: p.reason,
      headers: p.headers,
      body: concat(p.body),
      trailers: p.trailers,
      framing: p.framing,
      interim: this.#interimForNext,
    })
    this.#interimForNext = []
    this.#pending = null
    this.#state = { kind: 'head' }
  }
}

function indexOfCrlfCrlf(buf: Uint8Array): number {
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 0x0d && buf[i + 1] === 0x0a && buf[i + 2] === 0x0d && buf[i + 3] === 0x0a) return i
  }
  return -1
}
