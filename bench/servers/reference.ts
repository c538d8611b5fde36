/**
 * A small node:http server with a correct handler pool, used to validate the load checkers
 * independently of sockhttp, and, with `--defect`, the deliberately broken targets that every
 * checker must be shown to reject:
 *   none            correct: at most P handlers run, Q wait, the rest get 503 without running
 *   pool-overadmit  admits P + 1 handlers at once
 *   run-rejected    answers 503 on overflow but still runs the handler
 *   close-each      `Connection: close` on every response (a connection per request)
 *   ignore-backlog  listens with backlog 511 whatever --backlog says
 * Routes: `/` Hello World; `/slow?ms=N` waits N ms (default 50) without blocking the loop.
 * Usage: node --import tsx bench/servers/reference.ts [--pool P] [--queue Q] [--backlog B] [--defect D]
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { HandlerMeter, serveIpc, type TargetStats } from '../lib/ipc.ts'

const DEFECTS = ['none', 'pool-overadmit', 'run-rejected', 'close-each', 'ignore-backlog'] as const
type Defect = (typeof DEFECTS)[number]

const { values } = parseArgs({
  options: {
    pool: { type: 'string', default: '4' },
    queue: { type: 'string', default: '1024' },
    backlog: { type: 'string', default: '511' },
    defect: { type: 'string', default: 'none' },
  },
})
const defect = values.defect as Defect
if (!DEFECTS.includes(defect)) {
  process.stderr.write(`unknown --defect ${values.defect}\n`)
  process.exit(2)
}
const capacity = Number(values.pool) + (defect === 'pool-overadmit' ? 1 : 0)
const queueLimit = Number(values.queue)

const meter = new HandlerMeter()
const pool = { inFlight: 0, maxInFlight: 0, queued: 0, rejected: 0, completed: 0 }
const waiting: (() => void)[] = []
let accepted = 0
let open = 0
let requests = 0

function release(): void {
  pool.inFlight--
  pool.completed++
  const next = waiting.shift()
  if (next) {
    pool.queued--
    next()
  }
}

function runHandler(req: http.IncomingMessage, res: http.ServerResponse, done: () => void): void {
  pool.inFlight++
  if (pool.inFlight > pool.maxInFlight) pool.maxInFlight = pool.inFlight
  meter.enter()
  const url = new URL(req.url ?? '/', 'http://x')
  const finish = (): void => {
    meter.exit()
    done()
  }
  if (url.pathname === '/slow') {
    const ms = Number(url.searchParams.get('ms') ?? '50')
    setTimeout(() => {
      if (!res.headersSent && !res.writableEnded) send(res, 200, 'OK')
      finish()
    }, ms)
  } else {
    send(res, 200, 'Hello World')
    finish()
  }
}

function send(res: http.ServerResponse, status: number, text: string): void {
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain',
    'Content-Length': String(Buffer.byteLength(text)),
  }
  if (defect === 'close-each') headers.Connection = 'close'
  res.writeHead(status, headers)
  res.end(text)
}

const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  requests++
  req.resume()
  if (pool.inFlight < capacity) return runHandler(req, res, release)
  if (pool.queued < queueLimit) {
    pool.queued++
    waiting.push(() => runHandler(req, res, release))
    return
  }
  pool.rejected++
  res.setHeader('Retry-After', '1')
  send(res, 503, 'Service Unavailable')
  if (defect === 'run-rejected') {
    // The bug being modelled: the handler still runs (its side effects happen) for a rejected request.
    meter.enter()
    meter.exit()
  }
})
server.on('connection', (socket) => {
  accepted++
  open++
  socket.once('close', () => open--)
})

serveIpc((req) => {
  if (req.type !== 'stats') throw new Error(`unsupported ${req.type}`)
  const stats: TargetStats = {
    connections: open,
    connectionsAccepted: accepted,
    requests,
    pool: { ...pool },
    handler: { runs: meter.runs, maxConcurrent: meter.maxConcurrent },
  }
  return stats
})

const backlog = defect === 'ignore-backlog' ? 511 : Number(values.backlog)
server.listen({ host: '127.0.0.1', port: 0, backlog }, () => {
  const addr = server.address() as AddressInfo
  process.stdout.write(`listening on http://${addr.address}:${addr.port}\n`)
})
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    server.close(() => process.exit(0))
    server.closeAllConnections()
  })
}
