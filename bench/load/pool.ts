/**
 * The handler pool under load.
 *
 * Throughput: poolSize P, a handler that waits 50 ms, 10·P autocannon connections. The pool
 * must never run more than P handlers (the server's own maxInFlight and, independently, the
 * bench handler's own concurrency meter both read exactly P), and by Little's law throughput
 * is P / 50 ms: within ±20% of it.
 *
 * Overflow: P + Q + X requests at once, one per connection, each handler taking long enough
 * that all of them arrive before the first finishes: exactly P run, Q wait, X get 503 without
 * their handler ever running, and autocannon sees no errors or timeouts.
 */
import { runAutocannon } from '../gen/autocannon.ts'
import type { TargetStats } from '../lib/ipc.ts'
import { type CheckResult, equal, result, within } from './check.ts'
import { startTarget, type TargetName } from './targets.ts'

export interface PoolThroughputParams {
  readonly pool: number
  readonly handlerMs: number
  readonly durationSec: number
  /** Connections per pool slot (10 in the issue). */
  readonly connectionsPerSlot: number
  readonly tolerance: number
  /** Assert the throughput (the load-test run) or only record it (unit tests: no timing assertions). */
  readonly assertThroughput: boolean
}

export async function checkPoolThroughput(target: TargetName, p: PoolThroughputParams): Promise<CheckResult> {
  const started = Date.now()
  const server = await startTarget(target, { pool: p.pool, queue: 1024 })
  try {
    const connections = p.connectionsPerSlot * p.pool
    const run = await runAutocannon(
      { url: server.url, connections, durationSec: p.durationSec, pipeline: 1, threads: 1 },
      { path: `/slow?ms=${p.handlerMs}` },
    )
    const stats = await server.call<TargetStats>({ type: 'stats' })
    const ok = run.statusCodes['200'] ?? 0
    const rps = ok / run.durationSec
    const expected = p.pool / (p.handlerMs / 1000)
    const assertions = [
      equal('server pool maxInFlight', p.pool, stats.pool?.maxInFlight ?? -1),
      equal('handlers running at once (measured in the handler)', p.pool, stats.handler.maxConcurrent),
      equal('autocannon errors + timeouts', 0, run.errors + run.timeouts),
      equal('non-2xx responses', 0, run.non2xx),
    ]
    const throughput = within(
      `throughput req/s vs P / ${p.handlerMs} ms (Little's law)`,
      expected,
      p.tolerance,
      rps,
    )
    if (p.assertThroughput) assertions.push(throughput)
    return result(
      `pool-throughput-${p.pool}`,
      'pool-throughput',
      target,
      { pool: p.pool, handlerMs: p.handlerMs, connections, durationSec: p.durationSec },
      assertions,
      {
        requestsPerSec: rps,
        expectedPerSec: expected,
        throughputWithinTolerance: throughput.pass,
        latencyP50Ms: run.latencyUs.p50 / 1000,
        latencyP99Ms: run.latencyUs.p99 / 1000,
        statusCodes: run.statusCodes,
        serverStats: stats,
      },
      started,
    )
  } finally {
    await server.stop()
  }
}

export interface PoolOverflowParams {
  readonly pool: number
  readonly queue: number
  /** Requests beyond pool + queue. */
  readonly overflow: number
  /** Long enough for every request to arrive before the first handler finishes. */
  readonly handlerMs: number
}

export async function checkPoolOverflow(target: TargetName, p: PoolOverflowParams): Promise<CheckResult> {
  const started = Date.now()
  const server = await startTarget(target, { pool: p.pool, queue: p.queue })
  try {
    const before = await server.call<TargetStats>({ type: 'stats' })
    const total = p.pool + p.queue + p.overflow
    // amount = connections: autocannon gives each connection exactly one request, all sent at once.
    const run = await runAutocannon(
      { url: server.url, connections: total, durationSec: 0, pipeline: 1, threads: 1 },
      {
        path: `/slow?ms=${p.handlerMs}`,
        amount: total,
        timeoutSec: Math.ceil((p.handlerMs * (total / p.pool + 2)) / 1000) + 5,
      },
    )
    const after = await server.call<TargetStats>({ type: 'stats' })
    const admitted = p.pool + p.queue
    const assertions = [
      equal('503 responses (the overflow)', p.overflow, run.statusCodes['503'] ?? 0),
      equal('200 responses (pool + queue)', admitted, run.statusCodes['200'] ?? 0),
      equal(
        'handler invocations (none for a rejected request)',
        admitted,
        after.handler.runs - before.handler.runs,
      ),
      equal('server pool rejected', p.overflow, (after.pool?.rejected ?? 0) - (before.pool?.rejected ?? 0)),
      equal('server pool maxInFlight', p.pool, after.pool?.maxInFlight ?? -1),
      equal('autocannon errors + timeouts', 0, run.errors + run.timeouts),
    ]
    return result(
      `pool-overflow-${p.pool}-${p.queue}`,
      'pool-overflow',
      target,
      { pool: p.pool, queue: p.queue, concurrent: total, handlerMs: p.handlerMs },
      assertions,
      { statusCodes: run.statusCodes, serverStats: after },
      started,
    )
  } finally {
    await server.stop()
  }
}
