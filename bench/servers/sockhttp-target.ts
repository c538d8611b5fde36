/**
 * sockhttp's Server in a child process for the bench and the load tests, with the IPC channel
 * (stats, the event-loop block hook, memory after GC).
 *   --app hello|echo|reflect|slow   a built-in app (src/apps)
 *   --app load                      `/` Hello World and `/slow?ms=N` (default 50, non-blocking),
 *                                   both counted by a HandlerMeter independent of the server's own counters
 * Usage: node [--expose-gc] --import tsx bench/servers/sockhttp-target.ts --app hello [--backlog 511]
 *        [--pool 4] [--queue 1024] [--keep-alive-timeout 5000]
 */
import { parseArgs } from 'node:util'
import { APP_NAMES, type AppName, createApp, Response, type Routes, Server } from '../../src/index.ts'
import { HandlerMeter, type MemorySample, serveIpc, type TargetStats } from '../lib/ipc.ts'

const { values } = parseArgs({
  options: {
    app: { type: 'string', default: 'hello' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    // node:http's default: the throughput benchmark opens 100 connections at once.
    backlog: { type: 'string', default: '511' },
    pool: { type: 'string' },
    queue: { type: 'string' },
    'keep-alive-timeout': { type: 'string' },
  },
})

const meter = new HandlerMeter()

function loadRoutes(): Routes {
  return {
    BenchHello: {
      pattern: '/',
      method: 'GET',
      handler: () => {
        meter.enter()
        meter.exit()
        return new Response(200, 'Hello World', [['Content-Type', 'text/plain']])
      },
    },
    BenchSlow: {
      pattern: '/slow',
      method: 'GET',
      handler: async (req) => {
        meter.enter()
        try {
          const ms = Number(req.query.get('ms') ?? '50')
          await new Promise((resolve) => setTimeout(resolve, ms))
          return new Response(200, 'OK', [['Content-Type', 'text/plain']])
        } finally {
          meter.exit()
        }
      },
    },
  }
}

const app = values.app ?? 'hello'
if (app !== 'load' && !(APP_NAMES as readonly string[]).includes(app)) {
  process.stderr.write(`unknown --app ${app}\n`)
  process.exit(2)
}
const opt = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v))
const pool = opt(values.pool)
const queue = opt(values.queue)
const keepAlive = opt(values['keep-alive-timeout'])
const server = new Server(app === 'load' ? loadRoutes() : createApp(app as AppName), {
  backlog: Number(values.backlog),
  ...(pool !== undefined ? { poolSize: pool } : {}),
  ...(queue !== undefined ? { queueLimit: queue } : {}),
  ...(keepAlive !== undefined ? { timeouts: { keepAlive } } : {}),
})
const address = await server.start(Number(values.port), values.host)

serveIpc((req) => {
  if (req.type === 'stats') {
    const s = server.stats
    const stats: TargetStats = {
      connections: s.connections,
      connectionsAccepted: s.connectionsAccepted,
      requests: s.requests,
      pool: {
        inFlight: s.pool.inFlight,
        maxInFlight: s.pool.maxInFlight,
        queued: s.pool.queued,
        rejected: s.pool.rejected,
        completed: s.pool.completed,
      },
      handler: { runs: meter.runs, maxConcurrent: meter.maxConcurrent },
    }
    return stats
  }
  if (req.type === 'memory') {
    globalThis.gc?.()
    const m = process.memoryUsage()
    const sample: MemorySample = {
      rss: m.rss,
      heapUsed: m.heapUsed,
      external: m.external,
      connections: server.stats.connections,
    }
    return sample
  }
  throw new Error(`unsupported ${req.type}`)
})

process.stdout.write(`listening on http://${address.host}:${address.port}\n`)
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => void server.close({ deadline: 2_000 }).then(() => process.exit(0)))
}
