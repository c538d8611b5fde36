/**
 * `npm run bench`: server throughput (sockhttp, node:http, node:http A/A control, raw ceiling),
 * parser throughput (sockhttp, llhttp, http-parser-js) and memory per idle connection; writes
 * reports/bench/latest.{json,md} and ratios.svg. Performance targets are read from the report:
 * the exit status is 1 only when a correctness precondition fails (a parser extracting different
 * information, a server answering errors), 2 on bad usage.
 *
 *   npm run bench                         # full: 5 rounds x 5 s, pipelining 1 and 10, 3 processes per parser cell, 10,000 connections
 *   npm run bench -- --quick              # machinery check: short runs
 *   npm run bench -- --only parser        # server | parser | memory, comma-separated
 *   npm run bench -- --gen autocannon     # when wrk is missing (default then)
 *   npm run bench -- --sockhttp-cmd "npx tsx src/cli.ts serve --app hello --backlog 511 --port 0"
 *                                         # (keep --backlog 511 like node:http: with SockHTTP's default of 5,
 *                                         #  wrk's 100 simultaneous connects wait out SYN retries)
 *   npm run bench -- --tsx                # run the servers through tsx instead of compiling them first
 *   other knobs: --rounds --duration --warmup --connections --threads --pipelines 1,10 --parser-reps
 *                --parser-ms --parser-cpu N|none --memory-connections --out DIR
 */
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { wrkAvailable } from './gen/wrk.ts'
import { type BuildResult, buildServers, type ServerScript } from './lib/build.ts'
import { launch, REPO_ROOT, type ServerProcess, tsScript } from './lib/child.ts'
import { machineInfo, wrkVersion } from './lib/machine.ts'
import { type MemoryResult, measureMemory } from './memory.ts'
import type { ParserBenchResult } from './parser/run.ts'
import { runParserBench } from './parser/run.ts'
import {
  BENCH_SCHEMA,
  type BenchReport,
  judgeTargets,
  type MemorySection,
  type ServerSection,
  writeBenchReport,
} from './report.ts'
import { runServerBench } from './server-bench.ts'

const SECTIONS = ['server', 'parser', 'memory'] as const
type Section = (typeof SECTIONS)[number]

function usage(msg: string): never {
  process.stderr.write(`bench: ${msg}\n`)
  process.exit(2)
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

export function sockhttpAvailable(): boolean {
  return existsSync(path.join(REPO_ROOT, 'src/index.ts'))
}

/** How a bench server is started: compiled JS on bare node when the build worked, else through tsx. */
type ServerLauncher = (name: ServerScript, args: string[], nodeFlags?: string[]) => string[]

function serverLauncher(build: BuildResult | null): ServerLauncher {
  return (name, args, nodeFlags = []) =>
    build?.script
      ? [process.execPath, ...nodeFlags, build.script(name), ...args]
      : tsScript(`bench/servers/${name}.ts`, args, nodeFlags)
}

/** The servers of the throughput benchmark, each a child process started once for the whole run. */
function serverCommands(
  sockhttpCmd: string | undefined,
  run: ServerLauncher,
): { name: string; command: string[]; ipc: boolean }[] {
  const out: { name: string; command: string[]; ipc: boolean }[] = []
  if (sockhttpCmd)
    out.push({ name: 'sockhttp', command: sockhttpCmd.split(/\s+/).filter(Boolean), ipc: false })
  else if (sockhttpAvailable())
    out.push({
      name: 'sockhttp',
      command: run('sockhttp-target', ['--app', 'hello', '--backlog', '511']),
      ipc: true,
    })
  out.push(
    { name: 'node', command: run('node-target', ['--app', 'hello']), ipc: true },
    { name: 'node-b', command: run('node-target', ['--app', 'hello']), ipc: true },
    { name: 'ceiling', command: run('ceiling', []), ipc: false },
  )
  return out
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse()
  } catch (err) {
    usage(err instanceof Error ? err.message : String(err))
  }
  const { values } = parsed
  const quick = values.quick === true
  const only = (values.only ?? SECTIONS.join(',')).split(',').map((s) => s.trim()) as Section[]
  for (const s of only) if (!SECTIONS.includes(s)) usage(`unknown section "${s}" (server, parser, memory)`)
  const num = (v: string | undefined, full: number, fast: number): number => {
    const n = v === undefined ? (quick ? fast : full) : Number(v)
    if (!Number.isFinite(n) || n < 0) usage(`bad number "${v}"`)
    return n
  }
  const haveWrk = wrkAvailable()
  let gen = (values.gen ?? (haveWrk ? 'wrk' : 'autocannon')) as 'wrk' | 'autocannon'
  if (gen !== 'wrk' && gen !== 'autocannon') usage('--gen is wrk or autocannon')
  let genNote: string | null = null
  if (gen === 'wrk' && !haveWrk) {
    genNote =
      'wrk is not installed (apt-get install wrk): fell back to autocannon, which saturates near 40k req/s on 2 cores'
    gen = 'autocannon'
    log(`bench: ${genNote}`)
  } else if (!haveWrk) {
    genNote = 'wrk is not installed: autocannon saturates near 40k req/s on 2 cores, so ratios are compressed'
    log(`bench: ${genNote}`)
  }
  const outDir = path.resolve(REPO_ROOT, values.out ?? 'reports/bench')
  const machine = machineInfo()
  const commands = [`npm run bench -- ${process.argv.slice(2).join(' ')}`.trim()]
  let exit = 0

  // Servers run compiled (see lib/build.ts) unless --tsx asks for the loader.
  let build: BuildResult | null = null
  if (values.tsx !== true) {
    build = buildServers()
    if (build.note) log(`bench: ${build.note}`)
  }
  const run = serverLauncher(build)
  const serversNote = build?.script
    ? `servers compiled with tsc, run on bare node${build.note ? ` (${build.note})` : ''}`
    : `servers run through tsx (node --import tsx)${build?.note ? ` (${build.note})` : ''}`

  let server: ServerSection | null = null
  if (only.includes('server')) {
    const rounds = num(values.rounds, 5, 2)
    const durationSec = num(values.duration, 5, 1)
    const warmupSec = num(values.warmup, 2, 1)
    const connections = num(values.connections, 100, 100)
    const threads = num(values.threads, 1, 1)
    const pipelines = (values.pipelines ?? '1,10').split(',').map(Number)
    const defs = serverCommands(values['sockhttp-cmd'], run)
    if (!defs.some((d) => d.name === 'sockhttp'))
      log('bench: src/index.ts is missing: sockhttp is left out of the server benchmark')
    log(
      `bench: server throughput with ${gen}, ${rounds} rounds x ${durationSec} s, pipelining ${pipelines.join(' and ')}`,
    )
    const procs: ServerProcess[] = []
    try {
      for (const d of defs) procs.push(await launch({ name: d.name, command: d.command, ipc: d.ipc }))
      const results = await runServerBench({
        servers: procs,
        baseline: 'node',
        pipelines,
        rounds,
        warmupSec,
        durationSec,
        connections,
        threads,
        generator: gen,
        log,
      })
      server = {
        runtime: serversNote,
        generator: { name: gen, version: gen === 'wrk' ? wrkVersion() : null, note: genNote },
        baseline: 'node',
        connections,
        threads,
        durationSec,
        warmupSec,
        rounds,
        servers: defs.map((d) => ({
          name: d.name,
          command: d.command.map((a) =>
            a
              .replace(process.execPath, 'node')
              .replace(build?.dir ?? '\0', '<build>')
              .replace(REPO_ROOT, ''),
          ),
        })),
        pipelines: results,
      }
      for (const p of results)
        for (const s of p.servers)
          if (s.errors > 0) {
            log(`bench: ${s.server} had ${s.errors} errors at pipelining ${p.pipeline}`)
            exit = 1
          }
    } finally {
      await Promise.all(procs.map((p) => p.stop()))
    }
  }

  let parser: ParserBenchResult | null = null
  if (only.includes('parser')) {
    const reps = num(values['parser-reps'], 3, 1)
    const ms = num(values['parser-ms'], 2000, 300)
    const cpu =
      values['parser-cpu'] === 'none' ? null : num(values['parser-cpu'], machine.cores - 1, machine.cores - 1)
    log(`bench: parser throughput, ${reps} process(es) per cell, ${ms} ms each`)
    parser = await runParserBench({
      compiledWorker: build?.parserWorker ?? null,
      reps,
      ms,
      warmupMs: quick ? 150 : 500,
      cpu,
      feedings: ['stream', 'per-request'],
      log,
    })
    if (parser.equivalence.length > 0) {
      for (const e of parser.equivalence)
        log(`bench: equivalence: ${e.parser} ${e.fixture} (${e.feeding}): ${e.detail}`)
      exit = 1
    }
  }

  let memory: MemorySection | null = null
  if (only.includes('memory')) {
    const n = num(values['memory-connections'], 10_000, 2_000)
    const results: MemoryResult[] = []
    const idle = ['--app', 'hello', '--keep-alive-timeout', '600000']
    const defs = [
      ...(sockhttpAvailable()
        ? [{ name: 'sockhttp', command: run('sockhttp-target', idle, ['--expose-gc']) }]
        : []),
      { name: 'node', command: run('node-target', idle, ['--expose-gc']) },
    ]
    for (const d of defs) {
      const proc = await launch({ name: d.name, command: d.command, ipc: true })
      try {
        log(`bench: memory, ${n} idle keep-alive connections to ${d.name}`)
        results.push(await measureMemory(proc, n))
      } finally {
        await proc.stop()
      }
    }
    const sock = results.find((r) => r.server === 'sockhttp')
    const node = results.find((r) => r.server === 'node')
    memory = {
      runtime: serversNote,
      results,
      ratio: sock && node ? sock.rssBytesPerConnection / node.rssBytesPerConnection : null,
    }
  }

  const report: BenchReport = {
    schema: BENCH_SCHEMA,
    generatedAt: new Date().toISOString(),
    machine,
    commands: [
      ...commands,
      ...(server?.pipelines.flatMap((p) => p.commands) ?? []),
      ...(parser ? [parser.command] : []),
    ],
    server,
    parser,
    memory,
    targets: judgeTargets(server, parser, memory),
  }
  if (build) rmSync(build.dir, { recursive: true, force: true })
  const files = writeBenchReport(outDir, report)
  log(`bench: wrote ${files.map((f) => path.relative(REPO_ROOT, f)).join(', ')}`)
  process.stdout.write(`${summaryLine(report)}\n`)
  return exit
}

function parse() {
  return parseArgs({
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      gen: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      threads: { type: 'string' },
      pipelines: { type: 'string' },
      'sockhttp-cmd': { type: 'string' },
      'parser-reps': { type: 'string' },
      'parser-ms': { type: 'string' },
      'parser-cpu': { type: 'string' },
      'memory-connections': { type: 'string' },
      out: { type: 'string' },
      tsx: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  })
}

/** The last line printed: the headline ratios and how many targets hold. */
export function summaryLine(r: BenchReport): string {
  const parts: string[] = []
  for (const p of r.server?.pipelines ?? []) {
    const s = p.servers.find((x) => x.server === 'sockhttp')
    const aa = p.servers.find((x) => x.server === 'node-b')
    const c = p.servers.find((x) => x.server === 'ceiling')
    parts.push(
      `p${p.pipeline} sockhttp ${s ? s.ratio.median.toFixed(2) : 'n/a'}x node (ceiling ${c ? c.ratio.median.toFixed(2) : 'n/a'}x, A/A ${aa ? aa.ratio.median.toFixed(2) : 'n/a'}x)`,
    )
  }
  if (r.parser) {
    const cells = r.parser.cells.filter((c) => c.parser === 'sockhttp' && c.feeding === 'stream')
    parts.push(`parser ${cells.map((c) => `${c.fixture} ${c.ratioToLlhttp.toFixed(2)}x`).join(' ')} llhttp`)
  }
  if (r.memory) parts.push(`memory ${r.memory.ratio === null ? 'n/a' : `${r.memory.ratio.toFixed(2)}x`} node`)
  const judged = r.targets.filter((t) => t.met !== null)
  parts.push(`${judged.filter((t) => t.met).length}/${judged.length} targets met`)
  return `bench: ${parts.join(', ')}`
}

process.exitCode = await main()
