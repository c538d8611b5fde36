/**
 * Fixture reports for the site's tests: one of each kind, typed against the writers' own report
 * types so a schema change shows up as a type error here. They are small but cover the cases the
 * page must handle: three conformance targets with differing sections, failing and warning cases,
 * bytes that look like markup, a fuzz failure, NaN figures (null in JSON), failing load checks.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { MachineInfo } from '../../bench/lib/machine.ts'
import type { LoadtestReport } from '../../bench/load/report.ts'
import type { BenchReport } from '../../bench/report.ts'
import type { Report as ConformanceReport } from '../../conformance/reporters/json.ts'
import type { FuzzReport } from '../../fuzz/report.ts'
import type { GateReport } from '../gate/summary.ts'
import type { ReliabilityReport } from './sections/reliability.ts'

type CaseResult = ConformanceReport['results'][number]
type ServerRow = NonNullable<BenchReport['server']>['pipelines'][number]['servers'][number]

const AT = '2026-11-25T06:00:00.000Z'
/** Request bytes that would be markup if the page did not escape them. */
export const HOSTILE =
  'GET /<script>alert(1)</script> HTTP/1.1\\r\\nHost: <img src=x onerror=alert(2)>\\r\\n\\r\\n'

const machine: MachineInfo = {
  cpuModel: 'Fixture CPU @ 2.0GHz',
  cores: 2,
  memoryBytes: 4 * 2 ** 30,
  kernel: '6.1.0',
  platform: 'linux',
  arch: 'x64',
  node: '20.20.2',
  v8: '11.3',
  llhttp: '9.3.1',
  loadAverage: 0.5,
}

export const gateFixture: GateReport = {
  schema: 'sockhttp-gate/1',
  generatedAt: AT,
  commit: 'abc123def456',
  node: 'v20.20.2',
  cores: 2,
  command: 'npm run gate',
  fuzzSeed: 9112,
  seconds: 281.4,
  pass: true,
  steps: [
    ['typecheck', 'type check', 3.1, 'pass', 'tsc: no type errors'],
    ['lint', 'lint', 1.2, 'pass', 'biome: Checked 190 files in 400ms. No fixes applied.'],
    ['unit', 'unit and property tests', 95.5, 'pass', 'vitest: 812 passed, 0 failed, 1 skipped in 70 files'],
    [
      'conformance',
      'conformance (sockhttp)',
      30.2,
      'pass',
      'conformance sockhttp: 398 pass, 0 fail, 4 warn, 2 skip',
    ],
    ['fuzz', 'fuzz (60 s, seed 9112)', 61.9, 'pass', 'fuzz: total 52000 runs, 0 failures (seed 9112)'],
    ['loadtest', 'load checks (backlog, pool)', 25.4, 'pass', 'loadtest sockhttp: 3 pass, 0 fail'],
    [
      'bench',
      'bench smoke (records, never gates)',
      64.1,
      'fail',
      'bench: p1 sockhttp 1.52x node, 3/8 targets met',
    ],
  ].map(([id, title, seconds, status, summary]) => ({
    id: String(id),
    title: String(title),
    command: `npx ${id}`,
    gating: id !== 'bench',
    status: status === 'pass' ? 'pass' : 'fail',
    exitCode: status === 'pass' ? 0 : 1,
    seconds: Number(seconds),
    summary: String(summary),
  })),
}

const SECTIONS = ['RFC 9112 §3 Request line', 'RFC 9112 §6.3 Message body length', 'RFC 9112 §7.1 Chunked']

function caseResult(
  n: number,
  group: string,
  status: CaseResult['status'],
  extra: Partial<Pick<CaseResult, 'request' | 'response' | 'level' | 'reason' | 'actual'>> = {},
): CaseResult {
  return {
    id: `9112-x/case-${n}`,
    group,
    rfc: 'RFC 9112',
    section: '3',
    level: extra.level ?? 'MUST',
    requirement: `Requirement number ${n}.`,
    kind: 'wire',
    client: 'net',
    status,
    outcome: status === 'fail' ? null : '400 and close',
    expected: ['400 and close', '400, connection open'],
    actual:
      extra.actual ?? (status === 'fail' ? '200 OK, connection open' : '400 Bad Request, connection closed'),
    reason: extra.reason ?? (status === 'pass' ? null : `case ${n} did not match`),
    mismatches:
      status === 'fail' ? ['400 and close: got status 200', '400, connection open: got status 200'] : [],
    request: extra.request ?? 'GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n',
    response: extra.response ?? 'HTTP/1.1 400 Bad Request\\r\\nConnection: close\\r\\n\\r\\n',
    elapsedMs: 3,
    split: null,
  }
}

function conformance(target: string, results: CaseResult[]): ConformanceReport {
  const count = (rs: CaseResult[]) => ({
    total: rs.length,
    pass: rs.filter((r) => r.status === 'pass').length,
    fail: rs.filter((r) => r.status === 'fail').length,
    warn: rs.filter((r) => r.status === 'warn').length,
    skip: rs.filter((r) => r.status === 'skip').length,
  })
  const titles = [...new Set(results.map((r) => r.group))]
  return {
    schema: 'sockhttp-conformance/1',
    target,
    generatedAt: AT,
    durationMs: 12_345,
    options: { split: true, strict: false, seed: 1, timeoutMs: 2000, headersTimeoutMs: 1500, reflect: true },
    summary: {
      ...count(results),
      mustFail: results.filter((r) => r.status === 'fail' && r.level === 'MUST').length,
    },
    sections: titles.map((title) => ({ title, ...count(results.filter((r) => r.group === title)) })),
    results,
  }
}

export const conformanceFixtures: ConformanceReport[] = [
  conformance('sockhttp', [
    caseResult(1, SECTIONS[0]!, 'pass'),
    caseResult(2, SECTIONS[0]!, 'pass'),
    caseResult(3, SECTIONS[1]!, 'pass'),
    caseResult(4, SECTIONS[1]!, 'warn', { level: 'SHOULD' }),
    caseResult(5, SECTIONS[2]!, 'skip'),
  ]),
  conformance('node', [
    caseResult(1, SECTIONS[0]!, 'fail', { request: HOSTILE }),
    caseResult(2, SECTIONS[0]!, 'pass'),
    caseResult(3, SECTIONS[1]!, 'fail'),
    caseResult(4, SECTIONS[1]!, 'warn', { level: 'SHOULD' }),
    caseResult(5, SECTIONS[2]!, 'pass'),
  ]),
  // Another server by URL, run on one section only.
  conformance('http://127.0.0.1:8080', [caseResult(1, SECTIONS[0]!, 'fail', { level: 'SHOULD' })]),
]

export const fuzzFixture: FuzzReport = {
  schema: 'sockhttp-fuzz/1',
  generatedAt: AT,
  seed: 9112,
  budget: { timeSeconds: 60 },
  target: 'sockhttp',
  node: '20.20.2',
  llhttp: '9.3.1',
  durationMs: 61_000,
  properties: [
    ['total', 'the parser never throws and ends in an event', 20_000, 0],
    ['split', 'any segmentation gives the same events', 15_000, 1],
    ['differential', 'sockhttp and node:http agree or the RFC explains why', 9_000, 0],
  ].map(([name, description, runs, failures]) => ({
    name: String(name),
    description: String(description),
    runs: Number(runs),
    durationMs: 20_000,
    runsPerSecond: Number(runs) / 20,
    regressions: 2,
    failures: Number(failures),
    failureFiles: Number(failures) ? [`reports/fuzz/${name}-9112.json`] : [],
    replay: Number(failures) ? [`npm run fuzz -- --replay reports/fuzz/${name}-9112.json`] : [],
  })),
  totals: { runs: 44_000, failures: 1 },
  disagreements: {
    explained: [
      {
        id: 'node-http09',
        kind: 'node',
        count: 12,
        summary: 'node answers HTTP/0.9 lines',
        rfc: 'RFC 9112 §3',
      },
    ],
  },
  failures: [
    {
      property: 'split',
      source: 'fuzz',
      seed: 9112,
      path: '3:1:0',
      reason: 'event 0 differs: one write gives head, 2 writes give error BARE_CR',
      class: 'BARE_CR',
      bytesBase64: 'R0VUIC8gSFRUUC8xLjENCg0K',
      bytesEscaped: HOSTILE,
      length: 20,
      input: { escaped: HOSTILE },
      file: 'reports/fuzz/split-9112.json',
      replay: 'npm run fuzz -- --replay reports/fuzz/split-9112.json',
    },
  ],
  summary:
    'fuzz: total 44000 runs, total 20000 runs, split 15000 runs, differential 9000 runs, 1 failure (seed 9112)',
}

function serverRow(server: string, rps: number, ratio: number, p50Us: number, p99Us: number): ServerRow {
  const s = { median: rps, min: rps * 0.95, max: rps * 1.05, relIqr: 0.03, n: 5 }
  return {
    server,
    rps: s,
    ratio: { median: ratio, min: ratio * 0.95, max: ratio * 1.05, relIqr: 0.03, n: 5 },
    p50Us,
    p99Us,
    cpuUsPerRequest: 20,
    errors: 0,
    samples: [],
  }
}

const spread = (v: number) => ({ median: v, min: v * 0.9, max: v * 1.1, relIqr: 0.05, n: 3 })

export const benchFixture: BenchReport = {
  schema: 'sockhttp-bench/1',
  generatedAt: AT,
  machine,
  commands: ['npm run bench', 'wrk -t1 -c100 -d5s <url>'],
  server: {
    generator: { name: 'wrk', version: '4.1.0', note: null },
    runtime: 'servers compiled with tsc, run on bare node',
    baseline: 'node',
    connections: 100,
    threads: 1,
    durationSec: 5,
    warmupSec: 2,
    rounds: 5,
    servers: [{ name: 'sockhttp', command: ['node', 'bench/servers/sockhttp-target.ts'] }],
    pipelines: [1, 10].map((pipeline) => ({
      pipeline,
      commands: [`wrk -t1 -c100 -d5s${pipeline > 1 ? ' -s pipeline.lua' : ''} <url>`],
      servers: [
        serverRow('sockhttp', 30_000 * pipeline ** 0.8, 1.6 * pipeline ** 0.5, 2900, 6100),
        serverRow('node', 18_000 * pipeline ** 0.3, 1, 5200, 9800),
        serverRow('node-b', 18_200 * pipeline ** 0.3, 1.01, 5100, 9900),
        serverRow('ceiling', 36_000 * pipeline ** 0.8, 2 * pipeline ** 0.5, 2400, 4500),
      ],
    })),
  },
  parser: {
    pinned: 'taskset -c 1',
    command: 'node bench/parser/worker.ts',
    fixtures: [
      { id: 'get', label: 'GET with browser-like fields', bytes: 600 },
      { id: 'post-cl', label: 'POST with Content-Length', bytes: 4300 },
      { id: 'post-chunked', label: 'POST chunked', bytes: 4400 },
    ],
    parsers: [
      { id: 'sockhttp', label: 'sockhttp', configuration: 'strict' },
      { id: 'llhttp', label: 'llhttp', configuration: 'default' },
      { id: 'http-parser-js', label: 'http-parser-js', configuration: 'default' },
    ],
    equivalence: [],
    strictness: { probes: [], verdicts: { sockhttp: {}, llhttp: {}, 'http-parser-js': {} } },
    cells: (['get', 'post-cl', 'post-chunked'] as const).flatMap((fixture, i) =>
      (['sockhttp', 'llhttp', 'http-parser-js'] as const).map((parser, j) => {
        const mb = [
          [600, 900, 1400],
          [500, 800, 1200],
          [120, 150, 180],
        ][j]![i]!
        const llhttp = [500, 800, 1200][i]!
        return {
          parser,
          fixture,
          feeding: 'stream' as const,
          mbPerSec: spread(mb),
          reqPerSec: spread(mb * 1000),
          ratioToLlhttp: mb / llhttp,
        }
      }),
    ),
  },
  memory: {
    runtime: 'servers compiled with tsc, run on bare node',
    results: [],
    ratio: null,
  },
  targets: [
    {
      id: 'server-p1',
      description: 'sockhttp / node:http, pipelining 1',
      goal: '>= 1.6',
      measured: 1.6,
      met: true,
    },
    { id: 'memory', description: 'RSS per idle connection', goal: '<= 0.5', measured: null, met: null },
  ],
}

export const loadtestFixture: LoadtestReport = {
  schema: 'sockhttp-loadtest/1',
  generatedAt: AT,
  machine,
  command: 'npm run loadtest -- --quick',
  target: 'sockhttp',
  summary: { pass: 2, fail: 1 },
  checks: [
    ['backlog-5', 'backlog', true],
    ['pool-throughput-1', 'pool-throughput', true],
    ['pool-throughput-4', 'pool-throughput', false],
  ].map(([id, kind, pass]) => ({
    id: String(id),
    kind: kind as 'backlog' | 'pool-throughput',
    target: 'sockhttp',
    params: { pool: 4 },
    assertions: [
      { name: 'throughput', expected: '80.0 ±20%', actual: pass ? '79.0' : '41.0', pass: Boolean(pass) },
    ],
    observed: {},
    pass: Boolean(pass),
    seconds: 3.2,
  })),
}

export const reliabilityFixture: ReliabilityReport = {
  schema: 'sockhttp-reliability/1',
  generatedAt: AT,
  command: 'npm run reliability',
  size: 'full',
  machine: {
    node: 'v20.20.2',
    platform: 'linux',
    arch: 'x64',
    cpus: 2,
    cpuModel: machine.cpuModel,
    memoryBytes: machine.memoryBytes,
    fdLimit: 1_048_576,
  },
  git: { commit: 'abc123', dirty: false },
  summary: { checks: 2, pass: 1, fail: 1, lost: 2, durationMs: 7300 },
  checks: [
    {
      name: 'slowloris',
      title: 'Slow clients are cut off without starving others',
      ok: true,
      assertions: [{ what: 'every slow connection is answered 408', ok: true, detail: '200/200' }],
      durationMs: 4200,
      connections: 200,
      lost: 0,
      latency: { unloaded: { samples: 100, p50: 0.4, p99: 1.2, max: 2 } },
      rss: { before: 60 * 2 ** 20, peak: 80 * 2 ** 20, after: 62 * 2 ** 20 },
      figures: { answered408: 200 },
      target: 'sockhttp --headers-timeout 1000',
    },
    {
      name: 'reset-storm',
      title: 'Connections reset mid-request leak nothing',
      ok: false,
      assertions: [{ what: 'RSS returns to baseline', ok: false, detail: '+30 MiB' }],
      durationMs: 3100,
      connections: 1000,
      lost: 2,
      latency: {},
      rss: null,
      figures: {},
      target: 'sockhttp',
    },
  ],
}

/** What the page built from these fixtures must show; the browser test counts these. */
export const FIXTURE_EXPECT = {
  sections: 6,
  conformanceTargets: 3,
  matrixRows: 3,
  /** Failing conformance cases (node 2, URL target 1) plus the fuzz failure. */
  failingCases: 4,
  warningCases: 2,
  barsRps: 6,
  barsLatency: 12,
  barsParser: 9,
  gateRows: 7,
  fuzzRows: 3,
  loadtestRows: 3,
  reliabilityRows: 2,
} as const

export type FixtureName = 'gate' | 'conformance' | 'fuzz' | 'bench' | 'loadtest' | 'reliability'

/** Writes the fixture reports under `dir` laid out as reports/ is; `omit` leaves some out. */
export function writeFixtures(dir: string, omit: readonly FixtureName[] = []): void {
  const put = (file: string, data: unknown): void => {
    const full = path.join(dir, file)
    mkdirSync(path.dirname(full), { recursive: true })
    writeFileSync(full, `${JSON.stringify(data, null, 2)}\n`)
  }
  if (!omit.includes('gate')) put('gate/latest.json', gateFixture)
  if (!omit.includes('conformance'))
    for (const r of conformanceFixtures)
      put(
        `conformance/${r.target === 'sockhttp' || r.target === 'node' ? r.target : 'url-127.0.0.1-8080'}.json`,
        r,
      )
  if (!omit.includes('fuzz')) put('fuzz/latest.json', fuzzFixture)
  if (!omit.includes('bench')) put('bench/latest.json', benchFixture)
  if (!omit.includes('loadtest')) put('loadtest/latest.json', loadtestFixture)
  if (!omit.includes('reliability')) put('reliability/latest.json', reliabilityFixture)
}
