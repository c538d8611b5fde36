/**
 * Aborts. Clients reset their connection (RST) in the middle of a request head, in the middle
 * of a body (buffered and streamed routes), while a handler runs, and while a response (streamed
 * or whole) is being written; others half-close in the middle of a head. Afterwards the server
 * must be up, with no uncaught exception, no unhandled rejection, no connection left open, no
 * handler still holding a pool slot, and as many live timers and sockets as before (counted in
 * the child with async_hooks).
 */
import type { Socket } from 'node:net'
import { type CheckResult, Recorder, until } from './check.ts'
import { Target } from './target-process.ts'
import type { Broken } from './target-protocol.ts'
import { open, sleep } from './wire.ts'

export interface AbortsOptions {
  /** Aborted connections per scenario. */
  readonly perScenario: number
  /** Scenarios run this many connections at a time. */
  readonly concurrency: number
  readonly broken?: readonly Broken[]
}

export const ABORTS_FULL: AbortsOptions = { perScenario: 200, concurrency: 50 }
export const ABORTS_SMALL: AbortsOptions = { perScenario: 20, concurrency: 20 }

/** Resolves once at least `bytes` have arrived on the socket (or it closed, or 5 s passed). */
function received(socket: Socket, bytes: number): Promise<number> {
  return new Promise((resolve) => {
    let total = 0
    const finish = () => {
      clearTimeout(timer)
      socket.off('data', onData)
      resolve(total)
    }
    const onData = (chunk: Buffer) => {
      total += chunk.length
      if (total >= bytes) finish()
    }
    const timer = setTimeout(finish, 5_000)
    socket.on('data', onData)
    socket.once('close', finish)
  })
}

function reset(socket: Socket): void {
  if (!socket.destroyed) socket.resetAndDestroy()
}

interface Scenario {
  readonly name: string
  run(socket: Socket): Promise<void>
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'reset mid-head',
    async run(s) {
      s.write('GET /slow?ms=1 HTTP/1.1\r\nHost: r\r\nX-Partial: ab')
      await sleep(10)
      reset(s)
    },
  },
  {
    name: 'half-close mid-head',
    async run(s) {
      s.end('GET / HTTP/1.1\r\nHo')
      await received(s, 1)
      s.destroy()
    },
  },
  {
    name: 'reset mid-body (buffered route)',
    async run(s) {
      s.write(`POST /echo HTTP/1.1\r\nHost: r\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(5_000)}`)
      await sleep(10)
      reset(s)
    },
  },
  {
    name: 'reset mid-body (streaming route)',
    async run(s) {
      s.write(`POST /upload HTTP/1.1\r\nHost: r\r\nContent-Length: ${16 * 1024 * 1024}\r\n\r\n`)
      s.write(Buffer.alloc(1024 * 1024, 0x41))
      await sleep(20)
      reset(s)
    },
  },
  {
    name: 'reset while the handler runs',
    async run(s) {
      s.write('GET /slow?ms=100 HTTP/1.1\r\nHost: r\r\n\r\n')
      await sleep(20)
      reset(s)
    },
  },
  {
    name: 'reset while a streamed response is written',
    async run(s) {
      s.write('GET /big?mb=64 HTTP/1.1\r\nHost: r\r\n\r\n')
      await received(s, 256 * 1024)
      reset(s)
    },
  },
  {
    name: 'reset while a whole response is written',
    async run(s) {
      s.write('GET /bytes?mb=8 HTTP/1.1\r\nHost: r\r\n\r\n')
      await received(s, 256 * 1024)
      reset(s)
    },
  },
  {
    name: 'reset between pipelined responses',
    async run(s) {
      s.write('GET /slow?ms=5 HTTP/1.1\r\nHost: r\r\n\r\n'.repeat(8))
      await received(s, 100)
      reset(s)
    },
  },
]

export async function runAborts(o: AbortsOptions): Promise<CheckResult> {
  const rec = new Recorder('aborts', 'Aborts: resets mid-head, mid-body, mid-handler and mid-response')
  const target = await Target.start({
    server: { backlog: 1024, poolSize: 64, timeouts: { closeGrace: 500, keepAlive: 2_000 } },
    trackResources: true,
    ...(o.broken !== undefined ? { broken: o.broken } : {}),
  })
  rec.target(target.command)
  try {
    const baseline = await target.resetPeak()
    const failures: string[] = []
    const scenarioMs: Record<string, number> = {}
    for (const scenario of SCENARIOS) {
      const started = performance.now()
      for (let i = 0; i < o.perScenario; i += o.concurrency) {
        const n = Math.min(o.concurrency, o.perScenario - i)
        rec.connections(n)
        await Promise.all(
          Array.from({ length: n }, async () => {
            try {
              const socket = await open(target.port)
              socket.on('error', () => {})
              await scenario.run(socket)
            } catch (error) {
              failures.push(`${scenario.name}: ${String(error)}`)
            }
          }),
        )
      }
      scenarioMs[scenario.name] = Math.round(performance.now() - started)
    }
    const abortedAt = performance.now()
    // Handlers still running (the slow ones) finish, sockets wind down, grace timers fire.
    const settled = await until(async () => {
      const s = await target.snapshot()
      return s.stats.connections === 0 && s.stats.pool.inFlight === 0
    }, 10_000)
    const settleMs = performance.now() - abortedAt
    await sleep(100)
    const after = await target.gc()
    const total = SCENARIOS.length * o.perScenario

    rec.expect(
      target.alive && after.uncaughtExceptions === 0,
      'no crash and no uncaught exception',
      `alive ${target.alive}, uncaught ${after.uncaughtExceptions}`,
    )
    rec.expect(
      after.unhandledRejections === 0,
      'no unhandled promise rejection',
      `${after.unhandledRejections} unhandled rejections`,
    )
    rec.expect(
      settled && after.stats.connections === 0,
      "the server's connection count returns to 0",
      `${after.stats.connections} open, ${Math.round(settleMs)} ms after the last abort`,
    )
    rec.expect(
      after.stats.pool.inFlight === 0 && after.stats.pool.queued === 0,
      'every pool slot is released',
      `inFlight ${after.stats.pool.inFlight}, queued ${after.stats.pool.queued}`,
    )
    rec.expect(
      after.live.timers <= baseline.live.timers && after.live.sockets <= baseline.live.sockets,
      'no leaked timers or sockets',
      `timers ${baseline.live.timers} → ${after.live.timers}, sockets ${baseline.live.sockets} → ${after.live.sockets}`,
    )
    rec.expect(failures.length === 0, 'every scenario ran', failures.slice(0, 3).join('; ') || 'all ran')
    rec.expect(
      after.stats.connectionsAccepted === total,
      'the server accepted every aborting connection (so each abort reached it)',
      `${after.stats.connectionsAccepted} accepted of ${total}`,
    )
    rec.rss({ before: baseline.rss, peak: after.peakRss, after: after.rss })
    rec.figure('scenarios', SCENARIOS.length)
    rec.figure('abortedConnections', total)
    rec.figure('connectionsAccepted', after.stats.connectionsAccepted)
    rec.figure('requestsSeen', after.stats.requests)
    rec.figure('settleMs', settleMs)
    rec.figure('slowestScenarioMs', Math.max(...Object.values(scenarioMs)))
    rec.figure('liveTimersAfter', after.live.timers)
    rec.figure('liveSocketsAfter', after.live.sockets)
    rec.figure('unhandledRejections', after.unhandledRejections)
  } catch (error) {
    rec.expect(false, 'the check ran to completion', String(error))
  } finally {
    await target.stop()
  }
  return rec.result()
}
