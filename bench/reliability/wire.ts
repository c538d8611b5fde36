/**
 * The client side of the reliability checks, on raw sockets: an incremental HTTP/1.1 response
 * reader (so that pipelined, partial, reset and close-delimited responses are all seen exactly
 * as they arrive) and small helpers to open connections and wait for them to end.
 */
import { connect, type Socket } from 'node:net'

export interface RawResponse {
  readonly status: number
  /** Lower-cased names. */
  readonly headers: ReadonlyMap<string, string>
  readonly body: Buffer
  /** performance.now() when the last byte of the response arrived. */
  readonly at: number
}

type Framing = { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'close' }

/**
 * Parses responses from a byte stream. `onResponse` fires once per complete response, in order.
 * Bodies are framed per RFC 9112 §6.3: 1xx/204/304 and responses to HEAD have none, then
 * Transfer-Encoding chunked, then Content-Length, else the body runs to the end of the stream.
 */
export class ResponseReader {
  readonly responses: RawResponse[] = []
  /** Set when the bytes cannot be a response: the checks count this as a failure. */
  error: string | null = null
  bytesReceived = 0
  readonly #keep: boolean
  readonly #onResponse: ((response: RawResponse) => void) | undefined
  #buffer: Buffer = Buffer.alloc(0)
  #head: { status: number; headers: Map<string, string> } | null = null
  #framing: Framing | null = null
  #parts: Buffer[] = []
  /** Methods of the requests sent, in order, when some are HEAD (their responses have no body). */
  readonly headRequests: boolean[] = []

  /** `keep: false` does not retain responses in `responses` (for long runs); `onResponse` still sees each. */
  constructor(options: { keep?: boolean; onResponse?: (response: RawResponse) => void } = {}) {
    this.#keep = options.keep ?? true
    this.#onResponse = options.onResponse
  }

  /** Responses parsed, including those not kept. */
  count = 0

  get midResponse(): boolean {
    return this.#head !== null || this.#buffer.length > 0
  }

  feed(chunk: Buffer): void {
    this.bytesReceived += chunk.length
    if (this.error !== null) return
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk])
    while (this.error === null && this.#step()) {}
  }

  /** The stream ended: a close-delimited body completes here; anything else half-read is an error. */
  end(): void {
    if (this.error !== null) return
    if (this.#head !== null && this.#framing?.kind === 'close') {
      this.#parts.push(this.#buffer)
      this.#buffer = Buffer.alloc(0)
      this.#emit()
    } else if (this.midResponse) {
      this.error = 'the connection ended in the middle of a response'
    }
  }

  #step(): boolean {
    if (this.#head === null) {
      const end = this.#buffer.indexOf('\r\n\r\n')
      if (end === -1) {
        if (this.#buffer.length > 64 * 1024) this.error = 'response head larger than 64 KiB'
        return false
      }
      const lines = this.#buffer.subarray(0, end).toString('latin1').split('\r\n')
      this.#buffer = this.#buffer.subarray(end + 4)
      const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0] ?? '')
      if (m === null) {
        this.error = `bad status line ${JSON.stringify(lines[0])}`
        return false
      }
      const headers = new Map<string, string>()
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':')
        if (colon <= 0) {
          this.error = `bad header line ${JSON.stringify(line)}`
          return false
        }
        const name = line.slice(0, colon).toLowerCase()
        const value = line.slice(colon + 1).trim()
        headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value)
      }
      const status = Number(m[1])
      if (status < 200) return true // 1xx: informational, the final response follows.
      this.#head = { status, headers }
      const isHead = this.headRequests[this.count] === true
      const te = headers.get('transfer-encoding')
      const cl = headers.get('content-length')
      if (isHead || status === 204 || status === 304) this.#framing = { kind: 'length', remaining: 0 }
      else if (te !== undefined && /chunked\s*$/i.test(te)) this.#framing = { kind: 'chunked' }
      else if (cl !== undefined) this.#framing = { kind: 'length', remaining: Number(cl) }
      else this.#framing = { kind: 'close' }
      return true
    }
    const framing = this.#framing!
    if (framing.kind === 'close') {
      if (this.#buffer.length > 0) this.#parts.push(this.#buffer)
      this.#buffer = Buffer.alloc(0)
      return false
    }
    if (framing.kind === 'length') {
      const take = Math.min(framing.remaining, this.#buffer.length)
      if (take > 0) {
        this.#parts.push(this.#buffer.subarray(0, take))
        this.#buffer = this.#buffer.subarray(take)
        framing.remaining -= take
      }
      if (framing.remaining > 0) return false
      this.#emit()
      return true
    }
    // chunked: size line, data, CRLF ... last chunk, trailers, CRLF
    const lineEnd = this.#buffer.indexOf('\r\n')
    if (lineEnd === -1) return false
    const size = Number.parseInt(this.#buffer.subarray(0, lineEnd).toString('latin1'), 16)
    if (!Number.isFinite(size)) {
      this.error = 'bad chunk size'
      return false
    }
    if (size === 0) {
      const trailerEnd = this.#buffer.indexOf('\r\n\r\n', lineEnd)
      const end = this.#buffer.subarray(lineEnd, lineEnd + 4).equals(Buffer.from('\r\n\r\n'))
        ? lineEnd + 4
        : trailerEnd === -1
          ? -1
          : trailerEnd + 4
      if (end === -1) return false
      this.#buffer = this.#buffer.subarray(end)
      this.#emit()
      return true
    }
    if (this.#buffer.length < lineEnd + 2 + size + 2) return false
    this.#parts.push(this.#buffer.subarray(lineEnd + 2, lineEnd + 2 + size))
    this.#buffer = this.#buffer.subarray(lineEnd + 2 + size + 2)
    return true
  }

  #emit(): void {
    const head = this.#head!
    const response: RawResponse = {
      status: head.status,
      headers: head.headers,
      body: this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts),
      at: performance.now(),
    }
    this.#head = null
    this.#framing = null
    this.#parts = []
    this.count++
    if (this.#keep) this.responses.push(response)
    this.#onResponse?.(response)
  }
}

/** Opens a TCP connection; rejects with the connect error (ECONNREFUSED...) if it fails. */
export function open(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host, noDelay: true })
    const onError = (error: Error) => reject(error)
    socket.once('error', onError)
    socket.once('connect', () => {
      socket.off('error', onError)
      resolve(socket)
    })
  })
}

export interface Conversation {
  readonly socket: Socket
  readonly reader: ResponseReader
  /** Resolves when the socket is fully closed, with the error that closed it if any. */
  readonly closed: Promise<{ error: string | null; at: number }>
  /** Waits for the n-th response (1-based count), or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<RawResponse>
}

/** A connection whose incoming bytes go through a ResponseReader. Errors are recorded, never thrown. */
export async function converse(port: number, options: { keep?: boolean } = {}): Promise<Conversation> {
  const socket = await open(port)
  return attach(socket, options)
}

export function attach(
  socket: Socket,
  options: { keep?: boolean; onResponse?: (response: RawResponse) => void } = {},
): Conversation {
  const waiters: Array<{ count: number; resolve: (r: RawResponse) => void; reject: (e: Error) => void }> = []
  let last: RawResponse | null = null
  const settle = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!
      if (reader.count >= w.count && last !== null) {
        waiters.splice(i, 1)
        w.resolve(reader.responses[w.count - 1] ?? last)
      }
    }
  }
  const reader = new ResponseReader({
    keep: options.keep ?? true,
    onResponse: (r) => {
      last = r
      options.onResponse?.(r)
      settle()
    },
  })
  let error: string | null = null
  let isClosed = false
  socket.on('data', (chunk: Buffer) => reader.feed(chunk))
  socket.on('error', (e: NodeJS.ErrnoException) => {
    error = e.code ?? e.message
  })
  socket.on('end', () => reader.end())
  const closed = new Promise<{ error: string | null; at: number }>((resolve) => {
    socket.once('close', () => {
      isClosed = true
      const at = performance.now()
      for (const w of waiters.splice(0))
        w.reject(new Error(`connection closed (${error ?? 'EOF'}) before response ${w.count}`))
      resolve({ error, at })
    })
  })
  return {
    socket,
    reader,
    closed,
    waitFor(count, timeoutMs) {
      if (reader.count >= count) return Promise.resolve(reader.responses[count - 1] ?? last!)
      if (isClosed)
        return Promise.reject(new Error(`connection closed (${error ?? 'EOF'}) before response ${count}`))
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(entry)
          if (i !== -1) waiters.splice(i, 1)
          reject(new Error(`no response ${count} within ${timeoutMs} ms`))
        }, timeoutMs)
        const entry = {
          count,
          resolve: (r: RawResponse) => {
            clearTimeout(timer)
            resolve(r)
          },
          reject: (e: Error) => {
            clearTimeout(timer)
            reject(e)
          },
        }
        waiters.push(entry)
      })
    },
  }
}

/** Resolves true if `promise` settles within `ms`, false otherwise (the promise keeps running). */
export function within<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve({ value })
      },
      () => {
        clearTimeout(timer)
        resolve(null)
      },
    )
  })
}

export function get(path: string, extra = ''): string {
  return `GET ${path} HTTP/1.1\r\nHost: reliability\r\n${extra}\r\n`
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
