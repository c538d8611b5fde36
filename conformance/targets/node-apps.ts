/**
 * The built-in apps of CONTRACTS.md (hello, echo, reflect, slow) served by node:http.
 *
 * This is the oracle the differential tools (conformance compare, fuzz, bench) run against, so it
 * stays a plain, idiomatic node:http program. The one addition is a `clientError` handler: Node's
 * default one answers every parse error with 400 (or 431), writes it ahead of responses that are
 * still pending for earlier pipelined requests, and then destroys the socket, which loses them.
 * Ours waits for the pending responses to finish, then sends the status node would have chosen
 * with `Content-Length: 0` and `Connection: close`, and closes the connection.
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
  431: 'Request Header Fields Too Large',
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
  if (req.method === 'OPTIONS' && (path === '/' || path === '*')) {
    res.writeHead(204, { Allow: 'GET, HEAD' })
    return res.end()
  }
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

interface ClientErrorLike extends Error {
  code?: string
}

/**
 * The status node:http itself picks for an llhttp error (431 for an oversized head, 413 for
 * oversized chunk extensions, 408 for the headers timeout, 400 for everything else). We keep node's
 * choice: this target is the oracle for "what does node do", quirks included.
 */
export function statusForClientError(err: ClientErrorLike): number {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 431
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408
    default:
      return 400
  }
}

interface Exchange {
  req: http.IncomingMessage
  done: boolean
}

export async function startNodeApp(app: NodeAppName, opts: NodeAppOptions = {}): Promise<NodeApp> {
  const handler = HANDLERS[app]
  const headersTimeout = opts.headersTimeout ?? 60_000
  const exchanges = new WeakMap<Socket, Exchange[]>()
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
      const list = exchanges.get(req.socket)
      const exchange: Exchange = { req, done: false }
      list?.push(exchange)
      res.on('close', () => {
        exchange.done = true
        req.socket.emit('conformance:response-done')
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
    exchanges.set(socket, [])
    socket.on('close', () => sockets.delete(socket))
  })

  server.on('clientError', (err: ClientErrorLike, socket: Socket) => {
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
    // Complete earlier pipelined requests are answered first (their responses are still queued).
    // The request the error happened in (mid-body) is never answered, so it is not waited for.
    const waiting = (): boolean => (exchanges.get(socket) ?? []).some((e) => e.req.complete && !e.done)
    if (!waiting()) return reply()
    const check = (): void => {
      if (waiting()) return
      socket.off('conformance:response-done', check)
      reply()
    }
    socket.on('conformance:response-done', check)
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
