/**
 * A client for one downstream service: an undici Pool (keep-alive, bounded connections) with
 * timeouts on every phase, so a peer that is down or stuck becomes a 502 or a 504 with a JSON
 * error instead of a request that never ends.
 */
import { Pool } from 'undici'

export interface DownstreamOptions {
  /** Used in error messages: "order service unavailable". */
  readonly name: string
  /** http://host:port */
  readonly origin: string
  readonly connectTimeoutMs: number
  /** From sending the request to receiving the whole response head. */
  readonly headersTimeoutMs: number
  /** Longest silence between two pieces of the response body. */
  readonly bodyTimeoutMs: number
  /** A bound on the whole exchange, queueing included (a slow drip of body bytes would dodge bodyTimeout). */
  readonly deadlineMs?: number
  /** Sockets kept open to the service; more requests than this wait in the pool's queue. */
  readonly connections?: number
}

export interface DownstreamReply {
  readonly status: number
  /** The parsed JSON body. */
  readonly body: unknown
  /** The body as received, so it can be relayed byte for byte. */
  readonly text: string
}

/** Why a downstream call produced no usable answer, and the status the caller should send. */
export class DownstreamError extends Error {
  override name = 'DownstreamError'
  readonly status: 502 | 504
  constructor(status: 502 | 504, message: string, options?: { cause: unknown }) {
    super(message, options)
    this.status = status
  }
}

const DEFAULT_CONNECTIONS = 16
/** Shorter than the server's 5 s keep-alive timeout: idle sockets are ended by us, not by the server mid-request. */
const KEEP_ALIVE_TIMEOUT_MS = 4_000
/** Replies of the stocks services are tiny; anything larger is a fault, not data. */
const MAX_RESPONSE_BYTES = 256 * 1024

/** undici and socket errors that mean "no answer in time" (504) rather than "no answer at all" (502). */
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  // Our only abort is the deadline signal.
  'UND_ERR_ABORTED',
  'ETIMEDOUT',
])

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  if ('code' in err && typeof err.code === 'string') return err.code
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError.
  if ('name' in err && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'UND_ERR_ABORTED'
  return undefined
}

export function classifyFailure(service: string, err: unknown): DownstreamError {
  const code = errorCode(err)
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new DownstreamError(504, `${service} service timed out`, { cause: err })
  }
  return new DownstreamError(502, `${service} service unavailable`, { cause: err })
}

export class Downstream {
  readonly name: string
  readonly origin: string
  readonly #pool: Pool
  readonly #deadlineMs: number

  constructor(options: DownstreamOptions) {
    this.name = options.name
    this.origin = options.origin
    this.#deadlineMs =
      options.deadlineMs ?? options.connectTimeoutMs + options.headersTimeoutMs + options.bodyTimeoutMs
    this.#pool = new Pool(options.origin, {
      connections: options.connections ?? DEFAULT_CONNECTIONS,
      pipelining: 1,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_TIMEOUT_MS,
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      connect: { timeout: options.connectTimeoutMs },
      maxResponseSize: MAX_RESPONSE_BYTES,
    })
  }

  /** Sends a request and parses the JSON reply. Throws DownstreamError (502/504) when there is no usable reply. */
  async request(method: 'GET' | 'POST', path: string, json?: unknown): Promise<DownstreamReply> {
    let status: number
    let text: string
    try {
      const res = await this.#pool.request({
        method,
        path,
        headers:
          json === undefined
            ? { accept: 'application/json' }
            : { accept: 'application/json', 'content-type': 'application/json' },
        body: json === undefined ? null : JSON.stringify(json),
        signal: AbortSignal.timeout(this.#deadlineMs),
      })
      status = res.statusCode
      text = await res.body.text()
    } catch (err) {
      throw classifyFailure(this.name, err)
    }
    try {
      return { status, body: JSON.parse(text), text }
    } catch (err) {
      throw new DownstreamError(502, `${this.name} service sent an invalid response`, { cause: err })
    }
  }

  /** Waits for requests in flight, then closes the sockets. */
  async close(): Promise<void> {
    await this.#pool.close()
  }
}
