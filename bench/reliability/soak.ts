/**
 * Soak: valid keep-alive traffic from autocannon for the whole duration, with a raw-socket mix
 * beside it: tracked valid requests (pipelined, each with its own id), malformed requests,
 * aborted ones, and slow ones (within and beyond the headers timeout). Requirements: no crash,
 * no lost or wrong response among the valid requests, every malformed request refused with an
 * error status, and the server's RSS at the end within 20% of its RSS after warm-up.
 *
 * RSS is compared after a full GC at both points (the child runs with --expose-gc), so that the
 * comparison is of memory the server keeps, not of when V8 happened to collect; the RSS without
 * GC is reported too. The child also starts with its young generation at V8's usual maximum
 * (16 MiB semi-spaces): left to itself, V8 doubles it once, at some point in the first minute
 * of load, a one-time step of about 16 MiB that says nothing about the server. The RSS and
 * heap trails in the report show what happens between the two points.
 */
import { createRequire } from 'node:module'
import { type CheckResult, mib, Recorder } from './check.ts'
import { Target } from './target-process.ts'
import type { Broken } from './target-protocol.ts'
import { converse, get, open, sleep } from './wire.ts'

interface AutocannonResult {
  readonly requests: { readonly sent: number; readonly total: number }
  readonly latency: { readonly p50: number; readonly p99: number; readonly max: number }
  readonly errors: number
  readonly timeouts: number
  readonly mismatches: number
  readonly non2xx: number
  readonly resets: number
  readonly '2xx': number
}
type Autocannon = (options: {
  url: string
  connections: number
  duration: number
  expectBody: string
  timeout: number
}) => Promise<AutocannonResult>
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

export interface SoakOptions {
  readonly durationMs: number
  readonly warmupMs: number
  readonly autocannonConnections: number
  /** Raw-socket workers running the mix alongside. */
  readonly mixWorkers: number
  readonly headersTimeoutMs: number
  /** RSS at the end may differ from RSS after warm-up by at most this fraction. */
  readonly rssTolerance: number
  readonly seed: number
  readonly broken?: readonly Broken[]
}

export const SOAK_FULL: SoakOptions = {
  durationMs: 60_000,
  warmupMs: 10_000,
  autocannonConnections: 20,
  mixWorkers: 8,
  headersTimeoutMs: 2_000,
  rssTolerance: 0.2,
  seed: 7,
}

export const SOAK_SMALL: SoakOptions = {
  durationMs: 5_000,
  warmupMs: 1_500,
  autocannonConnections: 8,
  mixWorkers: 4,
  headersTimeoutMs: 1_000,
  rssTolerance: 0.2,
  seed: 7,
}

/** Requests the parser must refuse, each with an error status and Connection: close. */
const MALFORMED: readonly string[] = [
  'GET / HTTP/1.1\r\nHost: r\r\nNo colon here\r\n\r\n',
  'GET / HTTP/1.1\nHost: r\n\n',
  'POST / HTTP/1.1\r\nHost: r\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'GET / HTTP/9.9\r\nHost: r\r\n\r\n',
  'GET / HTTP/1.1\r\n\r\n',
  `GET / HTTP/1.1\r\nHost: r\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
  'GET /a b HTTP/1.1\r\nHost: r\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: r\r\nContent-Length: abc\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: r\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
]

/** Mulberry32: a seeded PRNG so that a run's mix can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Tally {
  validSent: number
  validAnswered: number
  validLost: number
  validWrong: number
  malformed: number
  malformedRefused: number
  malformedOther: string[]
  aborted: number
  slowOk: number
  slowOkFailed: number
  slow408: number
  slow408Failed: number
}

export async function runSoak(o: SoakOptions): Promise<CheckResult> {
  const rec = new Recorder('soak', 'Soak: autocannon plus malformed, aborted and slow raw requests')
  const target = await Target.start({
    server: {
      backlog: 1024,
      poolSize: 64,
      timeouts: { headers: o.headersTimeoutMs, keepAlive: 5_000, closeGrace: 1_000 },
    },
    ...(o.broken !== undefined ? { broken: o.broken } : {}),
    nodeFlags: ['--min-semi-space-size=16', '--max-semi-space-size=16'],
  })
  rec.target(target.command)
  const tally: Tally = {
    validSent: 0,
    validAnswered: 0,
    validLost: 0,
    validWrong: 0,
    malformed: 0,
    malformedRefused: 0,
    malformedOther: [],
    aborted: 0,
    slowOk: 0,
    slowOkFailed: 0,
    slow408: 0,
    slow408Failed: 0,
  }
  try {
    const start = await target.gc()
    const startedAt = performance.now()
    const endAt = startedAt + o.durationMs
    const cannon = autocannon({
      url: `http://127.0.0.1:${target.port}/`,
      connections: o.autocannonConnections,
      duration: o.durationMs / 1000,
      expectBody: 'ok',
      timeout: 10,
    })
    const random = prng(o.seed)
    let nextId = 0
    const worker = async () => {
      while (performance.now() < endAt) {
        const pick = random()
        try {
          if (pick < 0.45) await valid(target.port, 1 + Math.floor(random() * 5))
          else if (pick < 0.7)
            await malformed(target.port, MALFORMED[Math.floor(random() * MALFORMED.length)]!)
          else if (pick < 0.9) await aborted(target.port, random())
          else await slow(target.port, random() < 0.5)
        } catch (error) {
          tally.malformedOther.push(`worker: ${String(error)}`)
        }
      }
    }
    const valid = async (port: number, n: number) => {
      const c = await converse(port)
      const ids = Array.from({ length: n }, () => String(nextId++))
      c.socket.write(ids.map((id) => get(`/p/${id}`)).join(''))
      tally.validSent += n
      await c.waitFor(n, 10_000).catch(() => null)
      c.socket.destroy()
      ids.forEach((id, i) => {
        const r = c.reader.responses[i]
        if (r === undefined) tally.validLost++
        else if (r.status !== 200 || r.body.toString() !== id) tally.validWrong++
        else tally.validAnswered++
      })
      if (c.reader.responses.length > n) tally.validWrong += c.reader.responses.length - n
    }
    const malformed = async (port: number, bytes: string) => {
      const c = await converse(port)
      tally.malformed++
      c.socket.write(Buffer.from(bytes, 'latin1'))
      const r = await c.waitFor(1, 5_000).catch(() => null)
      await Promise.race([c.closed, sleep(3_000)])
      if (r !== null && r.status >= 400 && r.headers.get('connection') === 'close' && c.socket.destroyed) {
        tally.malformedRefused++
      } else if (tally.malformedOther.length < 10) {
        tally.malformedOther.push(`${JSON.stringify(bytes.slice(0, 40))} → ${r?.status ?? 'no response'}`)
      }
      c.socket.destroy()
    }
    const aborted = async (port: number, where: number) => {
      const socket = await open(port)
      socket.on('error', () => {})
      tally.aborted++
      const request = `POST /echo HTTP/1.1\r\nHost: r\r\nContent-Length: 4096\r\n\r\n${'a'.repeat(4096)}`
      socket.write(request.slice(0, Math.max(1, Math.floor(where * request.length))))
      await sleep(5)
      socket.resetAndDestroy()
    }
    /**
     * A head sent in four pieces over a quarter of the headers timeout must be served; a head
     * that stops halfway must get 408 once the timeout passes.
     */
    const slow = async (port: number, beyond: boolean) => {
      const c = await converse(port)
      const request = get('/p/slow')
      const pieces = 4
      const send = beyond ? 2 : pieces
      for (let i = 0; i < send && !c.socket.destroyed; i++) {
        c.socket.write(request.slice((i * request.length) / pieces, ((i + 1) * request.length) / pieces))
        if (i < send - 1) await sleep(o.headersTimeoutMs / 4 / (pieces - 1))
      }
      const r = await c.waitFor(1, o.headersTimeoutMs + 3_000).catch(() => null)
      if (beyond) {
        if (r?.status === 408) tally.slow408++
        else tally.slow408Failed++
      } else if (r?.status === 200 && r.body.toString() === 'slow') tally.slowOk++
      else tally.slowOkFailed++
      c.socket.destroy()
    }

    const workers = Array.from({ length: o.mixWorkers }, () => worker())
    await sleep(o.warmupMs)
    const warm = await target.gc()
    // RSS and live JS heap every tenth of the run after warm-up, to tell a leak from noise.
    const trail: Array<{ rss: number; heapUsed: number; heapTotal: number }> = []
    const sampling = (async () => {
      const every = (o.durationMs - o.warmupMs) / 10
      while (performance.now() + every < endAt) {
        await sleep(every)
        const s = await target.snapshot()
        trail.push({ rss: s.rss, heapUsed: s.heapUsed, heapTotal: s.heapTotal })
      }
    })()
    const [result] = await Promise.all([cannon, ...workers, sampling])
    await sleep(200)
    const endRaw = await target.snapshot()
    const end = await target.gc()
    rec.connections(o.autocannonConnections + o.mixWorkers)

    const cannonLost = result.errors + result.timeouts + result.mismatches + result.non2xx
    const inFlightAtStop = result.requests.sent - result.requests.total
    rec.expect(
      target.alive && end.uncaughtExceptions === 0 && end.unhandledRejections === 0,
      'no crash, no uncaught exception, no unhandled rejection',
      `alive ${target.alive}, uncaught ${end.uncaughtExceptions}, unhandled ${end.unhandledRejections}`,
    )
    rec.expect(
      cannonLost === 0 && inFlightAtStop <= o.autocannonConnections,
      'every autocannon request gets one correct response (200, body "ok")',
      `${result.requests.total} responses of ${result.requests.sent} sent (${inFlightAtStop} in flight when it stopped), errors ${result.errors}, timeouts ${result.timeouts}, mismatches ${result.mismatches}, non-2xx ${result.non2xx}`,
    )
    rec.expect(
      tally.validLost === 0 && tally.validWrong === 0 && tally.validAnswered === tally.validSent,
      'every tracked valid raw request gets exactly one correct response, in order',
      `${tally.validAnswered}/${tally.validSent} correct, ${tally.validLost} lost, ${tally.validWrong} wrong`,
    )
    rec.expect(
      tally.malformedRefused === tally.malformed,
      'every malformed request is refused with an error status and Connection: close',
      `${tally.malformedRefused}/${tally.malformed}${tally.malformedOther.length > 0 ? `; ${tally.malformedOther.slice(0, 3).join('; ')}` : ''}`,
    )
    rec.expect(
      tally.slowOkFailed === 0 && tally.slow408Failed === 0,
      'slow requests within the headers timeout are served; beyond it they get 408',
      `${tally.slowOk} served, ${tally.slowOkFailed} not; ${tally.slow408} got 408, ${tally.slow408Failed} not`,
    )
    const drift = (end.rss - warm.rss) / warm.rss
    rec.expect(
      Math.abs(drift) <= o.rssTolerance,
      `RSS at the end is within ${o.rssTolerance * 100}% of RSS after warm-up (both after a full GC)`,
      `after warm-up ${mib(warm.rss)}, at the end ${mib(end.rss)} (${(drift * 100).toFixed(1)}%), peak ${mib(end.peakRss)}`,
    )
    rec.lost(cannonLost + tally.validLost + tally.validWrong)
    rec.rss({ before: warm.rss, peak: end.peakRss, after: end.rss })
    rec.figure('durationMs', o.durationMs)
    rec.figure('autocannonConnections', o.autocannonConnections)
    rec.figure('autocannonSent', result.requests.sent)
    rec.figure('autocannonResponses', result.requests.total)
    rec.figure('autocannonP50Ms', result.latency.p50)
    rec.figure('autocannonP99Ms', result.latency.p99)
    rec.figure('autocannonLost', cannonLost)
    rec.figure('rawValidSent', tally.validSent)
    rec.figure('rawValidAnswered', tally.validAnswered)
    rec.figure('malformed', tally.malformed)
    rec.figure('aborted', tally.aborted)
    rec.figure('slowServed', tally.slowOk)
    rec.figure('slow408', tally.slow408)
    rec.figure('rssStartBytes', start.rss)
    rec.figure('rssAfterWarmupBytes', warm.rss)
    rec.figure('rssEndBytes', end.rss)
    rec.figure('rssEndWithoutGcBytes', endRaw.rss)
    rec.figure('rssDrift', drift)
    rec.figure('heapUsedAfterWarmupBytes', warm.heapUsed)
    rec.figure('heapUsedEndBytes', end.heapUsed)
    rec.figure('rssTrailMiB', trail.map((t) => (t.rss / 1024 / 1024).toFixed(1)).join(' '))
    rec.figure('heapTotalTrailMiB', trail.map((t) => (t.heapTotal / 1024 / 1024).toFixed(1)).join(' '))
    rec.figure('serverRequests', end.stats.requests)
    rec.figure('seed', o.seed)
  } catch (error) {
    rec.expect(false, 'the check ran to completion', String(error))
  } finally {
    await target.stop()
  }
  return rec.result()
}
