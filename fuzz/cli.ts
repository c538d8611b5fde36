/**
 * npm run fuzz -- [--property NAME]... [--runs N | --time SECONDS] [--seed N] [--replay FILE]
 *                 [--target sockhttp|http://HOST:PORT] [--report-dir DIR]
 *
 * Progress goes to stderr; the last line on stdout is the summary. Exit 0 when every property
 * holds, 1 on a failure, 2 on bad usage.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { defaultParser } from './oracle/ours.ts'
import { explainedCounts } from './properties/differential.ts'
import { PROPERTIES, PROPERTY_NAMES, propertyByName } from './properties/index.ts'
import type { AnyProperty, Json, PropertyContext } from './properties/types.ts'
import { loadRegressions } from './regressions.ts'
import { buildReport, summaryLine, writeReports } from './report.ts'
import { type Progress, type PropertyResult, replayFailure, runProperty } from './runner.ts'
import { type RunningTarget, resolveTarget } from './tcp/target.ts'

const USAGE = `usage: npm run fuzz -- [--property NAME]... [--runs N | --time SECONDS] [--seed N] [--replay FILE] [--target sockhttp|http://HOST:PORT]
properties: ${PROPERTY_NAMES.join(', ')}
defaults: every property, ${1000} runs each (tcp ${200}), a random seed, target sockhttp (started in-process on port 0)`

const DEFAULT_RUNS = 1000
const DEFAULT_TCP_RUNS = 200
/** Kept back from --time for regressions, server start-up and writing reports. */
const TIME_OVERHEAD_MS = 2500

class UsageError extends Error {}

interface Cli {
  readonly properties: AnyProperty[]
  readonly runs?: number
  readonly timeSeconds?: number
  readonly seed: number
  readonly replay?: string
  readonly target: string
  readonly reportDir: string
}

function positiveInt(name: string, v: string | undefined, allowZero = false): number | undefined {
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v) || (!allowZero && Number(v) === 0))
    throw new UsageError(`--${name} needs a positive integer, got ${JSON.stringify(v)}`)
  return Number(v)
}

function parseCli(argv: string[]): Cli {
  let values: Record<string, string | string[] | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        property: { type: 'string', multiple: true },
        runs: { type: 'string' },
        time: { type: 'string' },
        seed: { type: 'string' },
        replay: { type: 'string' },
        target: { type: 'string', default: 'sockhttp' },
        'report-dir': { type: 'string', default: 'reports/fuzz' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }))
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
  if (values.help === true) throw new UsageError('')
  const names = (values.property as string[] | undefined) ?? []
  const properties =
    names.length === 0
      ? [...PROPERTIES]
      : names.map((n) => propertyByName(n) ?? failUsage(`unknown property ${JSON.stringify(n)}`))
  if (values.runs !== undefined && values.time !== undefined)
    throw new UsageError('--runs and --time are exclusive')
  const target = values.target as string
  if (target !== 'sockhttp' && !/^http:\/\/[^/]+:\d+\/?$/.test(target))
    throw new UsageError(`--target must be sockhttp or http://HOST:PORT, got ${JSON.stringify(target)}`)
  const seed =
    positiveInt('seed', values.seed as string | undefined, true) ??
    (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0
  const runs = positiveInt('runs', values.runs as string | undefined)
  const timeSeconds = positiveInt('time', values.time as string | undefined)
  return {
    properties,
    seed,
    target,
    reportDir: values['report-dir'] as string,
    ...(runs === undefined ? {} : { runs }),
    ...(timeSeconds === undefined ? {} : { timeSeconds }),
    ...(values.replay === undefined ? {} : { replay: values.replay as string }),
  }
}

function failUsage(message: string): never {
  throw new UsageError(message)
}

function progressPrinter(): (p: Progress) => void {
  const tty = process.stderr.isTTY === true
  let lastLine = 0
  return (p) => {
    const rate = p.elapsedMs > 0 ? Math.round((p.runs * 1000) / p.elapsedMs) : 0
    const line = `fuzz: ${p.property} ${p.runs} runs, ${rate} runs/s, ${p.failures} failures`
    if (tty) process.stderr.write(`\r${line}   `)
    else if (Date.now() - lastLine >= 5000) {
      lastLine = Date.now()
      process.stderr.write(`${line}\n`)
    }
  }
}

async function withTarget<T>(
  cli: Cli,
  needed: boolean,
  fn: (ctx: PropertyContext) => Promise<T>,
): Promise<T> {
  let target: RunningTarget | null = null
  if (needed) {
    target = await resolveTarget(cli.target)
    if (target === null) throw new UsageError(`bad --target ${cli.target}`)
  }
  try {
    return await fn({ make: defaultParser(), ...(target === null ? {} : { target }) })
  } finally {
    await target?.close()
  }
}

async function replay(cli: Cli, file: string): Promise<number> {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    property: string
    input: Json
    seed: number
    path: string | null
  }
  const prop = propertyByName(saved.property)
  if (prop === undefined) throw new UsageError(`${file}: unknown property ${saved.property}`)
  const failure = await withTarget(cli, prop.needsServer === true, (ctx) =>
    replayFailure(prop, saved.input, ctx),
  )
  process.stderr.write(
    `fuzz: replaying ${file} (property ${prop.name}, seed ${saved.seed}, path ${saved.path ?? '-'})\n`,
  )
  if (failure !== null) {
    process.stdout.write(`${JSON.stringify(failure.details ?? {}, null, 2)}\n`)
    process.stdout.write(`fuzz replay: ${prop.name} still fails: ${failure.reason}\n`)
    return 1
  }
  process.stdout.write(`fuzz replay: ${prop.name} holds for ${file}\n`)
  return 0
}

async function main(argv: string[]): Promise<number> {
  const cli = parseCli(argv)
  if (cli.replay !== undefined) return replay(cli, cli.replay)
  const started = Date.now()
  const needsServer = cli.properties.some((p) => p.needsServer === true)
  const regressions = loadRegressions()
  const shareMs =
    cli.timeSeconds === undefined
      ? undefined
      : Math.max(500, (cli.timeSeconds * 1000 - TIME_OVERHEAD_MS) / cli.properties.length)
  process.stderr.write(
    `fuzz: seed ${cli.seed}, ${cli.properties.map((p) => p.name).join(', ')}${shareMs === undefined ? '' : `, ${Math.round(shareMs / 100) / 10} s each`}\n`,
  )
  explainedCounts.clear()
  const onProgress = progressPrinter()
  const results: PropertyResult[] = await withTarget(cli, needsServer, async (ctx) => {
    const out: PropertyResult[] = []
    for (const prop of cli.properties) {
      const runs =
        shareMs !== undefined ? undefined : (cli.runs ?? (prop.needsServer ? DEFAULT_TCP_RUNS : DEFAULT_RUNS))
      const r = await runProperty(prop, {
        seed: cli.seed,
        ctx,
        regressions,
        reportDir: cli.reportDir,
        onProgress,
        shrinkTimeMs: 15_000,
        ...(runs === undefined ? {} : { runs }),
        ...(shareMs === undefined ? {} : { timeMs: shareMs }),
      })
      out.push(r)
      if (process.stderr.isTTY) process.stderr.write('\n')
      process.stderr.write(
        `fuzz: ${r.name} ${r.runs} runs in ${(r.durationMs / 1000).toFixed(1)} s, ${r.runsPerSecond} runs/s, ${r.regressions} regressions, ${r.failures.length} failures\n`,
      )
      for (const f of r.failures) {
        process.stderr.write(
          `fuzz: FAIL ${f.property}${f.class === undefined ? '' : ` [${f.class}]`}: ${f.reason}\n`,
        )
        process.stderr.write(
          `fuzz:   ${f.length} bytes: ${f.bytesEscaped.slice(0, 300)}${f.length > 300 ? '…' : ''}\n`,
        )
        if (f.replay !== undefined) process.stderr.write(`fuzz:   replay: ${f.replay}\n`)
      }
    }
    return out
  })
  const report = buildReport({
    results,
    seed: cli.seed,
    budget:
      cli.timeSeconds !== undefined ? { timeSeconds: cli.timeSeconds } : { runs: cli.runs ?? DEFAULT_RUNS },
    target: cli.target,
    durationMs: Date.now() - started,
    explained: explainedCounts,
  })
  writeReports(cli.reportDir, report)
  process.stdout.write(`${summaryLine(results, cli.seed)}\n`)
  return report.totals.failures > 0 ? 1 : 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      if (err.message !== '') process.stderr.write(`fuzz: ${err.message}\n`)
      process.stderr.write(`${USAGE}\n`)
      process.exit(err.message === '' ? 0 : 2)
    }
    process.stderr.write(`fuzz: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  },
)
