/**
 * Keep-alive reuse: autocannon with c connections over a stretch of requests must cost the
 * server exactly c accepted TCP connections. A server that closed after each response (or that
 * the client had to leave) would show many more.
 */
import { runAutocannon } from '../gen/autocannon.ts'
import type { TargetStats } from '../lib/ipc.ts'
import { type CheckResult, equal, result } from './check.ts'
import { startTarget, type TargetName } from './targets.ts'

export interface KeepAliveParams {
  readonly connections: number
  /** Requests per connection. */
  readonly requestsPerConnection: number
}

export async function checkKeepAlive(target: TargetName, p: KeepAliveParams): Promise<CheckResult> {
  const started = Date.now()
  const server = await startTarget(target, {})
  try {
    const before = await server.call<TargetStats>({ type: 'stats' })
    const amount = p.connections * p.requestsPerConnection
    const run = await runAutocannon(
      { url: server.url, connections: p.connections, durationSec: 0, pipeline: 1, threads: 1 },
      { amount },
    )
    const after = await server.call<TargetStats>({ type: 'stats' })
    const accepted = after.connectionsAccepted - before.connectionsAccepted
    return result(
      `keep-alive-${p.connections}`,
      'keep-alive',
      target,
      { connections: p.connections, requests: amount },
      [
        equal('TCP connections accepted by the server', p.connections, accepted),
        equal('200 responses', amount, run.statusCodes['200'] ?? 0),
        equal('autocannon errors + timeouts', 0, run.errors + run.timeouts),
      ],
      { statusCodes: run.statusCodes, requests: run.requests, serverStats: after },
      started,
    )
  } finally {
    await server.stop()
  }
}
