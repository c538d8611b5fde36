/**
 * The IPC protocol between the bench/load harness and its own child servers (bench/servers/*).
 * Stats travel over IPC, not over an HTTP route, so that asking for them neither occupies a
 * pool slot nor counts as a request or a connection.
 */

import { writeHeapSnapshot } from 'node:v8'

export type IpcRequest =
  /** Server counters (shape: TargetStats). */
  | { readonly type: 'stats' }
  /** Busy-waits `ms` on the event loop after acknowledging, so no connection is accepted meanwhile. */
  | { readonly type: 'block'; readonly ms: number }
  /** Runs a full GC (the child runs with --expose-gc) and reports memory (shape: MemorySample). */
  | { readonly type: 'memory' }
  /** Runs a full GC if exposed, writes a V8 heap snapshot to `path` and replies once it is complete. */
  | { readonly type: 'heap-snapshot'; readonly path: string }

export interface IpcReply {
  readonly id: number
  readonly ok: boolean
  readonly data?: unknown
  readonly error?: string
}

export interface TargetStats {
  /** Open connections now. */
  readonly connections: number
  /** TCP connections accepted since start. */
  readonly connectionsAccepted: number
  /** Requests that reached the server (parsed heads). */
  readonly requests: number
  /** The server's handler-pool counters (null when the target has no pool). */
  readonly pool: {
    readonly inFlight: number
    readonly maxInFlight: number
    readonly queued: number
    readonly rejected: number
    readonly completed: number
  } | null
  /** Counted by the bench's own route handlers, independently of the server's counters. */
  readonly handler: {
    /** Handler invocations. */
    readonly runs: number
    /** Highest number of handler invocations running at the same time. */
    readonly maxConcurrent: number
  }
}

export interface MemorySample {
  readonly rss: number
  readonly heapUsed: number
  readonly external: number
  readonly connections: number
}

/** Child side: answers the harness's requests with `handle`. */
export function serveIpc(handle: (req: IpcRequest) => unknown | Promise<unknown>): void {
  if (!process.send) return
  process.on('message', (msg: IpcRequest & { id: number }) => {
    void (async () => {
      try {
        if (msg.type === 'block') {
          // Acknowledge first: the harness must know the loop is about to stop before it connects.
          await new Promise<void>((resolve) =>
            process.send?.({ id: msg.id, ok: true, data: null }, undefined, {}, () => resolve()),
          )
          busyWait(msg.ms)
          return
        }
        if (msg.type === 'heap-snapshot') {
          globalThis.gc?.()
          process.send?.({ id: msg.id, ok: true, data: writeHeapSnapshot(msg.path) })
          return
        }
        const data = await handle(msg)
        process.send?.({ id: msg.id, ok: true, data })
      } catch (err) {
        process.send?.({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) })
      }
    })()
  })
  // The IPC channel must not keep a finished child alive, and a child whose harness died (the
  // channel closes with it) must not linger holding a port.
  process.channel?.unref()
  process.once('disconnect', () => process.exit(0))
}

/** Blocks the event loop: no accept(), no reads, no timers. */
export function busyWait(ms: number): void {
  const until = Date.now() + ms
  while (Date.now() < until) {
    // spin
  }
}

/** Counts handler invocations and their concurrency, independently of the server under test. */
export class HandlerMeter {
  #running = 0
  runs = 0
  maxConcurrent = 0

  enter(): void {
    this.runs++
    this.#running++
    if (this.#running > this.maxConcurrent) this.maxConcurrent = this.#running
  }

  exit(): void {
    this.#running--
  }
}
