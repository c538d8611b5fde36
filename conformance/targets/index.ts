/**
 * Targets the suite can run against: the built-in sockhttp server (in-process), the same apps on
 * node:http (in-process), or any server by URL. In-process targets also serve the `hello` app on a
 * second port (for 404/405/501 cases) and expose a connection counter (for keep-alive reuse).
 */
import { startNodeApp } from './node-apps.ts'

export interface Endpoint {
  readonly host: string
  readonly port: number
}

export interface RunningTarget {
  /** `sockhttp`, `node`, or the URL. */
  readonly name: string
  /** File-name-safe name for reports. */
  readonly slug: string
  readonly reflect: Endpoint
  readonly hello: Endpoint | null
  /** Whether the reflect endpoint speaks the reflect contract (CONTRACTS.md §2). */
  readonly speaksReflect: boolean
  /** The configured headers timeout (ms), when known; null skips the timeout cases. */
  readonly headersTimeoutMs: number | null
  readonly connectionsAccepted?: () => number
  close(): Promise<void>
}

export interface TargetOptions {
  /** Headers timeout to configure on in-process targets (or to assume for a URL with --headers-timeout). */
  readonly headersTimeoutMs: number
  /** A URL target speaks the reflect contract. */
  readonly reflect: boolean
  readonly assumeUrlHeadersTimeout: boolean
}

export const DEFAULT_HEADERS_TIMEOUT_MS = 1500

async function startNode(opts: TargetOptions): Promise<RunningTarget> {
  const reflect = await startNodeApp('reflect', { headersTimeout: opts.headersTimeoutMs })
  const hello = await startNodeApp('hello', { headersTimeout: opts.headersTimeoutMs })
  return {
    name: 'node',
    slug: 'node',
    reflect: { host: reflect.host, port: reflect.port },
    hello: { host: hello.host, port: hello.port },
    speaksReflect: true,
    headersTimeoutMs: opts.headersTimeoutMs,
    connectionsAccepted: () => reflect.connectionsAccepted,
    close: async () => {
      await Promise.all([reflect.close(), hello.close()])
    },
  }
}

/** The slice of the sockhttp API the suite uses (src/index.ts, src/apps/index.ts). */
interface SockhttpServer {
  start(port: number, host: string): Promise<{ host: string; port: number }>
  close(opts?: { deadline?: number }): Promise<void>
  readonly stats: { readonly connectionsAccepted: number }
}
type ServerCtor = new (routes: unknown, options?: Record<string, unknown>) => SockhttpServer
interface SockhttpModules {
  Server: ServerCtor
  createApp: (name: 'hello' | 'echo' | 'reflect' | 'slow') => unknown
}

async function loadSockhttp(): Promise<SockhttpModules> {
  // Resolved at run time so the suite (and its tests against node) work before src/ is complete.
  const indexUrl = new URL('../../src/index.ts', import.meta.url).href
  const appsUrl = new URL('../../src/apps/index.ts', import.meta.url).href
  const index = (await import(indexUrl)) as { Server?: ServerCtor }
  const apps = (await import(appsUrl)) as { createApp?: SockhttpModules['createApp'] }
  if (typeof index.Server !== 'function' || typeof apps.createApp !== 'function') {
    throw new Error('src/index.ts must export Server and src/apps/index.ts must export createApp')
  }
  return { Server: index.Server, createApp: apps.createApp }
}

async function startSockhttp(opts: TargetOptions): Promise<RunningTarget> {
  const { Server, createApp } = await loadSockhttp()
  const options = { timeouts: { headers: opts.headersTimeoutMs } }
  const reflectServer = new Server(createApp('reflect'), options)
  const helloServer = new Server(createApp('hello'), options)
  const reflect = await reflectServer.start(0, '127.0.0.1')
  const hello = await helloServer.start(0, '127.0.0.1')
  return {
    name: 'sockhttp',
    slug: 'sockhttp',
    reflect,
    hello,
    speaksReflect: true,
    headersTimeoutMs: opts.headersTimeoutMs,
    connectionsAccepted: () => reflectServer.stats.connectionsAccepted,
    close: async () => {
      await Promise.all([reflectServer.close({ deadline: 500 }), helloServer.close({ deadline: 500 })])
    },
  }
}

export function parseUrlTarget(spec: string): Endpoint | null {
  let url: URL
  try {
    url = new URL(spec)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' || !url.hostname) return null
  const host = url.hostname.replace(/^\[|\]$/g, '')
  return { host, port: url.port ? Number(url.port) : 80 }
}

export function slugFor(spec: string): string {
  return spec
    .replace(/^https?:\/\//, '')
    .replace(/[^A-Za-z0-9.-]+/g, '_')
    .replace(/_+$/, '')
}

export async function startTarget(spec: string, opts: TargetOptions): Promise<RunningTarget> {
  if (spec === 'node') return startNode(opts)
  if (spec === 'sockhttp') return startSockhttp(opts)
  const endpoint = parseUrlTarget(spec)
  if (!endpoint)
    throw new Error(`unknown target ${JSON.stringify(spec)}: use sockhttp, node or http://HOST:PORT`)
  return {
    name: spec,
    slug: slugFor(spec),
    reflect: endpoint,
    hello: null,
    speaksReflect: opts.reflect,
    headersTimeoutMs: opts.assumeUrlHeadersTimeout ? opts.headersTimeoutMs : null,
    close: async () => {},
  }
}
