import { type Logger, silentLogger } from '../app/logger.ts'
import { DEFAULT_LIMITS } from '../http1/parser.ts'
import type { ParserLeniency, ParserLimits } from '../http1/types.ts'

export interface ServerLimits extends ParserLimits {
  /** Requests parsed ahead and waiting for their response, per connection, before we stop reading. */
  readonly maxPipelinedRequests: number
}

export interface ServerTimeouts {
  /** From the first byte of a request (or the accept) until its head is complete; then 408. Node's default is 60 s. */
  readonly headers: number
  /** From the end of the head until the end of the body; then 408. */
  readonly request: number
  /** An idle keep-alive connection is closed after this long. Node's default is 5 s. */
  readonly keepAlive: number
  /** A handler that has not answered after this long gets 503 and loses its pool slot; 0 turns it off. */
  readonly handler: number
  /** After we close our side, how long the peer may keep sending before the socket is destroyed. */
  readonly closeGrace: number
  /** How long close() waits for in-flight requests before destroying connections. */
  readonly shutdown: number
}

export interface ServerOptions {
  /** The listen() backlog: SockHTTP's default of 5. */
  readonly backlog?: number
  /** Handler invocations in flight across the server: SockHTTP's thread_pool_size, default 4. */
  readonly poolSize?: number
  /** Requests waiting for the pool; past it they get 503. */
  readonly queueLimit?: number
  /** Connections served at once; the excess get 503 and are closed. */
  readonly maxConnections?: number
  readonly limits?: Partial<ServerLimits>
  readonly timeouts?: Partial<ServerTimeouts>
  readonly leniency?: ParserLeniency
  readonly logger?: Logger
}

export interface ResolvedOptions {
  readonly backlog: number
  readonly poolSize: number
  readonly queueLimit: number
  readonly maxConnections: number
  readonly limits: ServerLimits
  readonly timeouts: ServerTimeouts
  readonly leniency: ParserLeniency
  readonly logger: Logger
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = Object.freeze({
  ...DEFAULT_LIMITS,
  // A buffered body lives in memory until the handler returns; 1 MiB keeps that bounded.
  maxBodySize: 1024 * 1024,
  maxPipelinedRequests: 16,
})

export const DEFAULT_TIMEOUTS: ServerTimeouts = Object.freeze({
  headers: 60_000,
  request: 300_000,
  keepAlive: 5_000,
  handler: 0,
  closeGrace: 2_000,
  shutdown: 30_000,
})

export function resolveOptions(options: ServerOptions): ResolvedOptions {
  return {
    backlog: options.backlog ?? 5,
    poolSize: options.poolSize ?? 4,
    queueLimit: options.queueLimit ?? 1024,
    maxConnections: options.maxConnections ?? Number.POSITIVE_INFINITY,
    limits: { ...DEFAULT_SERVER_LIMITS, ...options.limits },
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    leniency: options.leniency ?? {},
    logger: options.logger ?? silentLogger,
  }
}
