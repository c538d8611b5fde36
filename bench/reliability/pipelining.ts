/**
 * Pipelining flood and backpressure. One client writes a flood of small pipelined requests and
 * reads nothing for a while. First the handlers are held (a gate), so the only thing between
 * the flood and the server's memory is `maxPipelinedRequests`: the server must parse no more
 * than that many heads. Then the gate opens while the client still reads nothing: responses
 * fill the socket buffers and the server must stop reading (its request count goes flat, short of
 * the flood, the rest waiting in the kernel's buffers). RSS must grow by less than the bound throughout. Finally
 * the client reads: every request is answered, in order, none lost.
 *
 * RFC 9112 §9.3.2: a server answers pipelined requests in the order it received them.
 */
import { type CheckResult, MIB, mib, Recorder, until } from './check.ts'
import { Target } from './target-process.ts'
import type { TargetSnapshot } from './target-protocol.ts'
import { attach, open, sleep } from './wire.ts'

export interface PipeliningOptions {
  readonly requests: number
  /** How long the client reads nothing; the gate opens halfway. */
  readonly holdMs: number
  readonly maxPipelinedRequests: number
  /** Filler bytes per response, so that responses fill the socket buffers within the hold. */
  readonly responsePad: number
  readonly rssBoundBytes: number
  /** Overrides for a deliberately broken target. */
  readonly brokenMaxPipelinedRequests?: number
}

export const PIPELINING_FULL: PipeliningOptions = {
  requests: 100_000,
  holdMs: 5_000,
  maxPipelinedRequests: 16,
  responsePad: 512,
  rssBoundBytes: 64 * MIB,
}

export const PIPELINING_SMALL: PipeliningOptions = {
  requests: 10_000,
  holdMs: 2_000,
  maxPipelinedRequests: 16,
  responsePad: 4_096,
  rssBoundBytes: 64 * MIB,
}

export async function runPipelining(o: PipeliningOptions): Promise<CheckResult> {
  const rec = new Recorder(
    'pipelining',
    'Pipelining flood: the server stops reading, then answers all in order',
  )
  const limit = o.brokenMaxPipelinedRequests ?? o.maxPipelinedRequests
  const target = await Target.start({
    server: {
      poolSize: 64,
      limits: { maxPipelinedRequests: limit },
      timeouts: { headers: 60_000, keepAlive: 60_000 },
    },
  })
  rec.target(target.command)
  try {
    await target.gc()
    const before = await target.resetPeak()
    const socket = await open(target.port)
    rec.connections(1)
    let received = 0
    let outOfOrder = 0
    let wrong = 0
    const conversation = attach(socket, {
      keep: false,
      onResponse: (r) => {
        const i = received++
        const prefix = `${i}:`
        if (r.status !== 200 || r.body.length !== prefix.length + o.responsePad) wrong++
        else if (r.body.subarray(0, prefix.length).toString('latin1') !== prefix) outOfOrder++
      },
    })
    // Read nothing: the kernel buffers fill, then the server's writes back up.
    socket.pause()

    const floodStart = performance.now()
    const parts: string[] = []
    for (let i = 0; i < o.requests; i++) {
      parts.push(`GET /gate/${i}?pad=${o.responsePad} HTTP/1.1\r\nHost: r\r\n\r\n`)
      if (parts.length === 1_000 || i === o.requests - 1) {
        socket.write(parts.join(''))
        parts.length = 0
      }
    }
    const totalBytes = socket.writableLength + socket.bytesWritten

    // Phase 1: handlers held. Only maxPipelinedRequests heads may be parsed.
    const samples: TargetSnapshot[] = []
    const half = floodStart + o.holdMs / 2
    while (performance.now() < half) {
      samples.push(await target.snapshot())
      await sleep(100)
    }
    const gatedMax = Math.max(...samples.map((s) => s.stats.requests))
    await target.openGate()

    // Phase 2: handlers answer, the client still reads nothing.
    const trail: Array<{ at: number; requests: number; peakRss: number }> = []
    while (performance.now() < floodStart + o.holdMs) {
      const s = await target.snapshot()
      trail.push({ at: performance.now(), requests: s.stats.requests, peakRss: s.peakRss })
      await sleep(100)
    }
    const held = await target.snapshot()
    const unsent = socket.writableLength
    // The end of the hold, once the server has had time to fill the buffers it can.
    const flatWindowMs = Math.min(1_000, o.holdMs / 5)
    const tail = trail.filter((t) => t.at >= performance.now() - flatWindowMs)
    const flat = tail.length >= 2 && tail[0]!.requests === held.stats.requests

    // Phase 3: the client reads everything.
    const readStart = performance.now()
    socket.resume()
    const complete = await until(() => received >= o.requests || socket.destroyed, 120_000, 50)
    const readMs = performance.now() - readStart
    const after = await target.snapshot()
    socket.destroy()
    if (conversation.reader.error !== null) wrong++

    rec.expect(
      gatedMax > 0 && gatedMax <= o.maxPipelinedRequests,
      `while its handlers are held, the server parses at most maxPipelinedRequests=${o.maxPipelinedRequests} of the ${o.requests} pipelined requests`,
      `at most ${gatedMax} request heads parsed (limit configured: ${limit})`,
    )
    rec.expect(
      flat && held.stats.requests < o.requests,
      'with the client not reading, the server stops reading: its parsed-request count stays flat, short of the flood',
      `${held.stats.requests}/${o.requests} requests parsed, flat over the last ${flatWindowMs} ms: ${flat} (client bytes not yet in the kernel: ${unsent})`,
    )
    const growth = Math.max(after.peakRss, held.peakRss) - before.rss
    rec.expect(
      growth < o.rssBoundBytes,
      `server RSS grows by less than ${mib(o.rssBoundBytes)}`,
      `before ${mib(before.rss)}, peak ${mib(Math.max(after.peakRss, held.peakRss))}, growth ${mib(growth)}`,
    )
    rec.expect(
      complete && received === o.requests && wrong === 0 && outOfOrder === 0,
      'once the client reads, every request is answered, in order, none lost',
      `${received}/${o.requests} responses, ${wrong} wrong, ${outOfOrder} out of order, in ${Math.round(readMs)} ms`,
    )
    rec.expect(
      target.alive && after.uncaughtExceptions === 0,
      'the server stays up',
      `alive ${target.alive}, uncaught ${after.uncaughtExceptions}`,
    )
    rec.lost(o.requests - received + wrong)
    rec.rss({ before: before.rss, peak: Math.max(after.peakRss, held.peakRss), after: after.rss })
    rec.figure('requests', o.requests)
    rec.figure('requestBytes', totalBytes)
    rec.figure('holdMs', o.holdMs)
    rec.figure('maxPipelinedRequests', limit)
    rec.figure('parsedWhileHeld', gatedMax)
    rec.figure('parsedWhenClientStartedReading', held.stats.requests)
    rec.figure('clientBytesUnsentAtRead', unsent)
    rec.figure('readAllMs', readMs)
    rec.figure('responses', received)
    rec.figure('outOfOrder', outOfOrder)
  } catch (error) {
    rec.expect(false, 'the check ran to completion', String(error))
  } finally {
    await target.stop()
  }
  return rec.result()
}
