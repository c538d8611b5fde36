/** A normal, well-behaved client: sequential keep-alive requests on one fresh connection, timed. */
import { converse, get, sleep } from './wire.ts'

export interface ProbeResult {
  /** Per-request latency in ms, in order. */
  readonly samples: number[]
  /** Requests that got no correct response (status or body wrong, or the connection died). */
  readonly failed: number
  /** Why the run stopped early, if it did. */
  readonly error: string | null
}

/**
 * Sends `count` GET requests one after the other on a new connection and times each from the
 * write to the last byte of its response. `warmup` more requests go first and are not timed.
 */
export async function probeLatency(
  port: number,
  count: number,
  options: {
    warmup?: number
    path?: string
    expectBody?: string
    timeoutMs?: number
    /** Wait between requests, so that the samples spread over a window of time. */
    paceMs?: number
  } = {},
): Promise<ProbeResult> {
  const path = options.path ?? '/'
  const expectBody = options.expectBody ?? 'ok'
  const timeoutMs = options.timeoutMs ?? 10_000
  const warmup = options.warmup ?? 0
  const request = Buffer.from(get(path))
  const c = await converse(port, { keep: false })
  const samples: number[] = []
  let failed = 0
  let lastError: string | null = null
  try {
    for (let i = 0; i < warmup + count; i++) {
      const start = performance.now()
      c.socket.write(request)
      let response: Awaited<ReturnType<typeof c.waitFor>>
      try {
        response = await c.waitFor(i + 1, timeoutMs)
      } catch (error) {
        lastError = `request ${i + 1}: ${String(error)}${c.reader.error === null ? '' : ` (${c.reader.error})`}`
        failed += warmup + count - i
        break
      }
      if (response.status !== 200 || response.body.toString() !== expectBody) failed++
      if (i >= warmup) {
        samples.push(response.at - start)
        if (options.paceMs !== undefined && options.paceMs > 0) await sleep(options.paceMs)
      }
    }
  } finally {
    c.socket.destroy()
  }
  return { samples, failed, error: lastError }
}
