/**
 * Slow clients. Many connections each send a request head one byte per second (slowloris); a
 * normal client on a fresh connection must keep its latency, and every slow connection must be
 * answered 408 and closed once the headers timeout passes. Also a slow body (408 from the
 * request timeout) and idle keep-alive connections (closed at the keep-alive timeout).
 *
 * RFC 9112 §9.5 lets a server close a connection that stays silent too long; RFC 9110 §15.5.9
 * names the answer for a request not received in time (408); RFC 9112 §9.6: the server signals
 * the close with `Connection: close`.
 */
import type { Socket } from 'node:net'
import type { ServerTimeouts } from '../../src/index.ts'
import { type CheckResult, Recorder } from './check.ts'
import { probeLatency } from './latency.ts'
import { Target } from './target-process.ts'
import { attach, type Conversation, converse, get, open, sleep } from './wire.ts'

export interface SlowlorisOptions {
  /** Connections sending one header byte per second. */
  readonly slowConnections: number
  readonly headersTimeoutMs: number
  /** Connections sending a body one byte per second after a complete head. */
  readonly slowBodyConnections: number
  readonly requestTimeoutMs: number
  /** Connections that make one request and then stay idle. */
  readonly idleConnections: number
  readonly keepAliveTimeoutMs: number
  /**
   * Timed requests of the normal client under the slow connections; as many again unloaded, half
   * before the slow connections open and half after they are gone, so that a change in the
   * machine's background load during the run weighs on both sides.
   */
  readonly latencyRequests: number
  /** How long each latency run lasts: the requests are spread over it. */
  readonly latencyWindowMs: number
  /** How late after its timeout a 408 or a close may come. */
  readonly slackMs: number
  /** Overrides for a deliberately broken target (e.g. `{ headers: 0 }`: no headers timeout). */
  readonly brokenTimeouts?: Partial<ServerTimeouts>
}

export const SLOWLORIS_FULL: SlowlorisOptions = {
  slowConnections: 500,
  headersTimeoutMs: 8_000,
  slowBodyConnections: 50,
  requestTimeoutMs: 6_000,
  idleConnections: 100,
  keepAliveTimeoutMs: 6_000,
  latencyRequests: 2_000,
  latencyWindowMs: 4_000,
  slackMs: 1_500,
}

export const SLOWLORIS_SMALL: SlowlorisOptions = {
  slowConnections: 100,
  headersTimeoutMs: 2_500,
  slowBodyConnections: 10,
  requestTimeoutMs: 2_000,
  idleConnections: 20,
  keepAliveTimeoutMs: 1_500,
  latencyRequests: 300,
  latencyWindowMs: 900,
  slackMs: 1_500,
}

/**
 * The loaded p99 may be at most twice the unloaded one. On a shared 2-core machine a sub-
 * millisecond p99 moves by a scheduler tick, so the limit never goes below this floor (ms).
 */
export const LATENCY_FLOOR_MS = 2

interface Dripper {
  readonly conversation: Conversation
  /** performance.now() of the moment the clock of its timeout started (first byte, or end of head). */
  startedAt: number
  stop(): void
}

/**
 * Writes `bytes` one per second, the first at once; stops at the end, on close or on stop().
 * The second byte comes after `phaseMs` (<= 1 s), so that many drippers spread their writes
 * over the second like independent clients instead of all writing in the same instant.
 */
function drip(socket: Socket, bytes: Buffer, onFirst: () => void, phaseMs = 1_000): () => void {
  let i = 0
  let timer: NodeJS.Timeout | null = null
  let stopped = false
  const stop = () => {
    stopped = true
    if (timer !== null) clearTimeout(timer)
  }
  const send = () => {
    if (stopped || socket.destroyed || socket.writableEnded || i >= bytes.length) {
      stop()
      return
    }
    socket.write(bytes.subarray(i, i + 1))
    if (i === 0) onFirst()
    i++
  }
  send()
  timer = setTimeout(() => {
    send()
    if (!stopped) timer = setInterval(send, 1_000)
  }, phaseMs)
  socket.once('close', stop)
  return stop
}

async function openMany(port: number, n: number): Promise<Socket[]> {
  const sockets: Socket[] = []
  // In batches: a burst of hundreds of SYNs at once only measures the accept queue.
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, n - i) }, () => open(port)))
    sockets.push(...batch)
  }
  return sockets
}

export async function runSlowloris(o: SlowlorisOptions): Promise<CheckResult> {
  const rec = new Recorder('slowloris', 'Slow clients: slowloris heads, slow bodies, idle keep-alive')
  const timeouts = {
    headers: o.headersTimeoutMs,
    request: o.requestTimeoutMs,
    keepAlive: o.keepAliveTimeoutMs,
    ...o.brokenTimeouts,
  }
  const target = await Target.start({ server: { backlog: 1024, poolSize: 64, timeouts } })
  rec.target(target.command)
  const drippers: Dripper[] = []
  try {
    const before = await target.resetPeak()

    // 1. The normal client alone.
    const pace = { paceMs: o.latencyWindowMs / o.latencyRequests }
    const unloadedBefore = await probeLatency(target.port, o.latencyRequests / 2, { warmup: 500, ...pace })

    // 2. The slow clients: heads that would take minutes at one byte per second.
    const slowHead = Buffer.from(get('/', `X-Slow: ${'s'.repeat(600)}\r\n`))
    const slowSockets = await openMany(target.port, o.slowConnections)
    for (const [i, socket] of slowSockets.entries()) {
      const d: Dripper = { conversation: attach(socket), startedAt: 0, stop: () => {} }
      const phase = 1 + Math.floor((i / slowSockets.length) * 999)
      d.stop = drip(
        socket,
        slowHead,
        () => {
          d.startedAt = performance.now()
        },
        phase,
      )
      drippers.push(d)
    }
    const bodyDrippers: Dripper[] = []
    const head = 'POST /echo HTTP/1.1\r\nHost: reliability\r\nContent-Length: 1000\r\n\r\n'
    for (const socket of await openMany(target.port, o.slowBodyConnections)) {
      const d: Dripper = { conversation: attach(socket), startedAt: 0, stop: () => {} }
      socket.write(head, () => {
        d.startedAt = performance.now()
      })
      d.stop = drip(socket, Buffer.alloc(1000, 0x78), () => {})
      bodyDrippers.push(d)
    }
    // Idle keep-alive connections: one request, then nothing. Every other one sends nothing at
    // all after connecting, and must be closed just the same, its clock starting at the accept.
    const idle: Array<{ conversation: Conversation; answeredAt: number; silent: boolean }> = []
    for (let i = 0; i < o.idleConnections; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, o.idleConnections - i) }, () =>
          open(target.port).then((socket) => ({ socket, at: performance.now() })),
        ),
      )
      for (const { socket, at } of batch) {
        const silent = idle.length % 2 === 1
        const conversation = attach(socket)
        if (!silent) socket.write(get('/'))
        idle.push({ conversation, answeredAt: at, silent })
      }
    }
    await Promise.all(
      idle
        .filter((entry) => !entry.silent)
        .map(async (entry) => {
          try {
            entry.answeredAt = (await entry.conversation.waitFor(1, 5_000)).at
          } catch {
            entry.answeredAt = Number.NaN
          }
        }),
    )
    // Busy keep-alive connections: a request every 20 ms for longer than the keep-alive timeout,
    // one to a handler, one answered by the router itself (404). Neither may be closed.
    const busyStartedAt = performance.now()
    let busyStop = false
    const busyOne = async (path: string, status: number) => {
      const c = await converse(target.port)
      let sent = 0
      let ok = 0
      while (!busyStop && !c.socket.destroyed) {
        c.socket.write(get(path))
        sent++
        const r = await c.waitFor(sent, 5_000).catch(() => null)
        if (r === null) break
        if (r.status === status && r.headers.get('connection') !== 'close') ok++
        await sleep(20)
      }
      const open = !c.socket.destroyed
      c.socket.destroy()
      return { sent, ok, open }
    }
    const busyRuns = Promise.all([busyOne('/', 200), busyOne('/nope', 404)])

    const openedAt = performance.now()
    const held = o.slowConnections + o.slowBodyConnections + o.idleConnections
    rec.connections(held + 3)
    const during = await target.snapshot()

    // 3. The normal client again, on a fresh connection, while the slow ones hold theirs.
    const loaded = await probeLatency(target.port, o.latencyRequests, { warmup: 50, ...pace })
    const loadedDoneAt = performance.now()
    const loadedWithinWindow = loadedDoneAt - openedAt < Math.min(o.headersTimeoutMs, o.keepAliveTimeoutMs)

    // 4. Wait for the timeouts to do their work.
    const all = [...drippers, ...bodyDrippers]
      .map((d) => d.conversation)
      .concat(idle.map((e) => e.conversation))
    const longest = Math.max(o.headersTimeoutMs, o.requestTimeoutMs, o.keepAliveTimeoutMs)
    await Promise.race([Promise.all(all.map((c) => c.closed)), sleep(longest + o.slackMs + 1_000)])
    busyStop = true
    const busy = await busyRuns
    const busyMs = performance.now() - busyStartedAt
    const busySent = busy.reduce((n, b) => n + b.sent, 0)
    const busyOk = busy.reduce((n, b) => n + b.ok, 0)
    const busyOpen = busy.every((b) => b.open)
    // The server closes its side right after the 408; its socket is gone once the peer's FIN arrives.
    const drainStart = performance.now()
    let after = await target.snapshot()
    while (after.stats.connections > 0 && performance.now() - drainStart < 3_000) {
      await sleep(25)
      after = await target.snapshot()
    }
    rec.figure('serverDrainMs', performance.now() - drainStart)

    // 5. The normal client alone again.
    const unloadedAfter = await probeLatency(target.port, o.latencyRequests / 2, { warmup: 50, ...pace })
    const unloaded = {
      samples: [...unloadedBefore.samples, ...unloadedAfter.samples],
      failed: unloadedBefore.failed + unloadedAfter.failed,
      error: unloadedBefore.error ?? unloadedAfter.error,
    }

    // Verdicts.
    const u = rec.latency('unloaded', unloaded.samples)
    const l = rec.latency('loaded', loaded.samples)
    const limit = Math.max(2 * u.p99, LATENCY_FLOOR_MS)
    rec.expect(
      l.p99 <= limit && loaded.failed === 0 && unloaded.failed === 0,
      `the normal client's p99 under ${o.slowConnections} slow connections is within 2x the unloaded p99 (floor ${LATENCY_FLOOR_MS} ms)`,
      `unloaded p99 ${u.p99} ms, loaded p99 ${l.p99} ms, limit ${limit} ms, failed ${unloaded.failed}+${loaded.failed} ${unloaded.error ?? ''} ${loaded.error ?? ''}`,
    )
    rec.expect(
      loadedWithinWindow,
      'the loaded latency was measured while every slow connection was still open',
      `measured in ${Math.round(loadedDoneAt - openedAt)} ms after opening, timeouts ${o.headersTimeoutMs}/${o.keepAliveTimeoutMs} ms`,
    )
    rec.expect(
      during.stats.connections >= held,
      'the server held every slow connection open before its timeout',
      `${during.stats.connections} open of ${held}`,
    )

    const judge = (list: Dripper[], timeoutMs: number, label: string) => {
      let answered = 0
      let closed = 0
      let early = 0
      let late = 0
      const delays: number[] = []
      for (const d of list) {
        const r = d.conversation.reader.responses
        if (r.length === 1 && r[0]!.status === 408 && r[0]!.headers.get('connection') === 'close') {
          answered++
          const delay = r[0]!.at - d.startedAt
          delays.push(delay)
          if (delay < timeoutMs - 50) early++
          if (delay > timeoutMs + o.slackMs) late++
        }
        if (d.conversation.socket.destroyed) closed++
      }
      const sorted = delays.sort((a, b) => a - b)
      rec.figure(`${label}Answered408`, answered)
      rec.figure(`${label}Closed`, closed)
      rec.figure(`${label}408DelayMinMs`, sorted[0] ?? null)
      rec.figure(`${label}408DelayMaxMs`, sorted[sorted.length - 1] ?? null)
      rec.expect(
        answered === list.length && closed === list.length && early === 0 && late === 0,
        `every ${label} connection is answered 408 with Connection: close and closed ${timeoutMs} ms after its clock starts (+${o.slackMs} ms)`,
        `${answered}/${list.length} answered 408, ${closed} closed, ${early} early, ${late} late, delays ${Math.round(sorted[0] ?? Number.NaN)}..${Math.round(sorted[sorted.length - 1] ?? Number.NaN)} ms`,
      )
      rec.lost(list.length - answered)
    }
    judge(drippers, o.headersTimeoutMs, 'slowHead')
    judge(bodyDrippers, o.requestTimeoutMs, 'slowBody')

    let idleClosedOnTime = 0
    const idleDelays: number[] = []
    for (const entry of idle) {
      const closedAt = entry.conversation.socket.destroyed ? await entry.conversation.closed : null
      if (closedAt === null || Number.isNaN(entry.answeredAt)) continue
      const delay = closedAt.at - entry.answeredAt
      idleDelays.push(delay)
      const expected = entry.silent ? 0 : 1
      const extra = entry.conversation.reader.count !== expected || entry.conversation.reader.error !== null
      if (!extra && delay >= o.keepAliveTimeoutMs - 50 && delay <= o.keepAliveTimeoutMs + o.slackMs)
        idleClosedOnTime++
    }
    idleDelays.sort((a, b) => a - b)
    rec.figure('idleClosed', idleDelays.length)
    rec.figure('idleCloseDelayMinMs', idleDelays[0] ?? null)
    rec.figure('idleCloseDelayMaxMs', idleDelays[idleDelays.length - 1] ?? null)
    rec.expect(
      idleClosedOnTime === idle.length,
      `every idle keep-alive connection is closed ${o.keepAliveTimeoutMs} ms after its response, or after the accept if it sent nothing (+${o.slackMs} ms), without a further response`,
      `${idleClosedOnTime}/${idle.length} closed on time, delays ${Math.round(idleDelays[0] ?? Number.NaN)}..${Math.round(idleDelays[idleDelays.length - 1] ?? Number.NaN)} ms`,
    )
    rec.expect(
      busyOpen && busyOk === busySent && busyMs > o.keepAliveTimeoutMs,
      'busy keep-alive connections (a request every 20 ms, to a handler or answered 404 by the router) outlive the keep-alive timeout',
      `${busyOk}/${busySent} answered over ${Math.round(busyMs)} ms (timeout ${o.keepAliveTimeoutMs} ms), still open: ${busyOpen}`,
    )
    rec.expect(
      target.alive && after.stats.connections === 0 && after.uncaughtExceptions === 0,
      'the server is alive and holds no connection afterwards',
      `alive ${target.alive}, ${after.stats.connections} connections open, ${after.uncaughtExceptions} uncaught exceptions`,
    )
    rec.rss({ before: before.rss, peak: after.peakRss, after: after.rss })
    rec.figure('slowConnections', o.slowConnections)
    rec.figure('slowBodyConnections', o.slowBodyConnections)
    rec.figure('idleConnections', o.idleConnections)
    rec.figure('headersTimeoutMs', timeouts.headers)
    rec.figure('requestTimeoutMs', timeouts.request)
    rec.figure('keepAliveTimeoutMs', timeouts.keepAlive)
    rec.figure('latencyLimitMs', limit)
    rec.figure('latencyRatio', u.p99 > 0 ? l.p99 / u.p99 : null)
  } catch (error) {
    rec.expect(false, 'the check ran to completion', String(error))
  } finally {
    for (const d of drippers) d.stop()
    await target.stop()
  }
  return rec.result()
}
