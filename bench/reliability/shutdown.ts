/**
 * Graceful shutdown. `close()` is called while many connections keep requests in flight and
 * others sit idle. Every request whose head the server had received before close() (recorded
 * by the handler in the child, at the moment close() is called) must get a full, correct
 * response; idle keep-alive connections are closed at once; new connections are refused; and
 * the child process exits by itself, with nothing left holding its event loop, as soon as the
 * in-flight work ends. A second target holds a handler that never answers: the process must
 * exit at the configured shutdown deadline instead.
 *
 * RFC 9112 §9.6: the last response on a closing connection carries `Connection: close`.
 */
import { type CheckResult, Recorder } from './check.ts'
import { Target } from './target-process.ts'
import type { Broken } from './target-protocol.ts'
import { type Conversation, converse, get, type RawResponse, sleep, within } from './wire.ts'

export interface ShutdownOptions {
  readonly activeConnections: number
  readonly idleConnections: number
  /** How long each in-flight request takes in its handler. */
  readonly handlerMs: number
  /** Load before close() is called. */
  readonly loadMs: number
  /** The deadline given to close() in the second part. */
  readonly deadlineMs: number
  readonly refusedProbes: number
  readonly slackMs: number
  readonly broken?: readonly Broken[]
}

export const SHUTDOWN_FULL: ShutdownOptions = {
  activeConnections: 200,
  idleConnections: 50,
  handlerMs: 300,
  // Not a multiple of handlerMs, so that close() falls in the middle of the handlers' wait.
  loadMs: 2_150,
  deadlineMs: 2_000,
  refusedProbes: 50,
  slackMs: 1_500,
}

export const SHUTDOWN_SMALL: ShutdownOptions = {
  activeConnections: 50,
  idleConnections: 10,
  handlerMs: 200,
  loadMs: 700,
  deadlineMs: 1_000,
  refusedProbes: 10,
  slackMs: 1_500,
}

interface Client {
  readonly conversation: Conversation
  readonly responses: Map<string, RawResponse>
  done: Promise<void>
}

/**
 * One client: `depth` requests at a time (pipelined when above 1), each with its own id, until
 * the server says `Connection: close` or the connection ends.
 */
function loop(
  c: Conversation,
  index: number,
  depth: number,
  handlerMs: number,
  responses: Map<string, RawResponse>,
) {
  return (async () => {
    for (let k = 0; !c.socket.destroyed && !c.socket.writableEnded; ) {
      const ids = Array.from({ length: depth }, (_, i) => `${index}-${k + i + 1}`)
      c.socket.write(ids.map((id) => get(`/slow?ms=${handlerMs}&id=${id}`)).join(''))
      for (const id of ids) {
        const r = await c.waitFor(++k, 30_000).catch(() => null)
        if (r === null) return
        responses.set(id, r)
        if (r.headers.get('connection') === 'close') return
      }
    }
  })()
}

export async function runShutdown(o: ShutdownOptions): Promise<CheckResult> {
  const rec = new Recorder(
    'shutdown',
    'Graceful shutdown under load: finish what arrived, refuse the rest, exit',
  )
  const target = await Target.start({
    server: { backlog: 1024, poolSize: 10_000, timeouts: { keepAlive: 60_000, shutdown: 10_000 } },
    ...(o.broken !== undefined ? { broken: o.broken } : {}),
  })
  rec.target(target.command)
  const clients: Client[] = []
  const idle: Conversation[] = []
  try {
    const before = await target.resetPeak()
    for (let i = 0; i < o.idleConnections; i++) {
      const c = await converse(target.port)
      c.socket.write(get('/'))
      await c.waitFor(1, 5_000)
      idle.push(c)
    }
    for (let i = 0; i < o.activeConnections; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, o.activeConnections - i) }, () => converse(target.port)),
      )
      for (const conversation of batch) {
        const responses = new Map<string, RawResponse>()
        clients.push({
          conversation,
          responses,
          // One client in four pipelines three requests at a time.
          done: loop(conversation, clients.length, clients.length % 4 === 0 ? 3 : 1, o.handlerMs, responses),
        })
      }
    }
    rec.connections(o.activeConnections + o.idleConnections)
    await sleep(o.loadMs)

    // close(), with the load running.
    const closeAt = performance.now()
    const reply = await target.close()
    const owed = new Set(reply.receivedBeforeClose)
    const inFlightAtClose = reply.snapshot.stats.pool.inFlight

    // New connections must be refused from now on.
    let refused = 0
    let served = 0
    for (let i = 0; i < o.refusedProbes; i++) {
      // ECONNREFUSED once the listener is closed; a connection accepted in the meantime must
      // be closed without a response.
      const c = await converse(target.port).catch(() => null)
      if (c === null) {
        refused++
        continue
      }
      c.socket.write(get('/'))
      const r = await c.waitFor(1, 2_000).catch(() => null)
      if (r === null) refused++
      else served++
      c.socket.destroy()
    }

    const idleClosed = await Promise.all(idle.map((c) => within(c.closed, 3_000)))
    await Promise.all(clients.map((c) => within(c.done, 15_000)))
    const exit = await within(target.exited, 15_000)
    const closed = await within(target.closed, 100)

    let answered = 0
    let wrong = 0
    for (const id of owed) {
      const [index] = id.split('-')
      const r = clients[Number(index)]?.responses.get(id)
      if (r === undefined) continue
      if (r.status === 200 && r.body.toString() === id) answered++
      else wrong++
    }
    const idleOnTime = idleClosed.filter((c) => c !== null && c.value.at - closeAt <= o.slackMs).length
    const idleDelays = idleClosed.map((c) => (c === null ? Number.POSITIVE_INFINITY : c.value.at - closeAt))
    const idleUnanswered = idle.every((c) => c.reader.count === 1)
    const exitMs = exit === null ? null : exit.value.at - closeAt

    rec.expect(
      answered === owed.size && wrong === 0,
      'every request whose head was received before close() gets a full, correct response',
      `${answered}/${owed.size} answered (${inFlightAtClose} in handlers at close()), ${wrong} wrong`,
    )
    rec.expect(
      idleOnTime === idle.length && idleUnanswered,
      `idle keep-alive connections are closed at once (within ${o.slackMs} ms of close())`,
      `${idleOnTime}/${idle.length} closed in time, slowest ${Math.round(Math.max(...idleDelays, 0))} ms`,
    )
    rec.expect(
      served === 0 && refused === o.refusedProbes,
      'new connections after close() are refused',
      `${refused}/${o.refusedProbes} refused, ${served} served`,
    )
    rec.expect(
      exit !== null && exit.value.code === 0 && exitMs !== null && exitMs <= o.handlerMs + o.slackMs,
      `the process exits by itself once in-flight work ends (handlers take ${o.handlerMs} ms; +${o.slackMs} ms)`,
      exit === null
        ? 'still running 15 s after close()'
        : `exit code ${exit.value.code} after ${Math.round(exitMs!)} ms; close() resolved after ${Math.round(closed?.value.ms ?? Number.NaN)} ms`,
    )
    rec.lost(owed.size - answered)
    rec.rss({
      before: before.rss,
      peak: reply.snapshot.peakRss,
      after: closed?.value.snapshot.rss ?? reply.snapshot.rss,
    })
    rec.figure('activeConnections', o.activeConnections)
    rec.figure('idleConnections', o.idleConnections)
    rec.figure('requestsBeforeClose', reply.snapshot.stats.requests)
    rec.figure('owedAtClose', owed.size)
    rec.figure('inHandlersAtClose', inFlightAtClose)
    rec.figure('answeredOwed', answered)
    rec.figure('refusedAfterClose', refused)
    rec.figure('idleClosedMaxMs', Math.max(...idleDelays, 0))
    rec.figure('closeResolvedMs', closed?.value.ms ?? null)
    rec.figure('exitAfterCloseMs', exitMs)

    // Part two: a handler that never answers; the process must exit at the deadline.
    const hung = await Target.start({ server: { timeouts: { shutdown: 60_000 } } })
    try {
      const c = await converse(hung.port)
      c.socket.write(get('/never'))
      await sleep(100)
      const at = performance.now()
      await hung.close(o.deadlineMs)
      const hungExit = await within(hung.exited, o.deadlineMs + 10_000)
      const ms = hungExit === null ? null : hungExit.value.at - at
      await within(c.closed, 1_000)
      rec.expect(
        ms !== null &&
          ms >= o.deadlineMs - 50 &&
          ms <= o.deadlineMs + o.slackMs &&
          hungExit!.value.code === 0,
        `with a handler that never answers, the process exits at the close() deadline (${o.deadlineMs} ms, +${o.slackMs} ms)`,
        ms === null
          ? 'did not exit'
          : `exited (code ${hungExit!.value.code}) ${Math.round(ms)} ms after close()`,
      )
      rec.figure('deadlineMs', o.deadlineMs)
      rec.figure('exitAtDeadlineMs', ms)
    } finally {
      await hung.stop()
    }
  } catch (error) {
    rec.expect(false, 'the check ran to completion', String(error))
  } finally {
    for (const c of clients) c.conversation.socket.destroy()
    for (const c of idle) c.socket.destroy()
    await target.stop()
  }
  return rec.result()
}
