/** A normal, well-behaved client: sequential keep-alive requests on one fresh connection, timed. */
import { converse, get } from './wire.ts'

export interface ProbeResult {
  /** Per-request latency in ms, in order. */
  readonly samples: number[]
  /** Requests that got no correct response (status or body wrong, or the connection died). */
  readonly failed: number
}

/**
 * Sends `count` GET requests one after the other on a new connection and times each from the
 * write to the last byte of its response. `warmup` more requests go first and are not timed.
 */
export async function probeLatency(
  port: number,
  count: number,
  options: { warmup?: number; path?: string; expectBody?: string; timeoutMs?: number } = {},
): Promise<ProbeResult> {
  const path = options.path ?? '/'
  const expectBody = options.expectBody ?? 'ok'
  const timeoutMs = options.timeoutMs ?? 10_000
  const warmup = options.warmup ?? 0
  const request = Buffer.from(get(path))
  const c = await converse(port, { keep: false })
  const samples: number[] = []
  let failed = 0
  try {
    for (let i = 0; i < warmup + count; i++) {
      const start = performance.now()
      c.socket.write(request)
      let response: Awaited<ReturnType<typeof c.waitFor>>
      try {
        response = await c.waitFor(i + 1, timeoutMs)
      } catch {
        failed += warmup + count - i
        break
      }
      if (response.status !== 200 || response.body.toString() !== expectBody) failed++
      if (i >= warmup) samples.push(response.at - start)
    }
  } finally {
    c.socket.destroy()
  }
  return { samples, failed }
}
