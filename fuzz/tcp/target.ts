/** Resolves `--target`: our own server with the reflect app on port 0, or a given http://HOST:PORT. */
import { createApp } from '../../src/apps/index.ts'
import { Server } from '../../src/index.ts'
import type { TcpTarget } from '../properties/types.ts'

export interface RunningTarget extends TcpTarget {
  close(): Promise<void>
}

export async function startSockhttpTarget(): Promise<RunningTarget> {
  const server = new Server(createApp('reflect'))
  const { host, port } = await server.start(0, '127.0.0.1')
  return { host, port, isSockhttp: true, close: () => server.close({ deadline: 2000 }) }
}

/** Parses `http://HOST:PORT`; null when malformed. */
export function parseTargetUrl(url: string): TcpTarget | null {
  const m = /^http:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(url)
  if (m === null) return null
  const port = Number(m[2])
  if (port < 1 || port > 65535) return null
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port, isSockhttp: false }
}

export async function resolveTarget(spec: string): Promise<RunningTarget | null> {
  if (spec === 'sockhttp') return startSockhttpTarget()
  const t = parseTargetUrl(spec)
  return t === null ? null : { ...t, close: async () => {} }
}
