import { createServer, type Server as NetServer, type Socket } from 'node:net'
import { type App, buildRouter } from '../app/app.ts'
import type { Router, Routes } from '../app/router.ts'
import { Connection, type ConnectionContext } from '../connection/connection.ts'
import { RequestParser } from '../http1/parser.ts'
import { serializeResponseHead } from '../http1/serialize.ts'
import { type ResolvedOptions, resolveOptions, type ServerOptions } from './options.ts'
import { HandlerPool, type PoolStats } from './pool.ts'

/** Idle parsers kept for reuse: enough for bursts of new requests, bounded so they never pile up. */
const MAX_POOLED_PARSERS = 256

export interface ServerStats {
  /** Connections open now. */
  readonly connections: number
  /** TCP connections accepted since start, including those refused by maxConnections. */
  readonly connectionsAccepted: number
  /** Connections answered 503 because maxConnections was reached. */
  readonly connectionsRefused: number
  /** Request heads received. */
  readonly requests: number
  readonly pool: PoolStats
}

export interface BoundAddress {
  readonly host: string
  readonly port: number
}

/**
 * SockHTTP's `Server(routes, backlog, thread_pool_size)`, on node:net: it listens with the given
 * backlog, gives each socket a Connection, shares one handler pool between them, and shuts
 * down gracefully.
 */
export class Server {
  readonly options: ResolvedOptions
  readonly router: Router
  readonly pool: HandlerPool
  readonly #net: NetServer
  readonly #connections = new Set<Connection>()
  readonly #context: ConnectionContext
  #accepted = 0
  #refused = 0
  #requests = 0
  #shuttingDown = false
  #closing: Promise<void> | null = null
  #onDrained: (() => void) | null = null
  readonly #parsers: RequestParser[] = []

  constructor(routes: Routes | App | Router, options: ServerOptions = {}) {
    this.options = resolveOptions(options)
    this.router = buildRouter(routes)
    this.pool = new HandlerPool(this.options.poolSize, this.options.queueLimit)
    this.#context = {
      options: this.options,
      router: this.router,
      pool: this.pool,
      logger: this.options.logger,
      acquireParser: () =>
        this.#parsers.pop() ??
        new RequestParser({ limits: this.options.limits, leniency: this.options.leniency }),
      releaseParser: (parser) => {
        if (this.#parsers.length < MAX_POOLED_PARSERS) this.#parsers.push(parser)
      },
      onRequest: () => {
        this.#requests++
      },
      onClose: (connection) => {
        this.#connections.delete(connection)
        if (this.#connections.size === 0) this.#onDrained?.()
      },
    }
    // allowHalfOpen: a client that sends FIN after its request still reads our response.
    this.#net = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.#accept(socket))
    this.#net.on('error', (error) => this.options.logger.error('listen socket error', error))
  }

  /** Listens on `port` (0 for any free port) and resolves with the address actually bound. */
  start(port = 0, host = '127.0.0.1'): Promise<BoundAddress> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error)
      this.#net.once('error', onError)
      this.#net.listen({ port, host, backlog: this.options.backlog }, () => {
        this.#net.off('error', onError)
        resolve(this.address!)
      })
    })
  }

  get address(): BoundAddress | null {
    const address = this.#net.address()
    if (address === null || typeof address === 'string') return null
    return { host: address.address, port: address.port }
  }

  get listening(): boolean {
    return this.#net.listening
  }

  get stats(): ServerStats {
    return {
      connections: this.#connections.size,
      connectionsAccepted: this.#accepted,
      connectionsRefused: this.#refused,
      requests: this.#requests,
      pool: this.pool.stats,
    }
  }

  /**
   * Graceful shutdown: stop accepting, close idle connections, answer every request whose head
   * has arrived (the last response says `Connection: close`), then resolve. Connections still
   * open after `deadline` ms are destroyed.
   */
  close(options: { deadline?: number } = {}): Promise<void> {
    if (this.#closing !== null) return this.#closing
    this.#shuttingDown = true
    const deadline = options.deadline ?? this.options.timeouts.shutdown
    this.#closing = new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | null = null
      const finish = () => {
        if (timer !== null) clearTimeout(timer)
        resolve()
      }
      // Resolve once the listener is closed and the last connection is gone.
      let pending = 2
      const settle = () => {
        if (--pending === 0) finish()
      }
      if (this.#net.listening) this.#net.close(() => settle())
      else settle()
      if (this.#connections.size === 0) settle()
      else this.#onDrained = settle
      for (const connection of this.#connections) connection.shutdown()
      timer = setTimeout(() => {
        for (const connection of this.#connections) connection.destroy()
      }, deadline)
      timer.unref()
    })
    return this.#closing
  }

  #accept(socket: Socket): void {
    this.#accepted++
    if (this.#shuttingDown) {
      socket.destroy()
      return
    }
    if (this.#connections.size >= this.options.maxConnections) {
      this.#refuse(socket)
      return
    }
    this.#connections.add(new Connection(socket, this.#context))
  }

  /** Over maxConnections: say so with 503 rather than dropping the client in silence. */
  #refuse(socket: Socket): void {
    this.#refused++
    socket.on('error', () => socket.destroy())
    const body = '503 Service Unavailable: too many connections\n'
    const head = serializeResponseHead({
      status: 503,
      headers: [
        ['Content-Type', 'text/plain; charset=utf-8'],
        ['Retry-After', '1'],
      ],
      length: body.length,
      connection: 'close',
    })
    socket.end(head + body, 'latin1')
    socket.resume()
    const timer = setTimeout(() => socket.destroy(), this.options.timeouts.closeGrace)
    timer.unref()
    socket.on('close', () => clearTimeout(timer))
  }
}
