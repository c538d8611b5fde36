/**
 * autocannon through its programmatic API: the fallback generator for the benchmark when wrk is
 * absent, and the client of the load tests (they need its per-status counts, not peak speed).
 */
import autocannon from 'autocannon'
import type { LoadRun, LoadSpec } from './types.ts'

export interface AutocannonExtra {
  readonly path?: string
  /** Stop after this many requests instead of after the duration. */
  readonly amount?: number
  readonly timeoutSec?: number
}

export interface AutocannonRun extends LoadRun {
  readonly statusCodes: Record<string, number>
}

export async function runAutocannon(spec: LoadSpec, extra: AutocannonExtra = {}): Promise<AutocannonRun> {
  const options = {
    url: `${spec.url}${extra.path ?? '/'}`,
    connections: spec.connections,
    pipelining: spec.pipeline,
    timeout: extra.timeoutSec ?? 10,
    ...(extra.amount !== undefined ? { amount: extra.amount } : { duration: spec.durationSec }),
  }
  const r = await autocannon(options)
  const statusCodes: Record<string, number> = {}
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {}))
    statusCodes[code] = (v as { count: number }).count
  const durationSec = r.duration
  return {
    generator: 'autocannon',
    requests: r.requests.total,
    durationSec,
    rps: durationSec > 0 ? r.requests.total / durationSec : 0,
    latencyUs: {
      p50: r.latency.p50 * 1000,
      p90: r.latency.p90 * 1000,
      p99: r.latency.p99 * 1000,
      max: r.latency.max * 1000,
      mean: r.latency.mean * 1000,
    },
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    command: `autocannon ${JSON.stringify(options)}`,
    statusCodes,
  }
}
