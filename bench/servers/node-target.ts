/**
 * node:http serving a built-in app (conformance/targets/node-apps.ts), plus the bench IPC channel.
 * Usage: node --expose-gc --import tsx bench/servers/node-target.ts --app hello [--backlog N] [--keep-alive-timeout MS]
 */
import { parseArgs } from 'node:util'
import { type NodeAppName, startNodeApp } from '../../conformance/targets/node-apps.ts'
import { HandlerMeter, type MemorySample, serveIpc, type TargetStats } from '../lib/ipc.ts'

const { values } = parseArgs({
  options: {
    app: { type: 'string', default: 'hello' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    backlog: { type: 'string', default: '511' },
    'keep-alive-timeout': { type: 'string', default: '5000' },
  },
})

const app = await startNodeApp(values.app as NodeAppName, {
  host: values.host,
  port: Number(values.port),
  backlog: Number(values.backlog),
  keepAliveTimeout: Number(values['keep-alive-timeout']),
})
const meter = new HandlerMeter()
let open = 0
app.server.on('connection', (socket) => {
  open++
  socket.once('close', () => open--)
})
app.server.on('request', (_req, res) => {
  meter.enter()
  res.once('close', () => meter.exit())
})

serveIpc((req) => {
  if (req.type === 'stats') {
    const stats: TargetStats = {
      connections: open,
      connectionsAccepted: app.connectionsAccepted,
      requests: meter.runs,
      pool: null,
      handler: { runs: meter.runs, maxConcurrent: meter.maxConcurrent },
    }
    return stats
  }
  if (req.type === 'memory') {
    globalThis.gc?.()
    const m = process.memoryUsage()
    const sample: MemorySample = { rss: m.rss, heapUsed: m.heapUsed, external: m.external, connections: open }
    return sample
  }
  throw new Error(`unsupported ${req.type}`)
})

process.stdout.write(`listening on http://${app.host}:${app.port}\n`)
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => void app.close().then(() => process.exit(0)))
