/**
 * Where each service listens and how it reaches the others, read from the environment the way the
 * original example did: GATEWAY_PORT / ORDER_PORT / CATALOG_PORT with *_HOST beside them.
 */

export type ServiceName = 'catalog' | 'order' | 'gateway'

export const SERVICE_NAMES: readonly ServiceName[] = ['catalog', 'order', 'gateway']

export interface Endpoint {
  readonly host: string
  readonly port: number
}

export interface StocksConfig {
  readonly catalog: Endpoint
  readonly order: Endpoint
  readonly gateway: Endpoint
  /** Time allowed for a downstream service to send its response head, then its body. */
  readonly downstreamTimeoutMs: number
  /** Time allowed to open a TCP connection to a downstream service. */
  readonly connectTimeoutMs: number
}

const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = { gateway: 8080, order: 6060, catalog: 7070 }
const DEFAULT_HOST = '127.0.0.1'
/** Long enough for a queue of 1,000 trades on a busy 2-core machine, short enough that a stuck peer is noticed. */
export const DEFAULT_DOWNSTREAM_TIMEOUT_MS = 10_000
export const DEFAULT_CONNECT_TIMEOUT_MS = 2_000

type Env = Readonly<Record<string, string | undefined>>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

function readPort(env: Env, key: string, fallback: number): number {
  const raw = env[key]
  if (raw === undefined || raw === '') return fallback
  // Port 0 is allowed: the OS picks a free port (used by the tests).
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535)
    throw new ConfigError(`${key} must be a port number 0-65535, got ${JSON.stringify(raw)}`)
  return Number(raw)
}

function readMs(env: Env, key: string, fallback: number): number {
  const raw = env[key]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d{1,9}$/.test(raw) || Number(raw) === 0)
    throw new ConfigError(`${key} must be a positive number of milliseconds, got ${JSON.stringify(raw)}`)
  return Number(raw)
}

function readEndpoint(env: Env, name: ServiceName): Endpoint {
  const prefix = name.toUpperCase()
  const host = env[`${prefix}_HOST`]
  return {
    host: host === undefined || host === '' ? DEFAULT_HOST : host,
    port: readPort(env, `${prefix}_PORT`, DEFAULT_PORTS[name]),
  }
}

export function loadConfig(env: Env = process.env): StocksConfig {
  return {
    catalog: readEndpoint(env, 'catalog'),
    order: readEndpoint(env, 'order'),
    gateway: readEndpoint(env, 'gateway'),
    downstreamTimeoutMs: readMs(env, 'DOWNSTREAM_TIMEOUT_MS', DEFAULT_DOWNSTREAM_TIMEOUT_MS),
    connectTimeoutMs: readMs(env, 'CONNECT_TIMEOUT_MS', DEFAULT_CONNECT_TIMEOUT_MS),
  }
}

/** http://host:port, with IPv6 literals bracketed (RFC 3986 §3.2.2). */
export function originOf(endpoint: Endpoint): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host
  return `http://${host}:${endpoint.port}`
}
