/**
 * The server under test, run as a child process so that its RSS, its crashes, its unhandled
 * rejections and its exit are its own and not the load generator's. Started by
 * ./target-process.ts with one JSON argument (TargetConfig) and an IPC channel (TargetRequest /
 * TargetReply). It prints `listening on http://HOST:PORT` (CONTRACTS.md §1) once it accepts.
 *
 * `broken` switches on deliberate faults, so that each check can be shown to fail:
 * - `leak`: /big and /slow handlers leave a timer running and a rejected promise unhandled.
 * - `buffer-upload`: the streaming upload handler keeps every chunk in memory.
 * - `abrupt-close`: shutdown destroys connections at once instead of finishing their requests.
 * - `retain`: the / and /p/:n handlers keep 1 KiB per request forever (a memory leak).
 */
import { createHook } from 'node:async_hooks'
import { createHash } from 'node:crypto'
import { Response, type Routes, Server, type ServerOptions } from '../../src/index.ts'
import type { TargetConfig, TargetReply, TargetRequest, TargetSnapshot } from './target-protocol.ts'

const config = JSON.parse(process.argv[2] ?? '{}') as TargetConfig
const broken = new Set(config.broken ?? [])

let unhandledRejections = 0
let uncaughtExceptions = 0
process.on('unhandledRejection', () => {
  unhandledRejections++
})
process.on('uncaughtException', (error) => {
  uncaughtExceptions++
  process.stderr.write(`uncaught exception: ${error.stack ?? String(error)}\n`)
})

// Live timers and sockets, counted from async_hooks. Enabling a hook slows promises down, so
// only the checks that look for leaks ask for it.
const live = new Map<number, string>()
if (config.trackResources === true) {
  createHook({
    init(id, type) {
      if (type === 'Timeout' || type === 'TCPWRAP') live.set(id, type)
    },
    destroy(id) {
      live.delete(id)
    },
  }).enable()
}
function liveCounts(): { timers: number; sockets: number } {
  let timers = 0
  let sockets = 0
  for (const type of live.values()) {
    if (type === 'Timeout') timers++
    else sockets++
  }
  return { timers, sockets }
}

let peakRss = process.memoryUsage.rss()
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss()
  if (rss > peakRss) peakRss = rss
}, 20)
sampler.unref()

let gateOpen = false
let openGate: () => void = () => {}
const gate = new Promise<void>((resolve) => {
  openGate = () => {
    gateOpen = true
    resolve()
  }
})

let handlerRuns = 0
/** Ids (the `id` query parameter) of /slow requests whose handler started, i.e. whose head was received. */
const received = new Set<string>()
const byteCache = new Map<number, Buffer>()
const MIB = 1024 * 1024

const pads = new Map<number, string>()
/** `pad` bytes of filler, so that responses fill the socket buffers sooner. */
function padding(pad: string | null): string {
  const n = Math.min(Math.max(Number(pad ?? 0) || 0, 0), 65_536)
  let text = pads.get(n)
  if (text === undefined) {
    text = '.'.repeat(n)
    pads.set(n, text)
  }
  return text
}

const retained: Buffer[] = []
function retain(): void {
  if (broken.has('retain')) retained.push(Buffer.alloc(1024, 1))
}

function leak(): void {
  if (!broken.has('leak')) return
  setInterval(() => {}, 60_000).unref()
  void Promise.reject(new Error('deliberately unhandled'))
}

function mib(query: URLSearchParams, fallback: number): number {
  const n = Number(query.get('mb') ?? fallback)
  return Number.isFinite(n) && n >= 0 ? Math.min(n, 1024) : fallback
}

const routes: Routes = {
  Root: {
    pattern: '/',
    method: 'GET',
    handler: () => {
      handlerRuns++
      retain()
      return new Response(200, 'ok')
    },
  },
  Numbered: {
    pattern: '/p/:n',
    method: 'GET',
    handler: (req) => {
      handlerRuns++
      retain()
      return new Response(200, req.params.n ?? '')
    },
  },
  Gated: {
    pattern: '/gate/:n',
    method: 'GET',
    handler: async (req) => {
      handlerRuns++
      if (!gateOpen) await gate
      return new Response(200, `${req.params.n ?? ''}:${padding(req.query.get('pad'))}`)
    },
  },
  Upload: {
    pattern: '/upload',
    method: 'POST',
    body: 'stream',
    handler: async (req) => {
      handlerRuns++
      const hash = createHash('sha256')
      let bytes = 0
      const kept: Uint8Array[] = []
      for await (const chunk of req.stream()) {
        bytes += chunk.length
        if (broken.has('buffer-upload')) kept.push(Buffer.from(chunk))
        else hash.update(chunk)
      }
      for (const chunk of kept) hash.update(chunk)
      return Response.json({ bytes, sha256: hash.digest('hex') })
    },
  },
  Echo: {
    pattern: '/echo',
    method: 'POST',
    handler: (req) => {
      handlerRuns++
      return new Response(200, req.body)
    },
  },
  Big: {
    pattern: '/big',
    method: 'GET',
    handler: (req) => {
      handlerRuns++
      leak()
      const total = mib(req.query, 16) * MIB
      const chunk = Buffer.alloc(64 * 1024, 0x61)
      async function* chunks(): AsyncGenerator<Uint8Array> {
        for (let sent = 0; sent < total; sent += chunk.length) yield chunk
      }
      return new Response(200, chunks())
    },
  },
  Bytes: {
    pattern: '/bytes',
    method: 'GET',
    handler: (req) => {
      handlerRuns++
      const size = mib(req.query, 4) * MIB
      let bytes = byteCache.get(size)
      if (bytes === undefined) {
        bytes = Buffer.alloc(size, 0x62)
        byteCache.set(size, bytes)
      }
      return new Response(200, bytes)
    },
  },
  Slow: {
    pattern: '/slow',
    method: 'GET',
    handler: async (req) => {
      handlerRuns++
      leak()
      const id = req.query.get('id')
      if (id !== null) received.add(id)
      const ms = Math.min(Number(req.query.get('ms') ?? 100) || 0, 60_000)
      await new Promise((resolve) => setTimeout(resolve, ms))
      return new Response(200, id ?? 'ok')
    },
  },
  Throws: {
    pattern: '/throw',
    method: 'GET',
    handler: () => {
      handlerRuns++
      throw new Error('deliberate synchronous failure')
    },
  },
  Rejects: {
    pattern: '/reject',
    method: 'GET',
    handler: async () => {
      handlerRuns++
      await Promise.resolve()
      throw new Error('deliberate asynchronous failure')
    },
  },
  BadHeader: {
    pattern: '/badheader',
    method: 'GET',
    handler: () => {
      handlerRuns++
      return new Response(200, 'never sent', [['X-Injected', 'a\r\nSet-Cookie: injected=1']])
    },
  },
  Never: {
    pattern: '/never',
    method: 'GET',
    handler: () => {
      handlerRuns++
      // Neither resolves nor holds a timer: only the handler timeout can answer it.
      return new Promise<Response>(() => {})
    },
  },
}

const s = config.server ?? {}
const options: ServerOptions = {
  ...(s.backlog !== undefined ? { backlog: s.backlog } : {}),
  ...(s.poolSize !== undefined ? { poolSize: s.poolSize } : {}),
  ...(s.queueLimit !== undefined ? { queueLimit: s.queueLimit } : {}),
  ...(s.maxConnections !== undefined && s.maxConnections !== null
    ? { maxConnections: s.maxConnections }
    : {}),
  // JSON has no Infinity: a null limit means "no limit" (the broken targets use it).
  ...(s.limits !== undefined
    ? {
        limits: Object.fromEntries(
          Object.entries(s.limits).map(([k, v]) => [k, v === null ? Number.POSITIVE_INFINITY : v]),
        ),
      }
    : {}),
  ...(s.timeouts !== undefined ? { timeouts: s.timeouts } : {}),
}
const server = new Server(routes, options)

function snapshot(): TargetSnapshot {
  const memory = process.memoryUsage()
  if (memory.rss > peakRss) peakRss = memory.rss
  return {
    pid: process.pid,
    rss: memory.rss,
    peakRss,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external + memory.arrayBuffers,
    stats: server.stats,
    live: liveCounts(),
    unhandledRejections,
    uncaughtExceptions,
    handlerRuns,
  }
}

let closing = false
function reply(message: TargetReply): void {
  if (process.connected) process.send?.(message)
}

process.on('message', (raw) => {
  const request = raw as TargetRequest
  switch (request.type) {
    case 'snapshot':
      reply({ id: request.id, data: snapshot() })
      break
    case 'reset-peak':
      peakRss = process.memoryUsage.rss()
      reply({ id: request.id, data: snapshot() })
      break
    case 'gc': {
      const gc = (globalThis as { gc?: () => void }).gc
      gc?.()
      reply({ id: request.id, data: snapshot() })
      break
    }
    case 'open-gate':
      openGate()
      reply({ id: request.id, data: snapshot() })
      break
    case 'close': {
      if (closing) break
      closing = true
      // The heads received before close(): every one of them is owed a full response.
      const before = [...received]
      const startedAt = performance.now()
      const done = server.close(
        broken.has('abrupt-close')
          ? { deadline: 0 }
          : request.deadline !== undefined
            ? { deadline: request.deadline }
            : {},
      )
      reply({ id: request.id, data: { receivedBeforeClose: before, snapshot: snapshot() } })
      void done.then(() => {
        reply({ id: -1, event: 'closed', data: { ms: performance.now() - startedAt, snapshot: snapshot() } })
        // Nothing else holds the process: it exits by itself once the server has let go of
        // everything, which is what the shutdown check measures.
        process.disconnect()
      })
      break
    }
  }
})

const address = await server.start(0, '127.0.0.1')
process.stdout.write(`listening on http://${address.host}:${address.port}\n`)
reply({ id: 0, event: 'listening', data: { host: address.host, port: address.port, pid: process.pid } })
