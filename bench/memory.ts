/**
 * Memory per idle keep-alive connection: open N connections, make one request on each (so every
 * connection has gone through a full request/response and sits idle in keep-alive), then compare
 * the server's RSS and heap after a full GC with the figures before. The server process runs
 * with --expose-gc and a keep-alive timeout longer than the measurement.
 */
import net from 'node:net'
import type { ServerProcess } from './lib/child.ts'
import type { MemorySample } from './lib/ipc.ts'
import { fileLimits } from './lib/procfs.ts'

export interface MemoryResult {
  readonly server: string
  readonly requested: number
  /** Connections actually held open (may be bounded by the fd limit). */
  readonly connections: number
  /** Why fewer connections than requested were opened, or null. */
  readonly bounded: string | null
  readonly before: MemorySample
  readonly after: MemorySample
  readonly rssBytesPerConnection: number
  readonly heapBytesPerConnection: number
  readonly seconds: number
}

const REQUEST = 'GET / HTTP/1.1\r\nHost: bench\r\n\r\n'

/** One connection that has made one request, got its response, and now sits idle. */
export function openOne(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port })
    let got = ''
    const timer = setTimeout(() => {
      s.destroy()
      reject(new Error('no response within 10 s'))
    }, 10_000)
    s.setEncoding('latin1')
    s.once('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    s.once('connect', () => s.write(REQUEST))
    s.on('data', function onData(d: string) {
      got += d
      if (got.endsWith('Hello World')) {
        clearTimeout(timer)
        s.off('data', onData)
        // The socket stays open and idle; errors after this point only mean the server dropped it.
        s.on('error', () => {})
        resolve(s)
      }
    })
  })
}

/** Each process holds N sockets (the server one side, we the other) plus a margin for everything else. */
export function boundedConnections(requested: number): { n: number; why: string | null } {
  const { soft } = fileLimits()
  const room = soft - 512
  if (requested <= room) return { n: requested, why: null }
  return {
    n: Math.max(0, room),
    why: `open-file limit ${soft} (ulimit -n) leaves room for ${room} connections`,
  }
}

export async function measureMemory(
  server: ServerProcess,
  requested: number,
  batch = 200,
): Promise<MemoryResult> {
  const { n, why } = boundedConnections(requested)
  const started = Date.now()
  // Warm up the code paths so their one-time allocations are not charged to the connections.
  const warm = await Promise.all(Array.from({ length: 50 }, () => openOne(server.host, server.port)))
  for (const s of warm) s.destroy()
  await waitFor(async () => (await server.call<MemorySample>({ type: 'memory' })).connections === 0, 5_000)

  const before = await server.call<MemorySample>({ type: 'memory' })
  const sockets: net.Socket[] = []
  try {
    for (let i = 0; i < n; i += batch) {
      const size = Math.min(batch, n - i)
      sockets.push(
        ...(await Promise.all(Array.from({ length: size }, () => openOne(server.host, server.port)))),
      )
    }
    const after = await server.call<MemorySample>({ type: 'memory' }, 60_000)
    if (after.connections < n)
      throw new Error(`${server.name} holds ${after.connections} connections, expected ${n}`)
    return {
      server: server.name,
      requested,
      connections: n,
      bounded: why,
      before,
      after,
      rssBytesPerConnection: (after.rss - before.rss) / n,
      heapBytesPerConnection: (after.heapUsed + after.external - before.heapUsed - before.external) / n,
      seconds: (Date.now() - started) / 1000,
    }
  } finally {
    for (const s of sockets) s.destroy()
  }
}

async function waitFor(cond: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (await cond()) return
    await new Promise((r) => setTimeout(r, 50))
  }
}
