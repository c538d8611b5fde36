/**
 * The built-in apps of CONTRACTS.md (hello, echo, reflect, slow) served by node:http.
 *
 * This is the oracle the differential tools (conformance compare, fuzz, bench) run against, so it
 * stays a plain, idiomatic node:http program. The one addition is a `clientError` handler: Node's
 * default one answers every parse error with 400 (or 431), writes it ahead of responses that are
 * still pending for earlier pipelined requests, and then destroys the socket, which loses them.
 * Ours waits for the pending responses to finish, then sends the status that fits the llhttp
 * error code (RFC 9110 §15.5/§15.6) with `Connection: close` and closes the connection.
 */
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type NodeAppName = 'hello' | 'echo' | 'reflect' | 'slow'

export interface NodeAppOptions {
  host?: string
  port?: number
  backlog?: number
  /** Milliseconds to receive a complete head before 408 (node:http `headersTimeout`). */
  headersTimeout?: number
  keepAliveTimeout?: number
}

export interface NodeApp {
  host: string
  port: number
  close(): Promise<void>
  server: http.Server
  /** Connections accepted since start (used to count keep-alive reuse). */
  readonly connectionsAccepted: number
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Content Too Large',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
  505: 'HTTP Version Not Supported',
}

function sendText(res: http.ServerResponse, status: number, text: string, type = 'text/plain'): void {
  const body = Buffer.from(text)
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(body.length) })
  res.end(body)
}

/** RFC 9110 §5.5: OWS around a field value is not part of the value. */
function trimOws(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '')
}

function pairs(flat: readonly string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, trimOws(flat[i + 1]!)])
  return out
}

const hello: Handler = (req, res) => {
  const path = (req.url ?? '').split('?')[0]
  if (path !== '/') return sendText(res, 404, 'Not Found')
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD')
    return sendText(res, 405, 'Method Not Allowed')
  }
  sendText(res, 200, 'Hello World')
}

const echo: Handler = (req, res, body) => {
  if (body.length === 0) return sendText(res, 200, 'OK')
  res.writeHead(200, {
    'Content-Type': req.headers['content-type'] ?? 'application/octet-stream',
    'Content-Length': String(body.length),
  })
  res.end(body)
}

const reflect: Handler = (req, res, body) => {
  const json = JSON.stringify({
    method: req.method,
    target: req.url,
    version: req.httpVersion,
    headers: pairs(req.rawHeaders),
    trailers: pairs(req.rawTrailers),
    body: body.toString('base64'),
  })
  sendText(res, 200, json, 'application/json')
}

const slow: Handler = (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  const raw = Number(url.searchParams.get('ms') ?? '50')
  const ms = Number.isFinite(raw) && raw >= 0 ? Math.min(raw, 60_000) : 50
  setTimeout(() => sendText(res, 200, 'OK'), ms)
}

const HANDLERS: Record<NodeAppName, Handler> = { hello, echo, reflect, slow }

/** RFC 9110 §9.1: a well-formed method that is simply not known gets 501, garbage gets 400. */
const TOKEN_METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ /
/** RFC 9110 §6.2: a well-formed version other than 1.x gets 505. */
const WELL_FORMED_OTHER_VERSION = /^[^ \r\n]+ [^ \r\n]+ HTTP\/\d\.\d\r?\n/

interface ClientErrorLike extends Error {
  code?: string
  rawPacket?: Buffer
}

/** Picks the status for an llhttp error, as a careful node:http application would. */
export function statusForClientError(err: ClientErrorLike): number {
  const head = err.rawPacket ? err.rawPacket.subarray(0, 8192).toString('latin1') : ''
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 431
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408
    case 'HPE_INVALID_METHOD':
      return TOKEN_METHOD.test(head) ? 501 : 400
    case 'HPE_INVALID_VERSION':
      return WELL_FORMED_OTHER_VERSION.test(head) ? 505 : 400
    default:
      return 400
  }
}

interface SocketState {
  pending: number
  onIdle: (() => void) | null
}

export async function startNodeApp(app: NodeAppName, opts: NodeAppOptions = {}): Promise<NodeApp> {
  const handler = HANDLERS[app]
  const headersTimeout = opts.headersTimeout ?? 60_000
  const states = new WeakMap<Socket, SocketState>()
  const sockets = new Set<Socket>()
  let accepted = 0

  const server = http.createServer(
    {
      headersTimeout,
      requestTimeout: Math.max(300_000, headersTimeout),
      keepAliveTimeout: opts.keepAliveTimeout ?? 5_000,
      // Node checks the headers timeout on this interval; a short timeout needs a short interval.
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(headersTimeout / 4))),
    },
    (req, res) => {
      const socket = req.socket
      const state = states.get(socket)
      if (state) state.pending++
      res.on('close', () => {
        if (!state) return
        state.pending--
        if (state.pending === 0 && state.onIdle) state.onIdle()
      })
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('error', () => res.destroy())
      req.on('end', () => handler(req, res, Buffer.concat(chunks)))
    },
  )

  server.on('connection', (socket: Socket) => {
    accepted++
    sockets.add(socket)
    states.set(socket, { pending: 0, onIdle: null })
    socket.on('close', () => sockets.delete(socket))
  })

  server.on('clientError', (err: ClientErrorLike, socket: Socket) => {
    const state = states.get(socket)
    const status = statusForClientError(err)
    const reply = (): void => {
      if (socket.writable) {
        const text = STATUS_TEXT[status] ?? 'Error'
        socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
        // Give the peer the response, then make sure the socket goes away even if it never reads.
        setTimeout(() => socket.destroy(), 1_000).unref()
      } else {
        socket.destroy()
      }
    }
    // Earlier pipelined requests are answered first (their responses are still queued).
    if (state && state.pending > 0) state.onIdle = reply
    else reply()
  })

  // A CONNECT with no tunnel to offer: this origin server does not implement it (RFC 9110 §9.3.6).
  server.on('connect', (_req: http.IncomingMessage, socket: Socket) => {
    socket.on('error', () => socket.destroy())
    socket.end('HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(
      { host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, backlog: opts.backlog ?? 511 },
      () => {
        server.off('error', reject)
        resolve()
      },
    )
  })
  const addr = server.address() as AddressInfo

  return {
    host: addr.address,
    port: addr.port,
    server,
    get connectionsAccepted() {
      return accepted
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
        for (const s of sockets) s.destroy()
      }),
  }
}
