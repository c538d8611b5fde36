/**
 * One TCP connection: it feeds the parser, keeps pipelined responses in request order, decides
 * persistence, runs the timeouts and applies backpressure in both directions.
 *
 * Invariants:
 * - `#exchanges` holds every request whose head has arrived and whose response is not fully
 *   written, in arrival order. Only `#exchanges[0]` ever writes to the socket.
 * - We read (pull parser events) only while fewer than `maxPipelinedRequests` requests wait,
 *   the socket's write buffer is below its high-water mark, and a streaming handler keeps up.
 * - After a protocol error, a `Connection: close` or a shutdown, no new request is started;
 *   the responses already owed still go out, in order, and then the connection closes.
 */
import type { Socket } from 'node:net'
import { HttpError } from '../app/errors.ts'
import { type Logger, silentLogger } from '../app/logger.ts'
import { Request, splitTarget } from '../app/request.ts'
import { type PreparedBody, Response } from '../app/response.ts'
import type { Handler, RouteMatch, Router } from '../app/router.ts'
import type { ParseError } from '../http1/errors.ts'
import { equalsIgnoreCase } from '../http1/names.ts'
import { NEED_DATA, type RequestParser } from '../http1/parser.ts'
import {
  chunkHeader,
  InvalidHeaderError,
  LAST_CHUNK,
  STATUS_REASONS,
  serializeResponseHead,
  statusAllowsBody,
} from '../http1/serialize.ts'
import type { RequestHead } from '../http1/types.ts'
import type { ResolvedOptions } from '../server/options.ts'
import type { HandlerPool } from '../server/pool.ts'
import { BodyStream } from './body-stream.ts'
import { Deadline } from './deadline.ts'
import { loopNow } from './loop-clock.ts'

/** What a connection needs from its server. */
export interface ConnectionContext {
  readonly options: ResolvedOptions
  readonly router: Router
  readonly pool: HandlerPool
  readonly logger: Logger
  /** Parsers are pooled server-wide: a connection holds one only while a request is in progress. */
  acquireParser(): RequestParser
  releaseParser(parser: RequestParser): void
  onRequest(): void
  onClose(connection: Connection): void
}

interface Outgoing {
  readonly status: number
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: PreparedBody
  /** The connection must close after this response (error, framing unknown, or asked for). */
  readonly close: boolean
}

/** One request and its response, from head to last byte written. */
class Exchange {
  readonly head: RequestHead
  /** RFC 9110 §9.2.1: a safe method, which may run in parallel with other safe ones. */
  readonly safe: boolean
  /** When the head arrived, for the access log; 0 when nothing logs. */
  readonly startedAt: number
  match: RouteMatch | null = null
  /** splitTarget(head): routing needs the path, and the Request both. */
  pathAndQuery: readonly [path: string, query: string] = NO_PATH
  /** The buffered body so far; the shared NO_PARTS until a part arrives. */
  bodyParts: Uint8Array[] = NO_PARTS
  bodyLength = 0
  stream: BodyStream | null = null
  complete = false
  dispatched = false
  /** The handler has answered (or will never run): later unsafe requests may start. */
  handlerDone = false
  /** Ready for its handler, but held back behind an earlier request (RFC 9112 §9.3.2). */
  held: { handler: Handler; params: Record<string, string>; trailers: readonly string[] } | null = null
  /** Respond without running a handler once the body is read (404, 405, 501, OPTIONS). */
  earlyReply: Outgoing | null = null
  outgoing: Outgoing | null = null
  sentContinue = false
  /** Gives the handler's pool slot back; null for a slot taken with tryAcquire (pool.release). */
  releaseSlot: (() => void) | null = null
  handlerTimer: NodeJS.Timeout | null = null

  constructor(head: RequestHead, startedAt: number) {
    this.head = head
    this.startedAt = startedAt
    this.safe = isSafeMethod(head.method)
  }
}

const NO_PATH: readonly [string, string] = ['', '']

// The halves of a #drive pass.
const PHASE_NONE = 0
const PHASE_READING = 1
const PHASE_WRITING = 2

/** Never pushed to: an exchange gets its own array with its first body part. */
const NO_PARTS: Uint8Array[] = []

/** The framework's own answer: a short text body naming the status and the reason; closes unless the caller says otherwise. */
function errorOutgoing(
  status: number,
  message: string,
  extra: ReadonlyArray<readonly [string, string]> = [],
): Outgoing {
  const reason = STATUS_REASONS[status] ?? 'Error'
  return {
    status,
    headers: [['Content-Type', 'text/plain; charset=utf-8'], ...extra],
    body: { kind: 'bytes', bytes: Buffer.from(`${status} ${reason}: ${message}\n`, 'utf8') },
    close: true,
  }
}

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n'
/** Past this much batched text, write it out before producing more, so the write buffer's limit is seen. */
const OUT_BATCH_LIMIT = 64 * 1024
const CRLF = Buffer.from('\r\n', 'latin1')
/** A body this small is copied next to its head so that one write, and one syscall, carries both. */
const COALESCE_LIMIT = 16 * 1024

export class Connection {
  readonly socket: Socket
  readonly #ctx: ConnectionContext
  #parser: RequestParser | null = null
  readonly #exchanges: Exchange[] = []
  /** The request whose body is being read, if any. */
  #reading: Exchange | null = null
  /** No further request will be read: after an error, `Connection: close`, EOF or shutdown. */
  #noMoreRequests = false
  #peerEnded = false
  #writing = false
  #closed = false
  #ending = false
  #paused = false
  /** Re-entrancy guard: event handlers call #drive(), which only flags another pass when nested. */
  #driving = false
  #driveAgain = false
  /** Which half of a #drive pass runs now (PHASE_*), and whether reading last stopped at a limit. */
  #phase = PHASE_NONE
  #readBlocked = false
  /** The server is shutting down (shutdown() was called): finish what was received, start nothing new. */
  #shuttingDown = false
  /** The time (loopNow()) at the start of the current or last #drive pass, for deadlines and Date. */
  #now = 0
  // Handlers of this connection now running, those of them with unsafe methods, and requests
  // held back until they finish (RFC 9112 §9.3.2).
  #running = 0
  #runningUnsafe = 0
  #held = 0
  /** parser.finish() was called after the peer's EOF. */
  #finished = false
  /**
   * Small responses produced in one pass of #drive (pipelined requests, synchronous handlers),
   * as latin1 text. They leave in one write, one syscall, at the end of the pass.
   */
  #out = ''

  // Deadlines other than idle are made on first use: most connections never need them, and an
  // idle keep-alive connection should cost as little memory as possible.
  #headersDeadline: Deadline | null = null
  #bodyDeadline: Deadline | null = null
  readonly #idleDeadline: Deadline
  #graceDeadline: Deadline | null = null

  constructor(socket: Socket, ctx: ConnectionContext) {
    this.socket = socket
    this.#ctx = ctx
    this.#idleDeadline = new Deadline(ctx.options.timeouts.keepAlive, () => this.#closeIdle())

    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('end', () => this.#onEnd())
    socket.on('drain', () => this.#onDrain())
    // A reset by the peer is ordinary on the Internet: it ends this connection, nothing else.
    socket.on('error', () => this.#destroy())
    socket.on('close', () => this.#onClose())
    this.#idleDeadline.start()
  }

  #headersTimer(): Deadline {
    this.#headersDeadline ??= new Deadline(this.#ctx.options.timeouts.headers, () =>
      this.#failRequest(408, 'the request head was not received in time'),
    )
    return this.#headersDeadline
  }

  #bodyTimer(): Deadline {
    this.#bodyDeadline ??= new Deadline(this.#ctx.options.timeouts.request, () =>
      this.#failRequest(408, 'the request body was not received in time'),
    )
    return this.#bodyDeadline
  }

  #graceTimer(): Deadline {
    this.#graceDeadline ??= new Deadline(this.#ctx.options.timeouts.closeGrace, () => this.#destroy())
    return this.#graceDeadline
  }

  /** The parser, taken from the server's pool when a request begins. */
  #activeParser(): RequestParser {
    this.#parser ??= this.#ctx.acquireParser()
    return this.#parser
  }

  /** Between requests the parser holds nothing: give it back, so idle connections carry none. */
  #maybeReleaseParser(): void {
    const parser = this.#parser
    if (parser === null || this.#exchanges.length > 0 || this.#reading !== null) return
    if (!parser.recycle()) return
    this.#parser = null
    this.#ctx.releaseParser(parser)
  }

  /** No request is waiting and none is half-received. */
  get isIdle(): boolean {
    return this.#exchanges.length === 0 && (this.#parser === null || this.#parser.isIdle)
  }

  /** Graceful shutdown: answer what has arrived, then close. Idle connections close now. */
  shutdown(): void {
    this.#shuttingDown = true
    if (this.#closed) return
    if (this.#reading === null) this.#noMoreRequests = true
    if (this.#exchanges.length === 0) {
      this.#endSocket()
      return
    }
    this.#drive()
  }

  /** Immediate close, used when the shutdown deadline passes. */
  destroy(): void {
    this.#destroy()
  }

  // -------------------------------------------------------------------------------------
  // Reading

  #onData(chunk: Buffer): void {
    // After we decided to close, the peer's further bytes are drained and dropped, so that
    // closing does not turn into a reset that could destroy the response it is reading.
    if (this.#noMoreRequests && this.#reading === null) return
    this.#activeParser().feed(chunk)
    this.#drive()
  }

  #onEnd(): void {
    this.#peerEnded = true
    this.#drive()
  }

  #onDrain(): void {
    this.#drive()
  }

  /**
   * The connection's only loop: read requests while the limits allow, write the responses that
   * are ready in order, and repeat while either made progress. Everything that changes state
   * (data, a handler's answer, a drain) calls it; nested calls just ask for another pass, so the
   * stack stays flat however many pipelined requests one chunk holds.
   */
  #drive(): void {
    if (this.#driving) {
      // While reading, nothing needs asking: reading goes on pulling events, and writing follows
      // in this same pass. While writing, a change (a response written, the queue shorter) can
      // only matter to reading if one of its limits stopped it, rather than a lack of data.
      if (this.#phase === PHASE_WRITING ? this.#readBlocked : this.#phase === PHASE_NONE)
        this.#driveAgain = true
      return
    }
    this.#driving = true
    this.#now = loopNow()
    try {
      do {
        this.#driveAgain = false
        this.#phase = PHASE_READING
        this.#readRequests()
        this.#phase = PHASE_WRITING
        this.#writeResponses()
        this.#phase = PHASE_NONE
      } while (this.#driveAgain && !this.#closed)
    } finally {
      this.#driving = false
      this.#phase = PHASE_NONE
      this.#flushOut()
    }
    this.#maybeFinish()
    this.#updateFlow()
    this.#maybeReleaseParser()
  }

  /** Pulls parser events while the limits allow. */
  #readRequests(): void {
    this.#readBlocked = false
    if (this.#closed) return
    const maxQueued = this.#ctx.options.limits.maxPipelinedRequests
    for (;;) {
      if (this.#noMoreRequests && this.#reading === null) break
      if (this.#shuttingDown && this.#reading === null) {
        this.#noMoreRequests = true
        break
      }
      if (
        (this.#reading === null && this.#exchanges.length >= maxQueued) ||
        this.socket.writableNeedDrain ||
        this.#reading?.stream?.isPaused === true
      ) {
        this.#readBlocked = true
        break
      }

      const parser = this.#parser
      if (parser === null) {
        if (this.#peerEnded) this.#onPeerFinished()
        break
      }
      const event = parser.next()
      // The parser's one need-data event: an identity check, before reading `type` of any event.
      if (event === NEED_DATA) {
        if (this.#peerEnded) this.#onPeerFinished()
        break
      }
      if (event.type === 'head') this.#onHead(event.head)
      else if (event.type === 'body') this.#onBody(event.data)
      else if (event.type === 'end') this.#onMessageEnd(event.trailers)
      else if (event.type === 'error') this.#onParseError(event.error)
    }
  }

  /** The peer sent FIN and every byte it sent is parsed. A half-closed peer can still read, so a request cut short gets its 400. */
  #onPeerFinished(): void {
    if (this.#finished) return
    this.#finished = true
    const event = this.#parser?.finish()
    if (event?.type === 'error') this.#onParseError(event.error)
    this.#noMoreRequests = true
    this.#reading = null
  }

  /** Pauses the socket when we will not read, resumes it when we will, and arms the right deadline. */
  #updateFlow(): void {
    if (this.#closed) return
    const wantData =
      (!this.#noMoreRequests || this.#reading !== null || this.#ending) &&
      !this.socket.writableNeedDrain &&
      this.#reading?.stream?.isPaused !== true &&
      (this.#reading !== null || this.#exchanges.length < this.#ctx.options.limits.maxPipelinedRequests)
    if (wantData && this.#paused) {
      this.#paused = false
      this.socket.resume()
    } else if (!wantData && !this.#paused) {
      this.#paused = true
      this.socket.pause()
    }

    if (this.#noMoreRequests) {
      this.#headersDeadline?.stop()
      this.#idleDeadline.stop()
    } else if (this.#reading !== null) {
      this.#headersDeadline?.stop()
      this.#idleDeadline.stop()
    } else if (this.#parser !== null && !this.#parser.isIdle) {
      // RFC 9112 §9.5 leaves timeouts to the server; this one bounds slowloris: a total time
      // from the first byte of the head, not an inactivity timer a byte a second would reset.
      this.#idleDeadline.stop()
      if (wantData) this.#headersTimer().ensure(this.#now)
    } else if (this.#exchanges.length === 0) {
      this.#headersDeadline?.stop()
      this.#idleDeadline.ensure(this.#now)
    } else {
      this.#headersDeadline?.stop()
      this.#idleDeadline.stop()
    }
  }

  #onHead(head: RequestHead): void {
    this.#ctx.onRequest()
    const exchange = new Exchange(head, this.#ctx.logger === silentLogger ? 0 : Date.now())
    this.#exchanges.push(exchange)
    this.#headersDeadline?.stop()
    // The keep-alive clock restarts at the next idle moment: a request answered within this
    // same pass (an early 404, a synchronous handler) must not leave the old one running.
    this.#idleDeadline.stop()
    const hasBody = head.framing.kind !== 'none'
    if (hasBody) {
      this.#reading = exchange
      this.#bodyTimer().start(this.#now)
    }

    // RFC 9110 §9.3.6: tunnels are not implemented yet. An Upgrade offer, by contrast, is simply
    // declined by answering in HTTP/1.1 (RFC 9110 §7.8), so it goes on to routing.
    if (head.upgrade === 'CONNECT') {
      this.#replyNow(exchange, errorOutgoing(501, 'CONNECT is not supported'))
      return
    }
    // RFC 9110 §10.1.1: an expectation we cannot meet gets 417.
    if (head.unsupportedExpect !== null) {
      this.#replyNow(
        exchange,
        errorOutgoing(417, `the expectation "${head.unsupportedExpect}" is not supported`),
      )
      return
    }

    exchange.pathAndQuery = splitTarget(head)
    const match = this.#ctx.router.match(head.method, exchange.pathAndQuery[0])
    exchange.match = match
    const early = earlyReplyFor(match)
    if (early !== null) {
      // With 100-continue the client has not sent the body yet: answer now, close, and never read it.
      if (head.expectContinue && hasBody) this.#replyNow(exchange, early)
      else exchange.earlyReply = early
    } else if (match.kind === 'handler' && match.streamBody) {
      exchange.stream = new BodyStream(64 * 1024, () => this.#drive())
      if (!hasBody) exchange.stream.end()
      this.#requestDispatch(exchange, match.handler, match.params, [])
    }
    if (!hasBody) this.#onMessageEndOf(exchange, [])
    else this.#drive()
  }

  #onBody(data: Uint8Array): void {
    const exchange = this.#reading
    if (exchange === null) return
    if (exchange.stream !== null) {
      exchange.stream.push(data)
    } else if (exchange.earlyReply === null && exchange.outgoing === null) {
      if (exchange.bodyParts === NO_PARTS) exchange.bodyParts = []
      exchange.bodyParts.push(data)
      exchange.bodyLength += data.length
    }
  }

  #onMessageEnd(trailers: readonly string[]): void {
    const exchange = this.#reading ?? this.#exchanges[this.#exchanges.length - 1]
    this.#reading = null
    this.#bodyDeadline?.stop()
    if (exchange !== undefined && !exchange.complete) this.#onMessageEndOf(exchange, trailers)
  }

  #onMessageEndOf(exchange: Exchange, trailers: readonly string[]): void {
    exchange.complete = true
    // RFC 9112 §9.6: after a request with "close" (or an HTTP/1.0 one without keep-alive) the
    // server reads no further request on this connection.
    if (!exchange.head.keepAlive || exchange.head.upgrade === 'CONNECT') this.#noMoreRequests = true
    if (exchange.stream !== null) {
      exchange.stream.end()
    } else if (exchange.earlyReply !== null && exchange.outgoing === null) {
      exchange.outgoing = exchange.earlyReply
    } else if (!exchange.dispatched && exchange.outgoing === null && exchange.match?.kind === 'handler') {
      this.#requestDispatch(exchange, exchange.match.handler, exchange.match.params, trailers)
    }
    this.#drive()
  }

  #onParseError(error: ParseError): void {
    this.#noMoreRequests = true
    const outgoing = errorOutgoing(error.statusHint, `${error.message} (${error.code})`)
    this.#ctx.logger.info(`- - ${error.statusHint} parse error ${error.code}`)
    this.#answerInterrupted(outgoing, error)
  }

  /**
   * A request could not be received whole (bad framing, a timeout): its answer is the error,
   * not a handler's, or, when its response already went out, the error follows it. Either way
   * the connection closes after it.
   */
  #answerInterrupted(outgoing: Outgoing, cause: Error): void {
    const reading = this.#reading
    this.#reading = null
    this.#bodyDeadline?.stop()
    if (reading !== null) {
      reading.stream?.fail(cause)
      reading.complete = true
      if (reading.outgoing === null) {
        reading.outgoing = outgoing
        this.#drive()
        return
      }
    }
    const exchange = new Exchange(PLACEHOLDER_HEAD, 0)
    exchange.complete = true
    exchange.outgoing = outgoing
    this.#exchanges.push(exchange)
    this.#drive()
  }

  /** A timeout while receiving: 408 after whatever is owed, then close. */
  #failRequest(status: number, message: string): void {
    if (this.#closed) return
    this.#noMoreRequests = true
    this.#answerInterrupted(errorOutgoing(status, message), new HttpError(status, message))
  }

  /**
   * Answers before the body is read. An unread body leaves the framing of what follows unknown,
   * and after CONNECT or Upgrade the bytes are no longer HTTP/1.1: both close the connection.
   */
  #replyNow(exchange: Exchange, outgoing: Outgoing): void {
    const close = exchange.head.framing.kind !== 'none' || exchange.head.upgrade === 'CONNECT'
    if (close) this.#noMoreRequests = true
    exchange.complete = true
    exchange.outgoing = { ...outgoing, close }
    if (this.#reading === exchange) {
      this.#reading = null
      this.#bodyDeadline?.stop()
    }
    this.#drive()
  }

  // -------------------------------------------------------------------------------------
  // Handlers

  /**
   * RFC 9112 §9.3.2: pipelined requests may be processed in parallel only when they all have safe
   * methods. A request waits while an earlier handler on this connection is still running,
   * unless it and every such earlier request are safe.
   */
  #requestDispatch(
    exchange: Exchange,
    handler: Handler,
    params: Record<string, string>,
    trailers: readonly string[],
  ): void {
    // Fast path: nothing is held, and nothing running forbids this one from starting.
    if (this.#held === 0 && (this.#running === 0 || (this.#runningUnsafe === 0 && exchange.safe))) {
      this.#dispatch(exchange, handler, params, trailers)
      return
    }
    exchange.held = { handler, params, trailers }
    this.#held++
    this.#dispatchHeld()
  }

  #handlerDone(exchange: Exchange): void {
    if (exchange.handlerDone) return
    exchange.handlerDone = true
    this.#running--
    if (!exchange.safe) this.#runningUnsafe--
  }

  #dispatchHeld(): void {
    let busy = false
    let busyUnsafe = false
    for (const exchange of this.#exchanges) {
      const held = exchange.held
      const safe = exchange.safe
      if (held !== null && (!busy || (safe && !busyUnsafe))) {
        exchange.held = null
        this.#held--
        this.#dispatch(exchange, held.handler, held.params, held.trailers)
      }
      if (exchange.held !== null || (exchange.dispatched && !exchange.handlerDone)) {
        busy = true
        if (!safe) busyUnsafe = true
      }
    }
  }

  #dispatch(
    exchange: Exchange,
    handler: Handler,
    params: Record<string, string>,
    trailers: readonly string[] = [],
  ) {
    exchange.dispatched = true
    this.#running++
    if (!exchange.safe) this.#runningUnsafe++
    const parts = exchange.bodyParts
    const body = parts.length === 0 ? NO_BODY : parts.length === 1 ? parts[0]! : Buffer.concat(parts)
    exchange.bodyParts = NO_PARTS
    const pathAndQuery = exchange.pathAndQuery
    const request =
      exchange.stream !== null
        ? new Request({ head: exchange.head, params, trailers, stream: exchange.stream, pathAndQuery })
        : new Request({ head: exchange.head, params, trailers, body, pathAndQuery })
    const pool = this.#ctx.pool
    // A free slot is taken without a task closure; otherwise the request queues for one.
    if (pool.tryAcquire()) {
      this.#runHandler(exchange, handler, request)
      return
    }
    const admitted = pool.submit((release) => {
      exchange.releaseSlot = release
      this.#runHandler(exchange, handler, request)
    })
    if (!admitted) {
      // The pool and its queue are full: refuse now, without running the handler.
      this.#handlerDone(exchange)
      exchange.stream?.discard()
      this.#setOutgoing(exchange, {
        ...errorOutgoing(503, 'the server is busy, retry later', [['Retry-After', '1']]),
        close: !exchange.complete,
      })
    }
  }

  /** Runs the handler in its pool slot; every way it can end goes through #settle, once. */
  #runHandler(exchange: Exchange, handler: Handler, request: Request): void {
    if (this.#closed) {
      this.#handlerDone(exchange)
      this.#releaseSlot(exchange)
      return
    }
    const timeoutMs = this.#ctx.options.timeouts.handler
    if (timeoutMs > 0) {
      exchange.handlerTimer = setTimeout(() => {
        this.#ctx.logger.error(
          `handler for ${request.method} ${request.path} did not answer within ${timeoutMs} ms`,
        )
        this.#settle(exchange, {
          ...errorOutgoing(503, 'the handler did not answer in time'),
          close: !exchange.complete,
        })
      }, timeoutMs)
      exchange.handlerTimer.unref()
    }
    let result: Response | Promise<Response>
    try {
      result = handler(request)
    } catch (error) {
      this.#settle(exchange, this.#handlerFailure(request, error))
      return
    }
    // A handler that answers synchronously is finished synchronously: no promise, no extra
    // turn of the event loop, and its response joins the same write as its neighbours.
    if (result instanceof Response) {
      this.#settle(exchange, this.#toOutgoing(request, result))
      return
    }
    Promise.resolve(result).then(
      (response) => this.#settle(exchange, this.#toOutgoing(request, response)),
      (error: unknown) => this.#settle(exchange, this.#handlerFailure(request, error)),
    )
  }

  /** The handler's answer (or its timeout's): the first one counts, the slot is given back. */
  #settle(exchange: Exchange, outgoing: Outgoing): void {
    if (exchange.handlerDone) return
    if (exchange.handlerTimer !== null) clearTimeout(exchange.handlerTimer)
    this.#releaseSlot(exchange)
    this.#handlerDone(exchange)
    exchange.stream?.discard()
    this.#setOutgoing(exchange, outgoing)
    if (this.#held > 0) this.#dispatchHeld()
  }

  #releaseSlot(exchange: Exchange): void {
    if (exchange.releaseSlot !== null) exchange.releaseSlot()
    else this.#ctx.pool.release()
  }

  #toOutgoing(request: Request, response: unknown): Outgoing {
    if (!(response instanceof Response)) {
      return this.#handlerFailure(request, new TypeError('the handler did not return a Response'))
    }
    // RFC 9112 §9.6: a handler that sends the "close" option asks for the connection to end
    // after this response; the serializer owns the Connection field, so honour it here.
    let close = false
    for (const [name, value] of response.headers) {
      if (equalsIgnoreCase(name, 'connection')) {
        close ||= value.split(',').some((option) => option.trim().toLowerCase() === 'close')
      }
    }
    return { status: response.status, headers: response.headers, body: response.body, close }
  }

  #handlerFailure(request: Request, error: unknown): Outgoing {
    if (error instanceof HttpError) {
      return { ...errorOutgoing(error.status, error.message, error.headers), close: false }
    }
    this.#ctx.logger.error(`handler for ${request.method} ${request.path} failed`, error)
    return { ...errorOutgoing(500, 'the handler failed'), close: false }
  }

  #setOutgoing(exchange: Exchange, outgoing: Outgoing): void {
    if (this.#closed || exchange.outgoing !== null) return
    exchange.outgoing = outgoing
    this.#drive()
  }

  // -------------------------------------------------------------------------------------
  // Writing, strictly in request order

  #writeResponses(): void {
    while (!this.#writing && !this.#closed) {
      const exchange = this.#exchanges[0]
      if (exchange === undefined) break
      if (exchange.outgoing === null) {
        // RFC 9110 §10.1.1: tell a client waiting on 100-continue to send its body, once it is
        // this request's turn on the wire.
        if (exchange.head.expectContinue && !exchange.sentContinue && !exchange.complete) {
          exchange.sentContinue = true
          this.#out += CONTINUE
        }
        break
      }
      if (!exchange.complete && exchange.stream === null) break
      this.#write(exchange, exchange.outgoing)
      if (this.#out.length > OUT_BATCH_LIMIT) this.#flushOut()
    }
  }

  #write(exchange: Exchange, outgoing: Outgoing): void {
    const head = exchange.head
    const isLast = this.#noMoreRequests && this.#reading === null && this.#exchanges.length === 1
    // RFC 9110 §10.1.1: a final response sent before the 100 (Continue) and before the body
    // leaves the client free not to send it, so what follows on the wire is unknown: close.
    const bodyWithheld = head.expectContinue && !exchange.sentContinue && !exchange.complete
    let close = outgoing.close || !head.keepAlive || bodyWithheld || (this.#shuttingDown && isLast)
    const bodyAllowed = statusAllowsBody(outgoing.status) && head.method !== 'HEAD'
    let length: number | 'chunked' | null
    // RFC 9110 §15.3.6: a 205 carries no content but must say so, unlike 1xx, 204 and 304.
    if (!statusAllowsBody(outgoing.status)) length = outgoing.status === 205 ? 0 : null
    else if (outgoing.body.kind === 'bytes') length = outgoing.body.bytes.length
    else if (outgoing.body.kind === 'empty') length = 0
    else if (head.version === '1.1') length = 'chunked'
    else {
      // RFC 9112 §6.1: an HTTP/1.0 client cannot decode chunked; the body ends at close instead.
      length = null
      close = true
    }

    let headText: string
    try {
      headText = serializeResponseHead({
        now: this.#now,
        status: outgoing.status,
        headers: outgoing.headers,
        length,
        connection: close ? 'close' : 'keep-alive',
      })
    } catch (error) {
      if (!(error instanceof InvalidHeaderError)) throw error
      this.#ctx.logger.error(`invalid response from the handler for ${head.method} ${head.target}`, error)
      exchange.outgoing = {
        ...errorOutgoing(500, 'the handler produced an invalid response'),
        close: outgoing.close,
      }
      this.#write(exchange, exchange.outgoing)
      return
    }
    this.#log(exchange, outgoing.status)

    if (close) this.#noMoreRequests = true
    if (outgoing.body.kind === 'stream' && bodyAllowed) {
      this.#writing = true
      this.#flushOut()
      this.socket.write(headText, 'latin1')
      this.#streamBody(outgoing.body.chunks, length === 'chunked').then(
        () => this.#written(exchange, close),
        (error: unknown) => {
          this.#ctx.logger.error(`streaming the response to ${head.method} ${head.target} failed`, error)
          this.#destroy()
        },
      )
      return
    }
    const bytes = bodyAllowed && outgoing.body.kind === 'bytes' ? outgoing.body.bytes : null
    if (bytes === null || bytes.length === 0) {
      this.#out += headText
    } else if (bytes.length <= COALESCE_LIMIT) {
      this.#out += headText + latin1(bytes)
    } else {
      this.#flushOut()
      this.socket.cork()
      this.socket.write(headText, 'latin1')
      this.socket.write(bytes)
      this.socket.uncork()
    }
    this.#written(exchange, close)
  }

  #flushOut(): void {
    if (this.#out.length === 0) return
    const text = this.#out
    this.#out = ''
    if (!this.#closed) this.socket.write(text, 'latin1')
  }

  async #streamBody(chunks: AsyncIterable<Uint8Array | string>, chunked: boolean): Promise<void> {
    for await (const chunk of chunks) {
      if (this.#closed) return
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
      if (bytes.length === 0) continue
      let ok: boolean
      if (chunked) {
        this.socket.cork()
        this.socket.write(chunkHeader(bytes.length), 'latin1')
        this.socket.write(bytes)
        ok = this.socket.write(CRLF)
        this.socket.uncork()
      } else {
        ok = this.socket.write(bytes)
      }
      if (!ok) await this.#drained()
    }
    if (chunked && !this.#closed) this.socket.write(LAST_CHUNK, 'latin1')
  }

  #drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done)
        this.socket.off('close', done)
        resolve()
      }
      this.socket.on('drain', done)
      this.socket.on('close', done)
    })
  }

  #written(exchange: Exchange, close: boolean): void {
    this.#writing = false
    if (this.#exchanges[0] === exchange) this.#exchanges.shift()
    if (close) {
      this.#noMoreRequests = true
      // Requests pipelined behind this one are dropped: we said we would close.
      for (const dropped of this.#exchanges) dropped.stream?.fail(new Error('connection closing'))
      this.#exchanges.length = 0
      this.#reading = null
      this.#endSocket()
      return
    }
    this.#drive()
  }

  #log(exchange: Exchange, status: number): void {
    if (exchange.head === PLACEHOLDER_HEAD || this.#ctx.logger === silentLogger) return
    const head = exchange.head
    this.#ctx.logger.info(`${head.method} ${head.target} ${status} ${Date.now() - exchange.startedAt}ms`)
  }

  // -------------------------------------------------------------------------------------
  // Closing

  /** Everything owed is written and nothing more will be read: close our side. */
  #maybeFinish(): void {
    if (this.#closed || this.#ending) return
    if (this.#exchanges.length > 0 || this.#writing) return
    if ((this.#noMoreRequests && this.#reading === null) || this.#peerEnded) this.#endSocket()
  }

  /** Half-close, keep draining the peer's bytes, destroy after the grace period. */
  #endSocket(): void {
    if (this.#closed || this.#ending) return
    this.#ending = true
    this.#noMoreRequests = true
    this.#headersDeadline?.stop()
    this.#bodyDeadline?.stop()
    this.#idleDeadline.stop()
    this.#flushOut()
    this.socket.end()
    if (this.#paused) {
      this.#paused = false
      this.socket.resume()
    }
    if (this.#peerEnded) this.socket.destroySoon()
    this.#graceTimer().start()
  }

  #closeIdle(): void {
    if (this.isIdle) this.#endSocket()
  }

  #destroy(): void {
    if (!this.socket.destroyed) this.socket.destroy()
    this.#onClose()
  }

  #onClose(): void {
    if (this.#closed) return
    this.#closed = true
    for (const exchange of this.#exchanges) exchange.stream?.fail(new Error('the connection closed'))
    this.#exchanges.length = 0
    this.#reading = null
    this.#maybeReleaseParser()
    this.#headersDeadline?.dispose()
    this.#bodyDeadline?.dispose()
    this.#idleDeadline.dispose()
    this.#graceDeadline?.dispose()
    this.#ctx.onClose(this)
  }
}

const latin1Slice = (
  Buffer.prototype as unknown as { latin1Slice: (this: Uint8Array, start: number, end: number) => string }
).latin1Slice

/** Bytes as latin1 text, one code unit per byte, so they can join a batched write unchanged. */
function latin1(bytes: Uint8Array): string {
  return latin1Slice.call(bytes, 0, bytes.length)
}

const NO_BODY = new Uint8Array(0)

/** RFC 9110 §9.2.1: the methods whose requests a server may run in parallel when pipelined. */
function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE'
}

/** Stands in for the head of a request that never parsed, so error responses queue like any other. */
const PLACEHOLDER_HEAD: RequestHead = Object.freeze<RequestHead>({
  method: '-',
  target: '-',
  targetForm: 'origin',
  version: '1.1',
  rawHeaders: [],
  authority: '',
  framing: { kind: 'none' },
  keepAlive: false,
  expectContinue: false,
  unsupportedExpect: null,
  upgrade: null,
})

/** Routing outcomes answered by the framework itself rather than a handler. */
function earlyReplyFor(match: RouteMatch): Outgoing | null {
  switch (match.kind) {
    case 'handler':
      return null
    case 'not-found':
      return { ...errorOutgoing(404, 'no route matches this path'), close: false }
    case 'method-not-allowed':
      return {
        ...errorOutgoing(405, 'this path does not support this method', [['Allow', match.allow]]),
        close: false,
      }
    case 'options':
      return { status: 204, headers: [['Allow', match.allow]], body: { kind: 'empty' }, close: false }
    case 'not-implemented':
      return { ...errorOutgoing(501, 'this method is not implemented'), close: false }
  }
}
