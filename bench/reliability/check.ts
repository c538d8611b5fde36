/**
 * What every reliability check returns, and the small recorder that builds it. A check never
 * throws for a server misbehaving: it records a failed assertion, so that the runner can report
 * all of them and the tests against broken targets can see which one tripped.
 */

export interface Assertion {
  /** What must hold, e.g. "every slow connection is answered 408". */
  readonly what: string
  readonly ok: boolean
  /** The measured values behind the verdict. */
  readonly detail: string
}

export interface Latency {
  readonly samples: number
  readonly p50: number
  readonly p99: number
  readonly max: number
}

export interface Rss {
  readonly before: number
  readonly peak: number
  readonly after: number
}

export interface CheckResult {
  readonly name: string
  readonly title: string
  readonly ok: boolean
  readonly assertions: readonly Assertion[]
  /** Wall time of the whole check, ms. */
  readonly durationMs: number
  /** The most connections the check held open at once against the server. */
  readonly connections: number
  /** Responses owed by the server and never received (must be 0). */
  readonly lost: number
  /** Named latency distributions in ms, e.g. { unloaded, loaded }. */
  readonly latency: Readonly<Record<string, Latency>>
  /** Server RSS in bytes, when the check measures it. */
  readonly rss: Rss | null
  /** Check-specific figures (counts, times in ms, sizes in bytes). */
  readonly figures: Readonly<Record<string, number | string | boolean | null>>
  /** The server's configuration, as given to bench/reliability/target.ts. */
  readonly target: string
}

export class Recorder {
  readonly name: string
  readonly title: string
  readonly #started = performance.now()
  readonly #assertions: Assertion[] = []
  readonly #latency: Record<string, Latency> = {}
  readonly #figures: Record<string, number | string | boolean | null> = {}
  #connections = 0
  #lost = 0
  #rss: Rss | null = null
  #target = ''

  constructor(name: string, title: string) {
    this.name = name
    this.title = title
  }

  expect(ok: boolean, what: string, detail: string): boolean {
    this.#assertions.push({ what, ok, detail })
    return ok
  }

  figure(key: string, value: number | string | boolean | null): void {
    this.#figures[key] = typeof value === 'number' && !Number.isInteger(value) ? round(value) : value
  }

  latency(key: string, samples: readonly number[]): Latency {
    const l = summarize(samples)
    this.#latency[key] = l
    return l
  }

  connections(n: number): void {
    this.#connections = Math.max(this.#connections, n)
  }

  lost(n: number): void {
    this.#lost += n
  }

  rss(rss: Rss): void {
    this.#rss = rss
  }

  target(description: string): void {
    this.#target = description
  }

  result(): CheckResult {
    return {
      name: this.name,
      title: this.title,
      ok: this.#assertions.length > 0 && this.#assertions.every((a) => a.ok),
      assertions: this.#assertions,
      durationMs: Math.round(performance.now() - this.#started),
      connections: this.#connections,
      lost: this.#lost,
      latency: this.#latency,
      rss: this.#rss,
      figures: this.#figures,
      target: this.#target,
    }
  }
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

/** Nearest-rank percentile of samples (ms). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export function summarize(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    samples: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  }
}

export const MIB = 1024 * 1024

export function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`
}

/** Failed assertions, one per line, for test messages. */
export function explain(result: CheckResult): string {
  return result.assertions
    .filter((a) => !a.ok)
    .map((a) => `${result.name}: ${a.what} — ${a.detail}`)
    .join('\n')
}

/** Polls `probe` every `everyMs` until it returns true or `timeoutMs` passes. */
export async function until(
  probe: () => Promise<boolean> | boolean,
  timeoutMs: number,
  everyMs = 25,
): Promise<boolean> {
  const end = performance.now() + timeoutMs
  for (;;) {
    if (await probe()) return true
    if (performance.now() >= end) return false
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}
