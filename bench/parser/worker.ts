/**
 * One timed parser run, in its own process (so each parser's JIT state is its own), printing one
 * JSON line (WorkerResult). Started by bench/parser/run.ts, pinned to one CPU with taskset.
 * Usage: node --import tsx bench/parser/worker.ts --parser llhttp --fixture get --feeding stream [--ms 1000] [--warmup-ms 300]
 */
import { parseArgs } from 'node:util'
import { ADAPTERS, type ParserId } from './adapters.ts'
import { FIXTURES, type FixtureId } from './fixtures.ts'

export type Feeding = 'stream' | 'per-request'

export interface WorkerResult {
  readonly parser: ParserId
  readonly fixture: FixtureId
  readonly feeding: Feeding
  readonly bytes: number
  readonly requests: number
  readonly seconds: number
  readonly mbPerSec: number
  readonly reqPerSec: number
}

/** 64 KiB: the read size node:net hands a server. */
export const SLICE = 64 * 1024
/** Requests per pass: about 1 MiB of pipelined requests for the big fixtures. */
const PASS_REQUESTS = 1000

function main(): void {
  const { values } = parseArgs({
    options: {
      parser: { type: 'string' },
      fixture: { type: 'string' },
      feeding: { type: 'string', default: 'stream' },
      ms: { type: 'string', default: '1000' },
      'warmup-ms': { type: 'string', default: '300' },
    },
  })
  const adapter = ADAPTERS[values.parser as ParserId]
  const fixture = FIXTURES[values.fixture as FixtureId]
  const feeding = values.feeding as Feeding
  if (!adapter || !fixture || (feeding !== 'stream' && feeding !== 'per-request')) {
    process.stderr.write(
      'usage: worker.ts --parser sockhttp|llhttp|http-parser-js --fixture get|post-cl|post-chunked --feeding stream|per-request\n',
    )
    process.exit(2)
  }

  // stream: the requests back to back (a pipelining client), cut into 64 KiB reads that split
  // requests anywhere; per-request: one request per call, the common keep-alive case.
  const stream = Buffer.concat(Array.from({ length: PASS_REQUESTS }, () => fixture.bytes))
  const slices: Buffer[] = []
  if (feeding === 'stream') {
    for (let i = 0; i < stream.length; i += SLICE) slices.push(stream.subarray(i, i + SLICE))
  } else {
    for (let i = 0; i < PASS_REQUESTS; i++)
      slices.push(stream.subarray(i * fixture.bytes.length, (i + 1) * fixture.bytes.length))
  }

  const session = adapter.session()
  const pass = (): void => {
    for (const s of slices) session.feed(s)
  }
  const runFor = (ms: number): { passes: number; seconds: number } => {
    const start = process.hrtime.bigint()
    const limit = start + BigInt(ms) * 1_000_000n
    let passes = 0
    let now = start
    do {
      pass()
      passes++
      now = process.hrtime.bigint()
    } while (now < limit)
    return { passes, seconds: Number(now - start) / 1e9 }
  }

  runFor(Number(values['warmup-ms']))
  const before = session.requests
  const { passes, seconds } = runFor(Number(values.ms))
  const requests = session.requests - before
  if (requests !== passes * PASS_REQUESTS) {
    process.stderr.write(`parser completed ${requests} requests, expected ${passes * PASS_REQUESTS}\n`)
    process.exit(1)
  }
  const bytes = passes * stream.length
  const result: WorkerResult = {
    parser: adapter.id,
    fixture: fixture.id,
    feeding,
    bytes,
    requests,
    seconds,
    mbPerSec: bytes / seconds / 1e6,
    reqPerSec: requests / seconds,
  }
  // The checksum keeps the extracted values alive; printing it costs nothing.
  process.stdout.write(`${JSON.stringify({ ...result, checksum: session.checksum })}\n`)
}

main()
