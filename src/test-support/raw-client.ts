/**
 * A raw TCP client for tests: it writes exact bytes (whole, or split into pieces sent as
 * separate writes) and reads responses back with the strict parser of wire.ts. Every wait is
 * for an event (bytes, end, close) and is bounded by a timeout, so a hung server fails the test
 * instead of hanging it.
 */
import { connect, type Socket } from 'node:net'
import { type ParseOptions, parseResponse, type WireResponse } from './wire.ts'

export const DEFAULT_WAIT_MS = 5_000

export interface CloseInfo {
  /** The server sent FIN (an orderly close) before the socket closed. */
  readonly ended: boolean
  /** The socket closed with an error (e.g. ECONNRESET). */
  readonly error: Error | null
}

export class RawClient {
  readonly socket: Socket
  #buffer: Buffer = Buffer.alloc(0)
  #ended = false
  #closed = false
  #error: Error | null = null
  #waiters: Array<() => void> = []
  readonly #closedPromise: Promise<CloseInfo>

  private constructor(socket: Socket) {
    this.socket = socket
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk])
      this.#wake()
    })
    socket.on('end', () => {
      this.#ended = true
      this.#wake()
    })
    socket.on('error', (error) => {
      this.#error = error
      this.#wake()
    })
    this.#closedPromise = new Promise((resolve) => {
      socket.on('close', () => {
        this.#closed = true
        this.#wake()
        resolve({ ended: this.#ended, error: this.#error })
      })
    })
  }

  /** Connects to 127.0.0.1:port; `allowHalfOpen` lets the test keep reading after its own FIN. */
  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, allowHalfOpen: true })
      const client = new RawClient(socket)
      socket.once('connect', () => resolve(client))
      socket.once('error', reject)
    })
  }

  /** Bytes received and not yet consumed by readResponse(). */
  get buffered(): Buffer {
    return this.#buffer
  }

  get ended(): boolean {
    return this.#ended
  }

  /** Writes `data`; with `splits`, as separate writes cut at those byte offsets, each flushed before the next. */
  async send(data: string | Uint8Array, splits: readonly number[] = []): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data)
    let from = 0
    for (const at of [...splits, bytes.length]) {
      if (at <= from) continue
      await this.#write(bytes.subarray(from, at))
      from = at
    }
  }

  #write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (error) => (error ? reject(error) : resolve()))
    })
  }

  /** Half-closes our side (FIN); the server may still answer. */
  end(): void {
    this.socket.end()
  }

  destroy(): void {
    this.socket.destroy()
  }

  /** Resolves when the next change (bytes, end, close) happens, or rejects after `ms`. */
  #changed(ms: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== wake)
        reject(
          new Error(
            `timed out after ${ms} ms waiting for ${what}; received so far: ${JSON.stringify(this.#buffer.toString('latin1').slice(0, 400))}`,
          ),
        )
      }, ms)
      const wake = () => {
        clearTimeout(timer)
        resolve()
      }
      this.#waiters.push(wake)
    })
  }

  #wake(): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const wake of waiters) wake()
  }

  /** Reads the next complete response (1xx included, as its own response). */
  async readResponse(
    options: Omit<ParseOptions, 'eof'> & { timeoutMs?: number } = {},
  ): Promise<WireResponse> {
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_WAIT_MS)
    for (;;) {
      const eof = this.#ended || this.#closed
      const result = parseResponse(this.#buffer, { ...options, eof })
      if (result.kind === 'response') {
        this.#buffer = this.#buffer.subarray(result.consumed)
        return result.response
      }
      if (eof) {
        throw new Error(
          `connection closed before a complete response; received: ${JSON.stringify(this.#buffer.toString('latin1').slice(0, 400))}`,
        )
      }
      await this.#changed(Math.max(1, deadline - Date.now()), 'a response')
    }
  }

  /** Reads `count` responses in order. */
  async readResponses(
    count: number,
    options: Omit<ParseOptions, 'eof'> & { timeoutMs?: number } = {},
  ): Promise<WireResponse[]> {
    const out: WireResponse[] = []
    for (let i = 0; i < count; i++) out.push(await this.readResponse(options))
    return out
  }

  /** Waits until at least `bytes` bytes are buffered (e.g. a 100 Continue line), or the connection ends. */
  async waitForBytes(bytes: number, timeoutMs = DEFAULT_WAIT_MS): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs
    while (this.#buffer.length < bytes && !this.#ended && !this.#closed) {
      await this.#changed(Math.max(1, deadline - Date.now()), `${bytes} bytes`)
    }
    return this.#buffer
  }

  /** Waits until the server has sent FIN (or the socket closed), bounded by `timeoutMs`. */
  async waitForEnd(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!this.#ended && !this.#closed) {
      await this.#changed(Math.max(1, deadline - Date.now()), 'the server to close the connection')
    }
  }

  /** Waits for the socket to close entirely; our side is ended first so that it can. */
  async waitForClose(timeoutMs = DEFAULT_WAIT_MS): Promise<CloseInfo> {
    await this.waitForEnd(timeoutMs)
    if (!this.#closed) this.socket.end()
    return bounded(this.#closedPromise, timeoutMs, 'the socket to close')
  }

  /** Neither FIN nor close has been seen from the server. */
  get isOpen(): boolean {
    return !this.#ended && !this.#closed
  }
}

/** Races `promise` against a timeout, so no await in a test can hang. */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

/** Sends `request` on a fresh connection and reads one response. */
export async function exchange(
  port: number,
  request: string | Uint8Array,
  options: Omit<ParseOptions, 'eof'> = {},
): Promise<{ response: WireResponse; client: RawClient }> {
  const client = await RawClient.connect(port)
  await client.send(request)
  const response = await client.readResponse(options)
  return { response, client }
}

/** A GET request with Host, plus any extra field lines. */
export function get(target: string, extra: readonly string[] = [], version = '1.1'): string {
  return `GET ${target} HTTP/${version}\r\nHost: test\r\n${extra.map((l) => `${l}\r\n`).join('')}\r\n`
}

/** A request with a Content-Length body. */
export function withBody(
  method: string,
  target: string,
  body: string,
  extra: readonly string[] = [],
): string {
  const length = Buffer.byteLength(body, 'latin1')
  return `${method} ${target} HTTP/1.1\r\nHost: test\r\nContent-Length: ${length}\r\n${extra.map((l) => `${l}\r\n`).join('')}\r\n${body}`
}
