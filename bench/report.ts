/**
 * Writes the benchmark report: reports/bench/latest.json (the source of truth), latest.md and
 * ratios.svg.
 *
 * JSON schema of latest.json (`schema: "sockhttp-bench/1"`); all rates are per second, all
 * latencies in microseconds, all sizes in bytes; a section is null when it was not run:
 *
 *   {
 *     schema: "sockhttp-bench/1",
 *     generatedAt: ISO-8601 string,
 *     machine: { cpuModel, cores, memoryBytes, kernel, platform, arch, node, v8, llhttp, loadAverage },
 *     commands: string[],                      // the command that produced this report, then the per-run commands
 *     server: null | {
 *       runtime: string,                       // "servers compiled with tsc, run on bare node" (or through tsx)
 *       generator: { name: "wrk" | "autocannon", version: string | null, note: string | null },
 *       baseline: "node",                      // ratios are against this server, round by round
 *       connections, threads, durationSec, warmupSec, rounds: number,
 *       servers: [{ name, command: string[] }],   // "sockhttp", "node", "node-b" (A/A control), "ceiling"
 *       pipelines: [{
 *         pipeline: number,                    // requests in flight per connection (1 or 10)
 *         commands: string[],                  // generator command, <url> in place of the address
 *         servers: [{
 *           server: string,
 *           rps:   { median, min, max, relIqr, n },
 *           ratio: { median, min, max, relIqr, n },   // per-round rps / baseline rps
 *           p50Us, p99Us: number,              // medians over rounds
 *           cpuUsPerRequest: number | null,    // server utime+stime per response, from /proc/PID/stat
 *           errors: number,                    // socket errors + timeouts + non-2xx over all rounds
 *           samples: [{ round, position, rps, p50Us, p99Us, cpuUsPerRequest, errors, non2xx }]
 *         }]
 *       }]
 *     },
 *     parser: null | {
 *       pinned: string | null,                 // e.g. "taskset -c 1"
 *       command: string,                       // one worker's command line
 *       fixtures: [{ id: "get" | "post-cl" | "post-chunked", label, bytes }],
 *       parsers: [{ id: "sockhttp" | "llhttp" | "http-parser-js", label, configuration }],
 *       equivalence: [{ parser, fixture, feeding, detail }],   // empty when every parser extracted the same
 *       strictness: { probes: [{ id, rule }], verdicts: { <parser>: { <probe id>: "rejects" | "accepts" } } },
 *       cells: [{ parser, fixture, feeding: "stream" | "per-request",
 *                 mbPerSec: Spread, reqPerSec: Spread, ratioToLlhttp: number }]  // Spread over processes
 *     },
 *     memory: null | {
 *       runtime: string,
 *       results: [{ server, requested, connections, bounded: string | null, before, after,
 *                   rssBytesPerConnection, heapBytesPerConnection, seconds }],  // before/after: { rss, heapUsed, external, connections }
 *       ratio: number | null                   // sockhttp rssBytesPerConnection / node's
 *     },
 *     targets: [{ id, description, goal: string, measured: number | null, met: boolean | null }]
 *   }
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { MachineInfo } from './lib/machine.ts'
import { type Spread, spread } from './lib/stats.ts'
import type { MemoryResult } from './memory.ts'
import type { ParserBenchResult } from './parser/run.ts'
import type { PipelineResult, ServerSummary } from './server-bench.ts'
import { ratioChart } from './svg.ts'

export const BENCH_SCHEMA = 'sockhttp-bench/1'

export interface ServerSection {
  /** How the server processes ran: compiled with tsc on bare node, or through tsx. */
  readonly runtime: string
  readonly generator: {
    readonly name: 'wrk' | 'autocannon'
    readonly version: string | null
    readonly note: string | null
  }
  readonly baseline: string
  readonly connections: number
  readonly threads: number
  readonly durationSec: number
  readonly warmupSec: number
  readonly rounds: number
  readonly servers: readonly { name: string; command: readonly string[] }[]
  readonly pipelines: readonly PipelineResult[]
}

export interface MemorySection {
  readonly runtime: string
  readonly results: readonly MemoryResult[]
  readonly ratio: number | null
}

export interface Target {
  readonly id: string
  readonly description: string
  readonly goal: string
  readonly measured: number | null
  readonly met: boolean | null
}

export interface BenchReport {
  readonly schema: typeof BENCH_SCHEMA
  readonly generatedAt: string
  readonly machine: MachineInfo
  readonly commands: readonly string[]
  readonly server: ServerSection | null
  readonly parser: ParserBenchResult | null
  readonly memory: MemorySection | null
  readonly targets: readonly Target[]
}

function find(p: PipelineResult | undefined, server: string): ServerSummary | undefined {
  return p?.servers.find((s) => s.server === server)
}

/**
 * a's req/s over b's, taken within each round and then the median, like the ratios to node:
 * both ran minutes apart at most, so a slow spell of the shared machine cancels out. Exported
 * for tests.
 */
export function pairedRatio(a: ServerSummary, b: ServerSummary): Spread | null {
  const ratios = a.samples.flatMap((x) => {
    const y = b.samples.find((s) => s.round === x.round)
    return y && y.rps > 0 ? [x.rps / y.rps] : []
  })
  return ratios.length > 0 ? spread(ratios) : null
}

/** The issue's targets, judged from the measured figures (null when not measured). */
export function judgeTargets(
  server: ServerSection | null,
  parser: ParserBenchResult | null,
  memory: MemorySection | null,
): Target[] {
  const p1 = server?.pipelines.find((p) => p.pipeline === 1)
  const p10 = server?.pipelines.find((p) => p.pipeline === 10)
  const t = (
    id: string,
    description: string,
    goal: string,
    measured: number | null | undefined,
    ok: (v: number) => boolean,
  ): Target => ({
    id,
    description,
    goal,
    measured: measured ?? null,
    met: measured === null || measured === undefined || Number.isNaN(measured) ? null : ok(measured),
  })
  const sock1 = find(p1, 'sockhttp')
  const ceil1 = find(p1, 'ceiling')
  const node1 = find(p1, 'node')
  const parserRatio = (fixture: string): number | null =>
    parser?.cells.find((c) => c.parser === 'sockhttp' && c.fixture === fixture && c.feeding === 'stream')
      ?.ratioToLlhttp ?? null
  return [
    t('server-p1', 'sockhttp / node:http, pipelining 1', '>= 1.6', sock1?.ratio.median, (v) => v >= 1.6),
    t(
      'server-p1-ceiling',
      'sockhttp / raw node:net ceiling, pipelining 1',
      '>= 0.85',
      sock1 && ceil1 ? pairedRatio(sock1, ceil1)?.median : null,
      (v) => v >= 0.85,
    ),
    t(
      'server-p10',
      'sockhttp / node:http, pipelining 10',
      '>= 8',
      find(p10, 'sockhttp')?.ratio.median,
      (v) => v >= 8,
    ),
    t(
      'server-p99',
      'sockhttp p99 latency / node:http p99, pipelining 1',
      '<= 1.0',
      sock1 && node1 && node1.p99Us > 0 ? sock1.p99Us / node1.p99Us : null,
      (v) => v <= 1,
    ),
    t(
      'parser-get',
      'parser MB/s / llhttp, GET fixture (64 KiB slices)',
      '>= 1.0',
      parserRatio('get'),
      (v) => v >= 1,
    ),
    t(
      'parser-post-cl',
      'parser MB/s / llhttp, POST Content-Length',
      '>= 1.5',
      parserRatio('post-cl'),
      (v) => v >= 1.5,
    ),
    t(
      'parser-post-chunked',
      'parser MB/s / llhttp, POST chunked',
      '>= 1.5',
      parserRatio('post-chunked'),
      (v) => v >= 1.5,
    ),
    t(
      'memory',
      'RSS per idle keep-alive connection, sockhttp / node:http',
      '<= 0.5',
      memory?.ratio,
      (v) => v <= 0.5,
    ),
  ]
}

const fmt = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits)
const int = (v: number): string => Math.round(v).toLocaleString('en-US')

export function renderMarkdown(r: BenchReport): string {
  const lines: string[] = []
  const m = r.machine
  lines.push('# sockhttp benchmarks', '')
  lines.push(
    `Generated ${r.generatedAt} on ${m.cpuModel} (${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB), Linux ${m.kernel}, Node ${m.node} (llhttp ${m.llhttp}). Load average at start: ${m.loadAverage.toFixed(2)}.`,
    '',
  )
  lines.push('Command:', '', '```', ...r.commands.slice(0, 1), '```', '')
  lines.push('![ratios](ratios.svg)', '')
  lines.push('## Targets', '', '| target | goal | measured | met |', '|---|---|---|---|')
  for (const t of r.targets)
    lines.push(
      `| ${t.description} | ${t.goal} | ${fmt(t.measured)} | ${t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'} |`,
    )
  lines.push('')
  if (r.server) {
    const s = r.server
    lines.push('## Server throughput', '')
    lines.push(
      `Generator: ${s.generator.name}${s.generator.version ? ` ${s.generator.version}` : ''}${s.generator.note ? ` (${s.generator.note})` : ''}. ` +
        `${s.runtime}. ${s.connections} connections, ${s.threads} thread(s), ${s.durationSec} s per run, ${s.warmupSec} s warm-up, ${s.rounds} rounds; ` +
        `every server in its own process for the whole run, order rotated each round. Ratio = per-round req/s over ${s.baseline}'s req/s in the same round (median, [min–max]); ` +
        '`node-b` is a second node:http: its ratio is the noise floor (A/A control).',
      '',
    )
    for (const p of s.pipelines) {
      lines.push(`### Pipelining ${p.pipeline}`, '')
      lines.push(
        '| server | req/s (median) | ratio vs node | spread [min–max] | IQR/median | p50 µs | p99 µs | CPU µs/req | CPU/req vs node | errors |',
      )
      lines.push('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|')
      const base = p.servers.find((x) => x.server === s.baseline)?.cpuUsPerRequest ?? null
      // CPU per response is far less sensitive to a noisy neighbour than req/s: a useful cross-check.
      const cpuVsBase = (x: ServerSummary): string =>
        base !== null && x.cpuUsPerRequest !== null && x.cpuUsPerRequest > 0
          ? `${fmt(x.cpuUsPerRequest / base)}×`
          : 'n/a'
      for (const x of p.servers) {
        lines.push(
          `| ${x.server} | ${int(x.rps.median)} | ${fmt(x.ratio.median)}× | ${fmt(x.ratio.min)}–${fmt(x.ratio.max)} | ${fmt(x.ratio.relIqr * 100, 1)}% | ${int(x.p50Us)} | ${int(x.p99Us)} | ${fmt(x.cpuUsPerRequest, 1)} | ${cpuVsBase(x)} | ${x.errors} |`,
        )
      }
      const sock = find(p, 'sockhttp')
      const ceiling = find(p, 'ceiling')
      const toCeiling = sock && ceiling ? pairedRatio(sock, ceiling) : null
      if (sock && ceiling && toCeiling) {
        lines.push(
          '',
          `sockhttp / ceiling, per round: ${fmt(toCeiling.median)} (median), ${fmt(toCeiling.min)}–${fmt(toCeiling.max)}; ` +
            `ratio of the two req/s medians: ${fmt(sock.rps.median / ceiling.rps.median)}.`,
        )
      }
      lines.push('', `\`${p.commands.join('`, `')}\``, '')
    }
  }
  if (r.parser) {
    const p = r.parser
    lines.push('## Parser throughput', '')
    lines.push(
      `One process per measurement (${p.pinned ?? 'not pinned: taskset missing'}), median over processes; ratio = median MB/s over llhttp's. ` +
        '"stream": 1000 requests back to back cut into 64 KiB slices; "per-request": one request per call.',
      '',
    )
    lines.push('| fixture | bytes |', '|---|---:|')
    for (const f of p.fixtures) lines.push(`| ${f.label} (\`${f.id}\`) | ${f.bytes} |`)
    lines.push(
      '',
      '| fixture | feeding | parser | MB/s | req/s | ratio vs llhttp | spread MB/s |',
      '|---|---|---|---:|---:|---:|---|',
    )
    for (const c of p.cells) {
      lines.push(
        `| ${c.fixture} | ${c.feeding} | ${c.parser} | ${fmt(c.mbPerSec.median, 0)} | ${int(c.reqPerSec.median)} | ${fmt(c.ratioToLlhttp)}× | ${fmt(c.mbPerSec.min, 0)}–${fmt(c.mbPerSec.max, 0)} (n=${c.mbPerSec.n}) |`,
      )
    }
    lines.push(
      '',
      `Equivalence (method, target, version, header pairs, body bytes; one request per call, 7-byte and 64 KiB slices): ${p.equivalence.length === 0 ? 'all parsers extracted identical information' : `**${p.equivalence.length} mismatches**`}`,
      '',
    )
    for (const e of p.equivalence) lines.push(`- ${e.parser} ${e.fixture} (${e.feeding}): ${e.detail}`)
    lines.push('### Strictness (what each parser rejects)', '')
    lines.push(
      `| probe | ${p.parsers.map((x) => x.id).join(' | ')} |`,
      `|---|${p.parsers.map(() => '---').join('|')}|`,
    )
    for (const probe of p.strictness.probes)
      lines.push(
        `| ${probe.rule.replace(/\|/g, '\\|')} | ${p.parsers.map((x) => p.strictness.verdicts[x.id][probe.id] ?? '').join(' | ')} |`,
      )
    lines.push('')
    for (const x of p.parsers) lines.push(`- **${x.id}**: ${x.label}; ${x.configuration}`)
    lines.push('', `Worker command: \`${p.command}\``, '')
  }
  if (r.memory) {
    lines.push('## Memory per idle keep-alive connection', '')
    lines.push(
      '| server | connections | RSS before | RSS after | RSS/conn | heap+external/conn |',
      '|---|---:|---:|---:|---:|---:|',
    )
    for (const x of r.memory.results) {
      lines.push(
        `| ${x.server} | ${x.connections} | ${int(x.before.rss)} | ${int(x.after.rss)} | ${int(x.rssBytesPerConnection)} | ${int(x.heapBytesPerConnection)} |`,
      )
    }
    lines.push('', `Ratio sockhttp / node:http (RSS per connection): ${fmt(r.memory.ratio)}`, '')
    for (const x of r.memory.results) if (x.bounded) lines.push(`- ${x.server}: ${x.bounded}`)
  }
  lines.push('## Commands', '', ...r.commands.map((c) => `- \`${c}\``), '')
  return `${lines.join('\n')}\n`
}

export function writeBenchReport(dir: string, r: BenchReport): string[] {
  mkdirSync(dir, { recursive: true })
  const files = [path.join(dir, 'latest.json'), path.join(dir, 'latest.md'), path.join(dir, 'ratios.svg')]
  writeFileSync(files[0]!, `${JSON.stringify(r, null, 2)}\n`)
  writeFileSync(files[1]!, renderMarkdown(r))
  writeFileSync(files[2]!, ratioChart(chartBars(r)))
  return files
}

export interface Bar {
  readonly group: string
  readonly label: string
  readonly value: number
  readonly min?: number
  readonly max?: number
  /** The goal, drawn as a tick. */
  readonly goal?: number
}

export function chartBars(r: BenchReport): Bar[] {
  const bars: Bar[] = []
  const goals: Record<string, Record<number, number>> = { sockhttp: { 1: 1.6, 10: 8 } }
  for (const p of r.server?.pipelines ?? []) {
    for (const s of p.servers) {
      if (s.server === r.server?.baseline || Number.isNaN(s.ratio.median)) continue
      const goal = goals[s.server]?.[p.pipeline]
      bars.push({
        group: `server vs node:http, pipelining ${p.pipeline}`,
        label: s.server === 'node-b' ? 'node:http (A/A)' : s.server,
        value: s.ratio.median,
        min: s.ratio.min,
        max: s.ratio.max,
        ...(goal !== undefined ? { goal } : {}),
      })
    }
  }
  const parserGoal: Record<string, number> = { get: 1, 'post-cl': 1.5, 'post-chunked': 1.5 }
  for (const c of r.parser?.cells ?? []) {
    if (c.parser === 'llhttp' || c.feeding !== 'stream') continue
    const goal = c.parser === 'sockhttp' ? parserGoal[c.fixture] : undefined
    bars.push({
      group: 'parser vs llhttp (MB/s, 64 KiB slices)',
      label: `${c.parser} ${c.fixture}`,
      value: c.ratioToLlhttp,
      ...(goal !== undefined ? { goal } : {}),
    })
  }
  if (r.memory?.ratio !== null && r.memory?.ratio !== undefined) {
    bars.push({
      group: 'memory vs node:http (lower is better)',
      label: 'sockhttp RSS/conn',
      value: r.memory.ratio,
      goal: 0.5,
    })
  }
  return bars
}
