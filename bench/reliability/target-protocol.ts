/** The IPC messages between a reliability check and its child server (./target.ts). */
import type { ServerLimits, ServerStats, ServerTimeouts } from '../../src/index.ts'

export type Broken = 'leak' | 'buffer-upload' | 'abrupt-close' | 'retain'

export interface TargetConfig {
  readonly server?: {
    readonly backlog?: number
    readonly poolSize?: number
    readonly queueLimit?: number
    /** null: no cap (JSON has no Infinity). */
    readonly maxConnections?: number | null
    readonly limits?: Partial<ServerLimits>
    readonly timeouts?: Partial<ServerTimeouts>
  }
  /** Count live timers and sockets with async_hooks (slows promises; only the leak checks need it). */
  readonly trackResources?: boolean
  readonly broken?: readonly Broken[]
  /** Extra node flags for the child (read by target-process.ts, not by the child). */
  readonly nodeFlags?: readonly string[]
}

export type TargetRequest =
  | { readonly id: number; readonly type: 'snapshot' | 'reset-peak' | 'gc' | 'open-gate' }
  | { readonly id: number; readonly type: 'close'; readonly deadline?: number }

export interface TargetReply {
  /** The request's id; 0 and -1 for unsolicited events. */
  readonly id: number
  readonly event?: 'listening' | 'closed'
  readonly data: unknown
}

export interface TargetSnapshot {
  readonly pid: number
  readonly rss: number
  /** Highest RSS seen by a 20 ms sampler since start or the last reset-peak. */
  readonly peakRss: number
  readonly heapUsed: number
  /** V8's heap reservation (heapTotal): it grows in steps when V8 enlarges a space. */
  readonly heapTotal: number
  readonly external: number
  readonly stats: ServerStats
  readonly live: { readonly timers: number; readonly sockets: number }
  readonly unhandledRejections: number
  readonly uncaughtExceptions: number
  readonly handlerRuns: number
}

export interface CloseReply {
  readonly receivedBeforeClose: readonly string[]
  readonly snapshot: TargetSnapshot
}

export interface ClosedEvent {
  readonly ms: number
  readonly snapshot: TargetSnapshot
}
