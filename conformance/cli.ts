/**
 * `npm run conformance -- [--target sockhttp|node|http://HOST:PORT] [--case ID|PREFIX]... [--exclude ID]...
 *   [--strict] [--split|--no-split] [--list] [--json FILE] [--junit FILE] [--timeout MS]
 *   [--reflect] [--headers-timeout MS] [--compare] [--seed N] [--concurrency N] [--verbose]`
 *
 * Exit status: 0 when no check failed, 1 when a MUST-level check (or, with --strict, any) failed,
 * 2 for bad usage (and --help).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { catalog, select } from './cases/index.ts'
import { toCompare } from './reporters/compare.ts'
import { formatConsole, summaryLine } from './reporters/console.ts'
import { buildReport, type Report, toJson } from './reporters/json.ts'
import { toJunit } from './reporters/junit.ts'
import { toMarkdown } from './reporters/markdown.ts'
import { type CaseResult, DEFAULT_RUN, runCases, summarize } from './runner.ts'
import { DEFAULT_HEADERS_TIMEOUT_MS, startTarget } from './targets/index.ts'

export const USAGE = `usage: npm run conformance -- [options]

  --target T            sockhttp (default, in-process), node (node:http, in-process) or http://HOST:PORT
  --case ID|PREFIX      run only matching cases (repeatable), e.g. 9112-6.3 or 9112-6.3/cl-te
  --exclude ID|PREFIX   skip matching cases (repeatable)
  --strict              SHOULD-level misses count as failures
  --split / --no-split  also run every case with its bytes split over many writes (default on)
  --list                list the catalog (after filters) and exit
  --json FILE           also write the JSON report to FILE
  --junit FILE          also write the JUnit XML report to FILE
  --timeout MS          how long to wait for each response (default ${DEFAULT_RUN.timeoutMs})
  --reflect             the URL target implements the reflect app (enables parsed-field checks)
  --headers-timeout MS  the target's headers timeout (in-process targets are started with it;
                        for a URL it enables the timeout cases; default ${DEFAULT_HEADERS_TIMEOUT_MS})
  --compare             run sockhttp and node, write both reports and reports/conformance/compare.md
  --seed N              seed for split points (default ${DEFAULT_RUN.seed})
  --concurrency N       cases in flight at once (default ${DEFAULT_RUN.concurrency})
  --out DIR             report directory (default reports/conformance)
  --verbose             show details for warnings and skips too
  --help                this text

Exit status: 0 ok, 1 a MUST failed (any failure with --strict), 2 bad usage.`

class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new UsageError(`${name} must be a positive integer, got ${JSON.stringify(value)}`)
  return Number(value)
}

export interface CliOptions {
  targets: string[]
  include: string[]
  exclude: string[]
  strict: boolean
  split: boolean
  list: boolean
  json: string | null
  junit: string | null
  timeoutMs: number
  reflect: boolean
  headersTimeoutMs: number
  headersTimeoutGiven: boolean
  compare: boolean
  seed: number
  concurrency: number
  out: string
  verbose: boolean
  help: boolean
}

export function parseCli(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: false; strict: true }>>
  try {
    parsed = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: false,
      strict: true,
      allowNegative: true,
    })
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
  const v = parsed.values
  const target = v.target ?? 'sockhttp'
  if (v.compare && v.target !== undefined)
    throw new UsageError('--compare runs sockhttp and node; do not combine it with --target')
  return {
    targets: v.compare ? ['sockhttp', 'node'] : [target],
    include: v.case ?? [],
    exclude: v.exclude ?? [],
    strict: v.strict ?? false,
    split: v.split ?? true,
    list: v.list ?? false,
    json: v.json ?? null,
    junit: v.junit ?? null,
    timeoutMs: positiveInt('--timeout', v.timeout, DEFAULT_RUN.timeoutMs),
    reflect: v.reflect ?? false,
    headersTimeoutMs: positiveInt('--headers-timeout', v['headers-timeout'], DEFAULT_HEADERS_TIMEOUT_MS),
    headersTimeoutGiven: v['headers-timeout'] !== undefined,
    compare: v.compare ?? false,
    seed: positiveInt('--seed', v.seed, DEFAULT_RUN.seed),
    concurrency: positiveInt('--concurrency', v.concurrency, DEFAULT_RUN.concurrency),
    out: v.out ?? 'reports/conformance',
    verbose: v.verbose ?? false,
    help: v.help ?? false,
  }
}

const OPTIONS = {
  target: { type: 'string' },
  case: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
  split: { type: 'boolean' },
  list: { type: 'boolean' },
  json: { type: 'string' },
  junit: { type: 'string' },
  timeout: { type: 'string' },
  reflect: { type: 'boolean' },
  'headers-timeout': { type: 'string' },
  compare: { type: 'boolean' },
  seed: { type: 'string' },
  concurrency: { type: 'string' },
  out: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

async function write(file: string, text: string): Promise<void> {
  await mkdir(dirname(resolve(file)), { recursive: true })
  await writeFile(file, text)
}

async function runTarget(spec: string, o: CliOptions, entries: ReturnType<typeof catalog>): Promise<Report> {
  const target = await startTarget(spec, {
    headersTimeoutMs: o.headersTimeoutMs,
    reflect: o.reflect,
    assumeUrlHeadersTimeout: o.headersTimeoutGiven,
  })
  const started = performance.now()
  let results: CaseResult[]
  try {
    results = await runCases(entries, target, {
      ...DEFAULT_RUN,
      timeoutMs: o.timeoutMs,
      split: o.split,
      strict: o.strict,
      seed: o.seed,
      concurrency: o.concurrency,
    })
  } finally {
    await target.close()
  }
  // Printed after the run, in catalog order, so concurrent cases do not interleave.
  process.stdout.write(`${formatConsole(results, o.verbose)}\n`)
  const report = buildReport(
    target.name,
    results,
    {
      split: o.split,
      strict: o.strict,
      seed: o.seed,
      timeoutMs: o.timeoutMs,
      headersTimeoutMs: target.headersTimeoutMs,
      reflect: target.speaksReflect,
    },
    performance.now() - started,
  )
  const base = `${o.out}/${target.slug}`
  await write(`${base}.json`, toJson(report))
  await write(`${base}.md`, toMarkdown(report))
  await write(`${base}.junit.xml`, toJunit(report))
  if (o.json) await write(o.json, toJson(report))
  if (o.junit) await write(o.junit, toJunit(report))
  return report
}

export async function main(argv: readonly string[]): Promise<number> {
  let o: CliOptions
  try {
    o = parseCli(argv)
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`conformance: ${err.message}\n\n${USAGE}\n`)
      return 2
    }
    throw err
  }
  if (o.help) {
    process.stdout.write(`${USAGE}\n`)
    return 2
  }
  const entries = select(catalog(), o.include, o.exclude)
  if (o.list) {
    let group = ''
    for (const e of entries) {
      if (e.group !== group) {
        group = e.group
        process.stdout.write(`\n${group}\n`)
      }
      process.stdout.write(
        `  ${e.c.id} [${e.c.level}${e.c.kind === 'scenario' ? `, ${e.c.client}` : ''}] ${e.c.requirement}\n`,
      )
    }
    process.stdout.write(`conformance catalog: ${entries.length} cases\n`)
    return 0
  }
  if (entries.length === 0) {
    process.stderr.write('conformance: no case matches the --case/--exclude filters\n')
    return 2
  }
  const reports: Report[] = []
  for (const spec of o.targets) {
    try {
      reports.push(await runTarget(spec, o, entries))
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err)
      if (/unknown target/.test(msg)) {
        process.stderr.write(`conformance: ${msg}\n`)
        return 2
      }
      process.stderr.write(`conformance: could not run target ${spec}: ${msg}\n`)
      process.stdout.write(`conformance ${spec}: target failed to start\n`)
      return 1
    }
  }
  if (o.compare && reports.length === 2) {
    await write(`${o.out}/compare.md`, toCompare(reports[0]!, reports[1]!))
    process.stdout.write(`\nwrote ${o.out}/compare.md\n`)
  }
  let failed = false
  const summaries = reports.map((r) => {
    const s = summarize(r.results)
    if (s.fail > 0) failed = true
    return summaryLine(r.target, s)
  })
  process.stdout.write(`\n${summaries.join('\n')}\n`)
  return failed ? 1 : 0
}

/** Run as a program: `tsx conformance/cli.ts`, or via `sockhttp conformance` (which passes a file URL). */
function invokedAsProgram(): boolean {
  const arg = process.argv[1]
  if (!arg) return false
  const given = arg.startsWith('file:') ? fileURLToPath(arg) : resolve(arg)
  return given === fileURLToPath(import.meta.url)
}

if (invokedAsProgram()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      process.stderr.write(
        `conformance: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      )
      process.exitCode = 1
    },
  )
}
