/**
 * Server throughput: every server runs in its own child process for the whole benchmark, and
 * rounds interleave them (order rotated each round, after a warm-up run of each), so a noisy
 * neighbour or thermal drift hits every server rather than one. Each round gives a ratio against
 * node:http measured minutes apart at most; the headline is the median of those ratios. A second
 * node:http (the A/A control) shows how large a ratio noise alone produces.
 */
import { runAutocannon } from './gen/autocannon.ts'
import type { LoadRun, LoadSpec } from './gen/types.ts'
import { runWrk } from './gen/wrk.ts'
import type { ServerProcess } from './lib/child.ts'
import { cpuSeconds } from './lib/procfs.ts'
import { median, rotate, type Spread, spread } from './lib/stats.ts'

export interface ServerBenchOptions {
  readonly servers: readonly ServerProcess[]
  /** Name of the server the ratios are taken against (node:http). */
  readonly baseline: string
  readonly pipelines: readonly number[]
  readonly rounds: number
  readonly warmupSec: number
  readonly durationSec: number
  readonly connections: number
  readonly threads: number
  readonly generator: 'wrk' | 'autocannon'
  readonly log?: (line: string) => void
}

export interface ServerSample {
  readonly round: number
  readonly position: number
  readonly rps: number
  readonly p50Us: number
  readonly p99Us: number
  /** Server CPU (user + system) per response, microseconds; null without /proc. */
  readonly cpuUsPerRequest: number | null
  readonly errors: number
  readonly non2xx: number
}

export interface ServerSummary {
  readonly server: string
  readonly rps: Spread
  /** Per-round rps / baseline rps in the same round. */
  readonly ratio: Spread
  readonly p50Us: number
  readonly p99Us: number
  readonly cpuUsPerRequest: number | null
  readonly errors: number
  readonly samples: readonly ServerSample[]
}

export interface PipelineResult {
  readonly pipeline: number
  readonly commands: readonly string[]
  readonly servers: readonly ServerSummary[]
}

export async function runServerBench(opts: ServerBenchOptions): Promise<PipelineResult[]> {
  const log = opts.log ?? (() => {})
  const out: PipelineResult[] = []
  for (const pipeline of opts.pipelines) {
    const spec = (s: ServerProcess, durationSec: number): LoadSpec => ({
      url: s.url,
      connections: opts.connections,
      durationSec,
      pipeline,
      threads: opts.threads,
    })
    const run = (s: ServerProcess, durationSec: number): Promise<LoadRun> =>
      opts.generator === 'wrk' ? runWrk(spec(s, durationSec)) : runAutocannon(spec(s, durationSec))

    for (const s of opts.warmupSec > 0 ? opts.servers : []) {
      const w = await run(s, opts.warmupSec)
      log(`  warm-up p${pipeline} ${s.name}: ${Math.round(w.rps)} req/s`)
    }
    const samples = new Map<string, ServerSample[]>(opts.servers.map((s) => [s.name, []]))
    const commands = new Set<string>()
    for (let round = 0; round < opts.rounds; round++) {
      const order = rotate(opts.servers, round)
      for (const [position, s] of order.entries()) {
        const before = cpuSeconds(s.pid)
        const r = await run(s, opts.durationSec)
        const after = cpuSeconds(s.pid)
        commands.add(r.command.replace(s.url, '<url>'))
        samples.get(s.name)!.push({
          round,
          position,
          rps: r.rps,
          p50Us: r.latencyUs.p50,
          p99Us: r.latencyUs.p99,
          cpuUsPerRequest:
            before !== null && after !== null && r.requests > 0
              ? ((after - before) * 1e6) / r.requests
              : null,
          errors: r.errors + r.timeouts,
          non2xx: r.non2xx,
        })
      }
      log(
        `  round ${round + 1}/${opts.rounds} p${pipeline}: ${order.map((s) => `${s.name} ${Math.round(samples.get(s.name)!.at(-1)!.rps)}`).join(', ')}`,
      )
    }
    out.push({ pipeline, commands: [...commands], servers: summarise(opts.servers, opts.baseline, samples) })
  }
  return out
}

/**
 * wrk 4.1 sometimes prints a percentile of 0 for a run that had thousands of responses: its
 * percentile loop walks the histogram between the recorded min and max and gives 0 when it
 * falls off the end. A latency of 0 µs is never real here, so such rounds are left out; 0 when
 * no round has a figure.
 */
function latencyMedian(values: readonly number[]): number {
  const real = values.filter((v) => v > 0)
  return real.length > 0 ? median(real) : 0
}

/** Exported for tests: the ratio of each round is taken within that round. */
export function summarise(
  servers: readonly { name: string }[],
  baseline: string,
  samples: ReadonlyMap<string, readonly ServerSample[]>,
): ServerSummary[] {
  const base = samples.get(baseline) ?? []
  return servers.map(({ name }) => {
    const mine = samples.get(name) ?? []
    const ratios = mine.flatMap((s) => {
      const b = base.find((x) => x.round === s.round)
      return b && b.rps > 0 ? [s.rps / b.rps] : []
    })
    const cpu = mine.flatMap((s) => (s.cpuUsPerRequest === null ? [] : [s.cpuUsPerRequest]))
    return {
      server: name,
      rps: spread(mine.map((s) => s.rps)),
      ratio: spread(ratios),
      p50Us: latencyMedian(mine.map((s) => s.p50Us)),
      p99Us: latencyMedian(mine.map((s) => s.p99Us)),
      cpuUsPerRequest: cpu.length ? median(cpu) : null,
      errors: mine.reduce((a, s) => a + s.errors + s.non2xx, 0),
      samples: mine,
    }
  })
}
