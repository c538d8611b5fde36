/**
 * Handler faults. A handler that throws, one that rejects, and one that returns a header value
 * with CR/LF in it each get 500, and the same keep-alive connection serves the next request.
 * A handler that never resolves is cut off by the handler timeout with 503, and its pool slot
 * is released: with a pool of one, the requests after it are still served.
 *
 * RFC 9110 §5.5: a field value never holds CR or LF, so such a header must not reach the wire
 * (it would split the response); RFC 9110 §15.6.1 (500) and §15.6.4 (503).
 */
import { type CheckResult, Recorder, until } from './check.ts'
import { Target } from './target-process.ts'
import { converse, get } from './wire.ts'

export interface HandlerFaultsOptions {
  /** Rounds of the whole fault sequence, each on its own connection. */
  readonly rounds: number
  readonly handlerTimeoutMs: number
  readonly slackMs: number
  /** Deliberately broken target: 0 turns the handler timeout off. */
  readonly brokenHandlerTimeoutMs?: number
}

export const FAULTS_FULL: HandlerFaultsOptions = { rounds: 20, handlerTimeoutMs: 300, slackMs: 700 }
export const FAULTS_SMALL: HandlerFaultsOptions = { rounds: 3, handlerTimeoutMs: 300, slackMs: 700 }

interface Step {
  readonly path: string
  readonly status: number
  readonly what: string
}

const SEQUENCE: readonly Step[] = [
  { path: '/throw', status: 500, what: 'throws' },
  { path: '/', status: 200, what: 'after a throw' },
  { path: '/reject', status: 500, what: 'rejects' },
  { path: '/', status: 200, what: 'after a rejection' },
  { path: '/badheader', status: 500, what: 'returns a CR/LF header value' },
  { path: '/', status: 200, what: 'after an invalid header' },
  { path: '/never', status: 503, what: 'never resolves' },
  { path: '/', status: 200, what: 'after a handler timeout' },
]

export async function runHandlerFaults(o: HandlerFaultsOptions): Promise<CheckResult> {
  const rec = new Recorder('handler-faults', 'Handler faults: 500 on throw/reject/bad header, 503 on timeout')
  const timeout = o.brokenHandlerTimeoutMs ?? o.handlerTimeoutMs
  // A pool of one: a slot kept by the never-resolving handler would block every later request.
  const target = await Target.start({
    server: { poolSize: 1, queueLimit: 64, timeouts: { handler: timeout, keepAlive: 30_000 } },
  })
  rec.target(target.command)
  try {
    const before = await target.resetPeak()
    const wrong: string[] = []
    const timeoutDelays: number[] = []
    let injected = 0
    let answered = 0
    let sameConnection = 0
    let stuck = false
    for (let round = 0; round < o.rounds && !stuck; round++) {
      const c = await converse(target.port)
      rec.connections(1)
      let n = 0
      for (const step of SEQUENCE) {
        const started = performance.now()
        c.socket.write(get(step.path))
        const r = await c
          .waitFor(++n, timeout + o.slackMs + (step.status === 503 ? 0 : 2_000))
          .catch(() => null)
        if (r === null) {
          wrong.push(`${step.path} (${step.what}): no response`)
          // With a pool of one, everything after a stuck handler would wait too.
          stuck = true
          break
        }
        answered++
        if (r.status !== step.status)
          wrong.push(`${step.path} (${step.what}): ${r.status}, expected ${step.status}`)
        if (r.headers.has('set-cookie')) injected++
        if (step.status === 503) timeoutDelays.push(r.at - started)
        if (r.headers.get('connection') === 'close') {
          wrong.push(`${step.path} (${step.what}): Connection: close`)
          break
        }
      }
      if (n === SEQUENCE.length && !c.socket.destroyed) sameConnection++
      c.socket.destroy()
    }
    const released = await until(async () => (await target.snapshot()).stats.pool.inFlight === 0, 2_000)
    const after = await target.snapshot()
    const total = o.rounds * SEQUENCE.length
    rec.expect(
      wrong.length === 0 && answered === total,
      'throw, reject and a CR/LF header value give 500; a hung handler gives 503; the requests between them give 200',
      wrong.length === 0 ? `${answered}/${total} answered as expected` : wrong.slice(0, 4).join('; '),
    )
    rec.expect(
      sameConnection === o.rounds,
      'the connection stays usable after each fault (framing intact: no Connection: close)',
      `${sameConnection}/${o.rounds} connections went through the whole sequence`,
    )
    rec.expect(
      injected === 0,
      'no injected header reaches the client',
      `${injected} responses carried Set-Cookie`,
    )
    const maxDelay = Math.max(...timeoutDelays, 0)
    rec.expect(
      timeoutDelays.length === o.rounds && maxDelay <= timeout + o.slackMs,
      `a handler that never resolves is answered 503 after the handler timeout (${timeout} ms, +${o.slackMs} ms)`,
      `${timeoutDelays.length}/${o.rounds} answered 503, slowest ${Math.round(maxDelay)} ms`,
    )
    rec.expect(
      released && after.stats.pool.inFlight === 0,
      'the pool slot of the timed-out handler is released',
      `pool inFlight ${after.stats.pool.inFlight}, completed ${after.stats.pool.completed}`,
    )
    rec.expect(
      target.alive && after.uncaughtExceptions === 0 && after.unhandledRejections === 0,
      'no crash, no uncaught exception or unhandled rejection',
      `alive ${target.alive}, uncaught ${after.uncaughtExceptions}, unhandled ${after.unhandledRejections}`,
    )
    rec.lost(total - answered)
    rec.rss({ before: before.rss, peak: after.peakRss, after: after.rss })
    rec.figure('rounds', o.rounds)
    rec.figure('requests', total)
    rec.figure('handlerTimeoutMs', timeout)
    rec.figure('timeout503MaxMs', timeoutDelays.length > 0 ? maxDelay : null)
    rec.figure('poolSize', 1)
  } catch (error) {
    rec.expect(false, 'the check ran to completion', String(error))
  } finally {
    await target.stop()
  }
  return rec.result()
}
