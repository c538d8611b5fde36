/**
 * Benchmarks (reports/bench/latest.json, schema in bench/report.ts): req/s and latency for sockhttp,
 * node:http and the raw node:net ceiling, parser MB/s against llhttp and http-parser-js, each bar
 * labelled with its ratio; then the targets and the memory figures.
 *
 * JSON turns NaN into null, so every figure read here may be null whatever the writer's type says.
 */
import type { BenchReport } from '../../../bench/report.ts'
import { fixed, type Html, html, int, times } from '../html.ts'
import type { Loaded } from '../load.ts'
import { barChart, type ChartBar, type ChartGroup } from '../svg.ts'
import { badge, commandList, fromReport, generated, headline, type Section } from './common.ts'

export const BENCH_FILE = 'bench/latest.json'
export const BENCH_COMMAND = 'npm run bench'

/** The servers the charts compare, in the order drawn; the A/A control is in the table only. */
export const CHART_SERVERS: readonly { id: string; label: string }[] = [
  { id: 'sockhttp', label: 'sockhttp' },
  { id: 'node', label: 'node:http' },
  { id: 'ceiling', label: 'raw node:net ceiling' },
]
export const SERVER_LABEL: Record<string, string> = {
  sockhttp: 'sockhttp',
  node: 'node:http',
  'node-b': 'node:http (A/A control)',
  ceiling: 'raw node:net ceiling',
}
export const PARSERS: readonly { id: string; label: string; series: string }[] = [
  { id: 'sockhttp', label: 'sockhttp', series: 'sockhttp' },
  { id: 'llhttp', label: 'llhttp', series: 'llhttp' },
  { id: 'http-parser-js', label: 'http-parser-js', series: 'hpjs' },
]

type Pipeline = NonNullable<BenchReport['server']>['pipelines'][number]
type ServerRow = Pipeline['servers'][number]

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || !(b > 0) ? null : a / b

const ms = (us: number | null | undefined): string =>
  us === null || us === undefined || !Number.isFinite(us) ? 'n/a' : `${fixed(us / 1000, 2)} ms`

function throughputGroups(r: BenchReport): ChartGroup[] {
  return (r.server?.pipelines ?? []).map((p) => {
    const base = p.servers.find((s) => s.server === r.server?.baseline)
    const bars: ChartBar[] = []
    for (const c of CHART_SERVERS) {
      const s = p.servers.find((x) => x.server === c.id)
      if (!s) continue
      const isBase = s.server === r.server?.baseline
      // The per-round ratio median is the headline figure for servers measured against the
      // baseline; the ceiling is compared the same way so every label reads alike.
      const rel = isBase ? 1 : (s.ratio.median ?? ratio(s.rps.median, base?.rps.median))
      bars.push({
        label: c.label,
        value: s.rps.median,
        valueText: `${int(s.rps.median)} req/s`,
        note: isBase ? 'baseline' : `${times(rel)} node:http`,
        series: c.id,
      })
    }
    // A second node:http measured the same way: how far from 1.00 noise alone moves a ratio.
    const aa = p.servers.find((x) => x.server === 'node-b')
    const noise = aa ? `; A/A control ${times(aa.ratio.median)}` : ''
    return {
      title: `pipelining ${p.pipeline}: requests per second (median of ${r.server?.rounds} rounds${noise})`,
      bars,
    }
  })
}

function latencyGroups(r: BenchReport): ChartGroup[] {
  return (r.server?.pipelines ?? []).map((p) => {
    const base = p.servers.find((s) => s.server === r.server?.baseline)
    const bars: ChartBar[] = []
    for (const c of CHART_SERVERS) {
      const s = p.servers.find((x) => x.server === c.id)
      if (!s) continue
      const isBase = s.server === r.server?.baseline
      for (const q of ['p50', 'p99'] as const) {
        const v = q === 'p50' ? s.p50Us : s.p99Us
        const b = q === 'p50' ? base?.p50Us : base?.p99Us
        bars.push({
          label: `${c.label} ${q}`,
          value: v,
          valueText: ms(v),
          note: isBase ? 'baseline' : `${times(ratio(v, b))} node:http`,
          series: `${c.id} q-${q}`,
        })
      }
    }
    return { title: `pipelining ${p.pipeline}: latency p50 and p99 (lower is better)`, bars }
  })
}

function parserGroups(r: BenchReport): ChartGroup[] {
  if (!r.parser) return []
  return r.parser.fixtures.map((f) => {
    const bars: ChartBar[] = []
    for (const p of PARSERS) {
      const cell = r.parser?.cells.find(
        (c) => c.parser === p.id && c.fixture === f.id && c.feeding === 'stream',
      )
      if (!cell) continue
      bars.push({
        label: p.label,
        value: cell.mbPerSec.median,
        valueText: `${fixed(cell.mbPerSec.median, 0)} MB/s`,
        note: p.id === 'llhttp' ? 'baseline' : `${times(cell.ratioToLlhttp)} llhttp`,
        series: p.series,
      })
    }
    return { title: `${f.label} (${f.bytes} bytes per request)`, bars }
  })
}

function serverTable(r: BenchReport, p: Pipeline): Html {
  const row = (s: ServerRow): Html =>
    html`<tr><td>${SERVER_LABEL[s.server] ?? s.server}</td><td class="num">${int(s.rps.median)}</td><td class="num">${times(s.ratio.median)}</td><td class="num">${times(s.ratio.min)}–${times(s.ratio.max)}</td><td class="num">${fixed(s.p50Us, 0)}</td><td class="num">${fixed(s.p99Us, 0)}</td><td class="num">${fixed(s.cpuUsPerRequest, 1)}</td><td class="num">${s.errors}</td></tr>`
  return html`<table class="data" data-table="bench-server-p${p.pipeline}"><caption>Pipelining ${p.pipeline}; ratios against ${SERVER_LABEL[r.server?.baseline ?? ''] ?? r.server?.baseline}, round by round</caption>
<thead><tr><th>server</th><th>req/s</th><th>ratio</th><th>ratio range</th><th>p50 µs</th><th>p99 µs</th><th>CPU µs/req</th><th>errors</th></tr></thead>
<tbody>${p.servers.map(row)}</tbody></table>`
}

function targetsTable(r: BenchReport): Html {
  return html`<table class="data" data-table="bench-targets"><caption>Targets</caption>
<thead><tr><th>target</th><th>goal</th><th>measured</th><th>met</th></tr></thead>
<tbody>${r.targets.map(
    (t) =>
      html`<tr><td>${t.description}</td><td>${t.goal}</td><td class="num">${fixed(t.measured)}</td><td>${badge(t.met === null ? 'n/a' : t.met ? 'yes' : 'no')}</td></tr>`,
  )}</tbody></table>`
}

function memoryTable(r: BenchReport): Html {
  if (!r.memory || r.memory.results.length === 0) return html``
  return html`<table class="data" data-table="bench-memory"><caption>Memory per idle keep-alive connection (sockhttp / node:http RSS: ${times(r.memory.ratio)})</caption>
<thead><tr><th>server</th><th>connections</th><th>RSS per connection</th><th>heap + external per connection</th></tr></thead>
<tbody>${r.memory.results.map(
    (m) =>
      html`<tr><td>${SERVER_LABEL[m.server] ?? m.server}</td><td class="num">${int(m.connections)}</td><td class="num">${int(m.rssBytesPerConnection)} B</td><td class="num">${int(m.heapBytesPerConnection)} B</td></tr>`,
  )}</tbody></table>`
}

function renderBench(r: BenchReport): Html {
  const m = r.machine
  const s = r.server
  const parts: Html[] = [
    generated(
      r.generatedAt,
      `${m.cpuModel}, ${m.cores} cores, Node ${m.node} (llhttp ${m.llhttp}), load average ${fixed(m.loadAverage)} at start`,
    ),
  ]
  if (s) {
    parts.push(
      html`<p>Load generator: ${s.generator.name}${s.generator.version ? ` ${s.generator.version}` : ''}, ${s.connections} connections, ${s.rounds} rounds of ${s.durationSec} s, every server in its own process${s.runtime ? `; ${s.runtime}` : ''}.${s.generator.note ? html` <em>${s.generator.note}</em>` : ''}</p>`,
      barChart({
        id: 'bench-rps',
        title: 'Server throughput',
        caption: 'hello app, req/s; the label gives the ratio to node:http in the same rounds',
        groups: throughputGroups(r),
      }),
      barChart({
        id: 'bench-latency',
        title: 'Server latency',
        caption: 'median over rounds of each run’s p50 and p99; the label gives the ratio to node:http’s',
        groups: latencyGroups(r),
      }),
      ...s.pipelines.map((p) => serverTable(r, p)),
    )
  } else parts.push(html`<p class="not-run">The server benchmark was not part of this run.</p>`)
  if (r.parser) {
    parts.push(
      barChart({
        id: 'bench-parser',
        title: 'Parser throughput',
        caption: `MB/s, 1000 requests back to back in 64 KiB slices, one process per measurement${r.parser.pinned ? ` (${r.parser.pinned})` : ''}; the label gives the ratio to llhttp`,
        groups: parserGroups(r),
      }),
      html`<p>Equivalence: ${r.parser.equivalence.length === 0 ? 'every parser extracted the same method, target, version, fields and body' : html`<strong>${r.parser.equivalence.length} mismatches</strong>`}.</p>`,
    )
  } else parts.push(html`<p class="not-run">The parser benchmark was not part of this run.</p>`)
  parts.push(targetsTable(r), memoryTable(r), commandList(r.commands))
  return html`${parts}`
}

function benchHeadline(r: BenchReport): string {
  const parts: string[] = []
  for (const p of r.server?.pipelines ?? []) {
    const s = p.servers.find((x) => x.server === 'sockhttp')
    if (s) parts.push(`pipelining ${p.pipeline}: sockhttp ${times(s.ratio.median)} node:http`)
  }
  const cells = r.parser?.cells.filter((c) => c.parser === 'sockhttp' && c.feeding === 'stream') ?? []
  if (cells.length)
    parts.push(`parser ${cells.map((c) => `${c.fixture} ${times(c.ratioToLlhttp)}`).join(', ')} llhttp`)
  const judged = r.targets.filter((t) => t.met !== null)
  parts.push(`${judged.filter((t) => t.met).length}/${judged.length} targets met`)
  return parts.join('; ')
}

export function benchSection(loaded: Loaded<BenchReport>): Section {
  const { body, ok } = fromReport(loaded, BENCH_COMMAND, renderBench)
  const missed = ok && loaded.state === 'ok' && loaded.data.targets.some((t) => t.met === false)
  return {
    id: 'bench',
    title: 'Benchmarks',
    state: !ok ? 'none' : missed ? 'warn' : 'ok',
    body,
    ...(ok && loaded.state === 'ok' ? headline(() => benchHeadline(loaded.data)) : {}),
  }
}
