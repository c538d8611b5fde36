/** One load-generator run against one server. */
export interface LoadRun {
  readonly generator: 'wrk' | 'autocannon'
  readonly requests: number
  readonly durationSec: number
  readonly rps: number
  readonly latencyUs: {
    readonly p50: number
    readonly p90: number
    readonly p99: number
    readonly max: number
    readonly mean: number
  }
  /** Socket errors and timeouts; non-2xx/3xx responses counted separately. */
  readonly errors: number
  readonly timeouts: number
  readonly non2xx: number
  /** The exact command line (wrk) or options (autocannon), for the report. */
  readonly command: string
}

export interface LoadSpec {
  readonly url: string
  readonly connections: number
  readonly durationSec: number
  readonly pipeline: number
  /** wrk threads (ignored by autocannon). */
  readonly threads: number
}
