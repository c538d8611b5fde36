/**
 * The connection cap: with `maxConnections` reached, every further connection is answered
 * `503` with `Connection: close` (never dropped in silence), the connections already open keep
 * working, and a slot freed by a closing connection is usable again.
 *
 * RFC 9110 §15.6.4 (503 Service Unavailable, a temporary overload) and §10.2.3 (Retry-After).
 */
import { type CheckResult, Recorder, until } from './check.ts'
import { Target } from './target-process.ts'
import { type Conversation, converse, get } from './wire.ts'

export interface ConnectionCapOptions {
  readonly maxConnections: number
  /** Connections attempted beyond the cap. */
  readonly excess: number
  /** Requests each capped connection makes before and after the excess arrive. */
  readonly requestsPerConnection: number
  /** Overrides for a deliberately broken target: null = no cap. */
  readonly brokenMaxConnections?: number | null
}

export const CAP_FULL: ConnectionCapOptions = { maxConnections: 256, excess: 256, requestsPerConnection: 5 }
export const CAP_SMALL: ConnectionCapOptions = { maxConnections: 40, excess: 40, requestsPerConnection: 3 }

async function exchange(c: Conversation, n: number, timeoutMs: number): Promise<boolean> {
  const base = c.reader.count
  for (let i = 1; i <= n; i++) {
    c.socket.write(get('/'))
    try {
      const r = await c.waitFor(base + i, timeoutMs)
      if (r.status !== 200 || r.body.toString() !== 'ok') return false
    } catch {
      return false
    }
  }
  return true
}

export async function runConnectionCap(o: ConnectionCapOptions): Promise<CheckResult> {
  const rec = new Recorder('connection-cap', 'Connection cap: 503 + Connection: close beyond maxConnections')
  const cap = o.brokenMaxConnections === undefined ? o.maxConnections : o.brokenMaxConnections
  const target = await Target.start({
    server: { backlog: 1024, maxConnections: cap, timeouts: { keepAlive: 60_000, closeGrace: 2_000 } },
  })
  rec.target(target.command)
  const conversations: Conversation[] = []
  try {
    const before = await target.resetPeak()
    // 1. Fill the cap with keep-alive connections that each make a few requests.
    for (let i = 0; i < o.maxConnections; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, o.maxConnections - i) }, () => converse(target.port)),
      )
      conversations.push(...batch)
    }
    await until(async () => (await target.snapshot()).stats.connections >= o.maxConnections, 5_000)
    const firstRound = await Promise.all(
      conversations.map((c) => exchange(c, o.requestsPerConnection, 5_000)),
    )

    // 2. The excess: each sends a request and must read a whole 503 with Connection: close, then EOF.
    const started = performance.now()
    const excess = await Promise.all(
      Array.from({ length: o.excess }, async () => {
        try {
          const c = await converse(target.port)
          c.socket.write(get('/'))
          // A 200 means the cap did not hold: no need to wait for a close that will not come.
          const first = await c.waitFor(1, 5_000).catch(() => null)
          const closed =
            first !== null && first.status !== 503
              ? null
              : await Promise.race([c.closed, new Promise<null>((r) => setTimeout(() => r(null), 5_000))])
          const r = c.reader.responses
          c.socket.destroy()
          return {
            refused503: r.length === 1 && r[0]!.status === 503 && r[0]!.headers.get('connection') === 'close',
            served200: r.some((x) => x.status === 200),
            closed: closed !== null,
            silent: r.length === 0,
            ms: performance.now() - started,
          }
        } catch {
          return { refused503: false, served200: false, closed: true, silent: true, ms: Number.NaN }
        }
      }),
    )
    rec.connections(o.maxConnections + o.excess)
    const refusedMs = Math.max(...excess.map((e) => e.ms))

    // 3. The connections inside the cap still work.
    const secondRound = await Promise.all(
      conversations.map((c) => exchange(c, o.requestsPerConnection, 5_000)),
    )

    // 4. Freeing a slot lets a new connection in.
    const leaving = conversations.pop()!
    const open = (await target.snapshot()).stats.connections
    leaving.socket.end()
    await leaving.closed
    await until(async () => (await target.snapshot()).stats.connections < open, 3_000)
    const newcomer = await converse(target.port)
    conversations.push(newcomer)
    const newcomerOk = await exchange(newcomer, 1, 5_000)
    const after = await target.snapshot()

    const refused = excess.filter((e) => e.refused503 && e.closed).length
    const silent = excess.filter((e) => e.silent).length
    const served = excess.filter((e) => e.served200).length
    const ok1 = firstRound.filter(Boolean).length
    const ok2 = secondRound.filter(Boolean).length
    rec.expect(
      refused === o.excess,
      `each of ${o.excess} connections beyond maxConnections=${o.maxConnections} gets a full 503 with Connection: close, then EOF`,
      `${refused} refused with 503, ${served} served 200, ${silent} got no response at all`,
    )
    rec.expect(
      after.stats.connectionsRefused === o.excess,
      'the server counts each refused connection',
      `stats.connectionsRefused = ${after.stats.connectionsRefused}`,
    )
    rec.expect(
      ok1 === o.maxConnections && ok2 === o.maxConnections,
      'every connection within the cap keeps working before and after the excess arrive',
      `${ok1}/${o.maxConnections} before, ${ok2}/${o.maxConnections} after`,
    )
    rec.expect(
      newcomerOk,
      'a slot freed by a closing connection is used by the next one',
      `newcomer served: ${newcomerOk}`,
    )
    rec.lost(o.maxConnections - ok1 + (o.maxConnections - ok2) + silent)
    rec.figure('maxConnections', cap)
    rec.figure('excessAttempted', o.excess)
    rec.figure('refused503', refused)
    rec.figure('servedBeyondCap', served)
    rec.figure('silentlyDropped', silent)
    rec.figure('allRefusalsWithinMs', refusedMs)
    rec.figure('requestsInsideCap', (ok1 + ok2) * o.requestsPerConnection)
    rec.rss({ before: before.rss, peak: after.peakRss, after: after.rss })
  } catch (error) {
    rec.expect(false, 'the check ran to completion', String(error))
  } finally {
    for (const c of conversations) c.socket.destroy()
    await target.stop()
  }
  return rec.result()
}
