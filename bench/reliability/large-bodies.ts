/**
 * Large bodies. A big upload streams through a `body: 'stream'` handler with bounded server
 * memory and arrives intact (SHA-256 compared); a body declared over `maxBodySize` is answered
 * 413 at once, before any of it is sent; a chunked body that grows past the limit is cut off
 * with 413 close to the limit rather than after being buffered whole.
 *
 * RFC 9110 §15.5.14: 413 Content Too Large, after which the server may close the connection.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Socket } from 'node:net'
import { type CheckResult, MIB, mib, Recorder } from './check.ts'
import { Target } from './target-process.ts'
import type { Broken } from './target-protocol.ts'
import { converse, within } from './wire.ts'

export interface LargeBodiesOptions {
  readonly uploadBytes: number
  readonly maxBodySize: number
  /** Server RSS may grow by less than this during the upload. */
  readonly rssBoundBytes: number
  /** A 413 for a declared oversize body must arrive within this. */
  readonly quickMs: number
  /** Deliberately broken target: no body limit, or a handler that keeps the body in memory. */
  readonly brokenMaxBodySize?: number
  readonly broken?: readonly Broken[]
}

export const LARGE_FULL: LargeBodiesOptions = {
  uploadBytes: 100 * MIB,
  maxBodySize: 128 * MIB,
  rssBoundBytes: 64 * MIB,
  quickMs: 1_000,
}

/**
 * Socket reads are garbage until V8 collects them, and it does so by external-memory pressure
 * (~35 MiB of growth here whatever the upload size), so a smaller upload could not tell
 * streaming from buffering.
 */
export const LARGE_SMALL: LargeBodiesOptions = {
  uploadBytes: 64 * MIB,
  maxBodySize: 72 * MIB,
  rssBoundBytes: 48 * MIB,
  quickMs: 1_000,
}

function write(socket: Socket, data: Buffer | string): Promise<void> {
  if (socket.destroyed || socket.write(data)) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done)
      socket.off('close', done)
      resolve()
    }
    socket.on('drain', done)
    socket.on('close', done)
  })
}

/** Pseudo-random data, one MiB at a time, each MiB stamped with its index so no two are alike. */
function* blocks(total: number): Generator<Buffer> {
  const seed = randomBytes(MIB)
  for (let sent = 0, i = 0; sent < total; sent += MIB, i++) {
    const block = Buffer.from(seed.subarray(0, Math.min(MIB, total - sent)))
    block.writeUInt32BE(i, 0)
    yield block
  }
}

export async function runLargeBodies(o: LargeBodiesOptions): Promise<CheckResult> {
  const rec = new Recorder(
    'large-bodies',
    'Large bodies: streamed upload, 413 over maxBodySize, bounded memory',
  )
  const maxBodySize = o.brokenMaxBodySize ?? o.maxBodySize
  const target = await Target.start({
    server: { limits: { maxBodySize }, timeouts: { request: 120_000 } },
    ...(o.broken !== undefined ? { broken: o.broken } : {}),
  })
  rec.target(target.command)
  let peak = 0
  try {
    await target.gc()
    const before = await target.resetPeak()

    // 1. The big upload, Content-Length framed, to the streaming handler.
    const up = await converse(target.port)
    rec.connections(1)
    const hash = createHash('sha256')
    const started = performance.now()
    await write(up.socket, `POST /upload HTTP/1.1\r\nHost: r\r\nContent-Length: ${o.uploadBytes}\r\n\r\n`)
    for (const block of blocks(o.uploadBytes)) {
      hash.update(block)
      await write(up.socket, block)
    }
    const answer = await up.waitFor(1, 120_000).catch(() => null)
    const uploadMs = performance.now() - started
    const afterUpload = await target.snapshot()
    peak = afterUpload.peakRss
    up.socket.destroy()
    let echoed: { bytes?: number; sha256?: string } = {}
    try {
      echoed = answer === null ? {} : (JSON.parse(answer.body.toString()) as typeof echoed)
    } catch {}
    const digest = hash.digest('hex')
    rec.expect(
      answer?.status === 200 && echoed.bytes === o.uploadBytes && echoed.sha256 === digest,
      `a ${mib(o.uploadBytes)} upload streams through the handler intact`,
      `status ${answer?.status ?? 'none'}, ${echoed.bytes ?? '?'} bytes received, sha256 ${echoed.sha256 === digest ? 'matches' : 'differs'}, ${Math.round(uploadMs)} ms`,
    )
    const growth = afterUpload.peakRss - before.rss
    rec.expect(
      growth < o.rssBoundBytes,
      `server RSS grows by less than ${mib(o.rssBoundBytes)} during the upload`,
      `before ${mib(before.rss)}, peak ${mib(afterUpload.peakRss)}, growth ${mib(growth)}`,
    )
    rec.figure('uploadBytes', o.uploadBytes)
    rec.figure('uploadMs', uploadMs)
    rec.figure('uploadMiBps', o.uploadBytes / MIB / (uploadMs / 1000))
    rec.figure('uploadRssGrowthBytes', growth)

    // 2. Declared over the limit: 413 before a byte of body is sent.
    await target.resetPeak()
    const over = await converse(target.port)
    const declared = o.maxBodySize + MIB
    const t0 = performance.now()
    over.socket.write(`POST /upload HTTP/1.1\r\nHost: r\r\nContent-Length: ${declared}\r\n\r\n`)
    const r413 = await within(over.waitFor(1, o.quickMs), o.quickMs)
    const ms413 = performance.now() - t0
    const closed = r413 !== null ? await within(over.closed, 3_000) : null
    over.socket.destroy()
    rec.expect(
      r413?.value.status === 413 && r413.value.headers.get('connection') === 'close' && closed !== null,
      `a body declared over maxBodySize (${mib(declared)}) is answered 413 with Connection: close within ${o.quickMs} ms, before it is sent`,
      r413 === null
        ? `no response within ${o.quickMs} ms`
        : `status ${r413.value.status} after ${Math.round(ms413)} ms, connection ${closed === null ? 'left open' : 'closed'}`,
    )
    rec.figure('declaredOversize413Ms', r413 === null ? null : ms413)

    // 3. Chunked past the limit: cut off near the limit, never buffered whole.
    const chunked = await converse(target.port)
    let sent = 0
    const t1 = performance.now()
    await write(chunked.socket, 'POST /upload HTTP/1.1\r\nHost: r\r\nTransfer-Encoding: chunked\r\n\r\n')
    const cap = o.maxBodySize * 2
    for (const block of blocks(cap)) {
      if (chunked.reader.count > 0 || chunked.socket.destroyed) break
      await write(chunked.socket, `${block.length.toString(16)}\r\n`)
      await write(chunked.socket, block)
      await write(chunked.socket, '\r\n')
      sent += block.length
    }
    const rChunked = await within(chunked.waitFor(1, 3_000), 3_000)
    const chunkedMs = performance.now() - t1
    chunked.socket.destroy()
    const afterChunked = await target.snapshot()
    peak = Math.max(peak, afterChunked.peakRss)
    const chunkedGrowth = afterChunked.peakRss - before.rss
    rec.expect(
      rChunked?.value.status === 413 && sent <= o.maxBodySize + 8 * MIB,
      'a chunked body growing past maxBodySize is answered 413 close to the limit',
      `status ${rChunked?.value.status ?? 'none'} after ${mib(sent)} sent (limit ${mib(o.maxBodySize)}), ${Math.round(chunkedMs)} ms`,
    )
    rec.expect(
      chunkedGrowth < o.rssBoundBytes,
      `server RSS grows by less than ${mib(o.rssBoundBytes)} while refusing it`,
      `peak ${mib(afterChunked.peakRss)}, growth ${mib(chunkedGrowth)}`,
    )
    rec.figure('chunkedOversizeSentBytes', sent)
    rec.figure('chunkedOversize413Ms', chunkedMs)

    const after = await target.gc()
    rec.expect(
      target.alive && after.uncaughtExceptions === 0 && after.stats.pool.inFlight === 0,
      'the server stays up and every handler has finished',
      `alive ${target.alive}, uncaught ${after.uncaughtExceptions}, handlers in flight ${after.stats.pool.inFlight}`,
    )
    rec.lost(answer === null ? 1 : 0)
    rec.rss({ before: before.rss, peak, after: after.rss })
    rec.figure('maxBodySize', Number.isFinite(maxBodySize) ? maxBodySize : null)
  } catch (error) {
    rec.expect(false, 'the check ran to completion', String(error))
  } finally {
    await target.stop()
  }
  return rec.result()
}
