/**
 * Parser throughput: every (parser, fixture, feeding) is timed in `reps` separate processes,
 * interleaved (the parser order rotates), pinned to one CPU with taskset where it exists; the
 * figure is the median process. Equivalence and strictness are checked in-process first.
 */
import { execFile } from 'node:child_process'
import { tsScript } from '../lib/child.ts'
import { hasCommand } from '../lib/procfs.ts'
import { median, rotate, type Spread, spread } from '../lib/stats.ts'
import { ADAPTERS, PARSER_IDS, type ParserId } from './adapters.ts'
import { checkEquivalence, type Mismatch } from './equivalence.ts'
import { FIXTURE_IDS, FIXTURES, type FixtureId } from './fixtures.ts'
import { PROBES, probe, type Verdict } from './strictness.ts'
import type { Feeding, WorkerResult } from './worker.ts'

export interface ParserBenchOptions {
  readonly reps: number
  readonly ms: number
  readonly warmupMs: number
  /** CPU to pin to (taskset -c); null to not pin. */
  readonly cpu: number | null
  readonly feedings: readonly Feeding[]
  /** The worker compiled to JS (lib/build.ts), run on bare node; null runs worker.ts through tsx. */
  readonly compiledWorker?: string | null
  readonly log?: (line: string) => void
}

export interface ParserCell {
  readonly parser: ParserId
  readonly fixture: FixtureId
  readonly feeding: Feeding
  readonly mbPerSec: Spread
  readonly reqPerSec: Spread
  /** Median MB/s over llhttp's median MB/s for the same fixture and feeding. */
  readonly ratioToLlhttp: number
}

export interface ParserBenchResult {
  readonly pinned: string | null
  readonly command: string
  readonly fixtures: readonly { id: FixtureId; label: string; bytes: number }[]
  readonly parsers: readonly { id: ParserId; label: string; configuration: string }[]
  readonly equivalence: readonly Mismatch[]
  readonly strictness: {
    readonly probes: readonly { id: string; rule: string }[]
    readonly verdicts: Readonly<Record<ParserId, Record<string, Verdict>>>
  }
  readonly cells: readonly ParserCell[]
}

function runWorker(cmd: string[]): Promise<WorkerResult> {
  const [file, ...args] = cmd
  return new Promise((resolve, reject) => {
    execFile(file!, args, { timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${cmd.join(' ')}: ${err.message}\n${stderr}`))
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as WorkerResult)
    })
  })
}

export async function runParserBench(opts: ParserBenchOptions): Promise<ParserBenchResult> {
  const log = opts.log ?? (() => {})
  const equivalence = PARSER_IDS.flatMap((p) =>
    FIXTURE_IDS.flatMap((f) => checkEquivalence(ADAPTERS[p], FIXTURES[f])),
  )
  const verdicts = Object.fromEntries(PARSER_IDS.map((p) => [p, probe(ADAPTERS[p])])) as Record<
    ParserId,
    Record<string, Verdict>
  >
  const pin = opts.cpu !== null && hasCommand('taskset') ? ['taskset', '-c', String(opts.cpu)] : []
  const results: WorkerResult[] = []
  const workerArgs = (p: ParserId, f: FixtureId, feeding: Feeding): string[] => {
    const args = [
      '--parser',
      p,
      '--fixture',
      f,
      '--feeding',
      feeding,
      '--ms',
      String(opts.ms),
      '--warmup-ms',
      String(opts.warmupMs),
    ]
    const worker = opts.compiledWorker
      ? [process.execPath, opts.compiledWorker, ...args]
      : tsScript('bench/parser/worker.ts', args)
    return [...pin, ...worker]
  }
  let k = 0
  for (let rep = 0; rep < opts.reps; rep++) {
    for (const f of FIXTURE_IDS) {
      for (const feeding of opts.feedings) {
        for (const p of rotate(PARSER_IDS, k++)) {
          // A parser that failed the equivalence check is not timed: its speed would mean nothing.
          if (equivalence.some((m) => m.parser === p && m.fixture === f)) continue
          results.push(await runWorker(workerArgs(p, f, feeding)))
        }
        log(
          `  rep ${rep + 1}/${opts.reps} ${f} ${feeding}: ${results
            .slice(-PARSER_IDS.length)
            .map((r) => `${r.parser} ${r.mbPerSec.toFixed(0)} MB/s`)
            .join(', ')}`,
        )
      }
    }
  }
  const cells: ParserCell[] = []
  for (const f of FIXTURE_IDS) {
    for (const feeding of opts.feedings) {
      const of = (p: ParserId) =>
        results.filter((r) => r.parser === p && r.fixture === f && r.feeding === feeding)
      const llhttp = median(of('llhttp').map((r) => r.mbPerSec))
      for (const p of PARSER_IDS) {
        const rs = of(p)
        if (rs.length === 0) continue
        const mb = spread(rs.map((r) => r.mbPerSec))
        cells.push({
          parser: p,
          fixture: f,
          feeding,
          mbPerSec: mb,
          reqPerSec: spread(rs.map((r) => r.reqPerSec)),
          ratioToLlhttp: mb.median / llhttp,
        })
      }
    }
  }
  return {
    pinned: pin.length ? `taskset -c ${opts.cpu}` : null,
    command: workerArgs('sockhttp', 'get', 'stream')
      .map((a) =>
        a.replace(process.execPath, 'node').replace(/^.*\/(bench\/parser\/worker\.js)$/, '<build>/$1'),
      )
      .join(' '),
    fixtures: FIXTURE_IDS.map((id) => ({ id, label: FIXTURES[id].label, bytes: FIXTURES[id].bytes.length })),
    parsers: PARSER_IDS.map((id) => ({
      id,
      label: ADAPTERS[id].label,
      configuration: ADAPTERS[id].configuration,
    })),
    equivalence,
    strictness: { probes: PROBES.map((p) => ({ id: p.id, rule: p.rule })), verdicts },
    cells,
  }
}
