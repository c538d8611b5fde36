/**
 * Runs one property: its regressions first, then fast-check with a seed and a run or time
 * budget. A failure is shrunk (with extra time if the budget ran out mid-shrink), re-checked to
 * capture both parsers' results, and saved as a replayable JSON file.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { escapeBytes } from './outcome.ts'
import type { AnyProperty, Json, PropertyContext, PropertyFailure } from './properties/types.ts'
import type { Regression } from './regressions.ts'

export interface RunBudget {
  /** Stop after this many runs... */
  readonly runs?: number
  /** ...or after this many milliseconds, whichever comes first. */
  readonly timeMs?: number
}

export interface RunOptions extends RunBudget {
  readonly seed: number
  readonly ctx: PropertyContext
  readonly regressions?: readonly Regression[]
  /** Directory for failure files; none written when absent. */
  readonly reportDir?: string
  /** Extra time allowed to finish shrinking a failure found near the end of the budget. */
  readonly shrinkTimeMs?: number
  readonly onProgress?: (p: Progress) => void
}

export interface Progress {
  readonly property: string
  readonly runs: number
  readonly elapsedMs: number
  readonly failures: number
}

export interface FailureRecord {
  readonly property: string
  readonly source: 'fuzz' | 'regression'
  readonly seed: number
  /** fast-check's path to the shrunk counterexample (replay with seed + path). */
  readonly path: string | null
  /** The input was reduced further (ddmin) after fast-check's shrinking: seed + path give the larger one. */
  readonly reduced?: boolean
  readonly regression?: string
  readonly reason: string
  readonly class?: string
  readonly bytesBase64: string
  readonly bytesEscaped: string
  readonly length: number
  readonly input: Json
  readonly details?: unknown
  /** Where the record was saved, and the command that replays it. */
  readonly file?: string
  readonly replay?: string
}

export interface PropertyResult {
  readonly name: string
  readonly description: string
  readonly runs: number
  readonly durationMs: number
  readonly runsPerSecond: number
  readonly interrupted: boolean
  readonly regressions: number
  readonly failures: readonly FailureRecord[]
}

function record(
  prop: AnyProperty,
  input: unknown,
  failure: PropertyFailure,
  extra: {
    source: 'fuzz' | 'regression'
    seed: number
    path: string | null
    regression?: string
    reduced?: boolean
  },
): FailureRecord {
  const bytes = prop.bytes(input)
  return {
    property: prop.name,
    ...extra,
    reason: failure.reason,
    ...(failure.class === undefined ? {} : { class: failure.class }),
    bytesBase64: Buffer.from(bytes).toString('base64'),
    bytesEscaped: escapeBytes(bytes),
    length: bytes.length,
    input: prop.encode(input),
    details: failure.details,
  }
}

export function saveFailure(dir: string, f: FailureRecord): FailureRecord {
  mkdirSync(dir, { recursive: true })
  const name =
    f.source === 'regression'
      ? `${f.property}-regression-${path.basename(f.regression ?? 'x', '.json')}.json`
      : `${f.property}-${f.seed}.json`
  const file = path.join(dir, name)
  const rel = path.relative(process.cwd(), file)
  const replay = `npm run fuzz -- --replay ${rel}`
  const saved = { ...f, file: rel, replay }
  writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`)
  return saved
}

/** Two failures are the same kind when they differ only in numbers (offsets, counts, indexes). */
export function failureKind(f: PropertyFailure): string {
  return `${f.class ?? ''}|${f.reason.replace(/\d+/g, '#')}`
}

export async function runProperty(prop: AnyProperty, opts: RunOptions): Promise<PropertyResult> {
  const started = Date.now()
  const failures: FailureRecord[] = []
  const save = (f: FailureRecord) => (opts.reportDir === undefined ? f : saveFailure(opts.reportDir, f))

  // 1. Regressions first: each one is an input that once exposed a real bug.
  const regressions = (opts.regressions ?? []).filter((r) => r.property === prop.name)
  for (const r of regressions) {
    const input = prop.decode(r.input)
    const failure = await prop.check(input, opts.ctx)
    if (failure !== null) {
      failures.push(
        save(
          record(prop, input, failure, {
            source: 'regression',
            seed: opts.seed,
            path: null,
            regression: r.file,
          }),
        ),
      )
    }
  }

  // 2. Random inputs.
  let calls = 0
  let lastReport = started
  const predicate = async (input: unknown): Promise<boolean> => {
    calls++
    const now = Date.now()
    if (opts.onProgress !== undefined && now - lastReport >= 1000) {
      lastReport = now
      opts.onProgress({
        property: prop.name,
        runs: calls,
        elapsedMs: now - started,
        failures: failures.length,
      })
    }
    return (await prop.check(input, opts.ctx)) === null
  }
  const property = fc.asyncProperty(prop.arbitrary(opts.ctx), predicate)
  // Phase 1 finds a failure within the budget, without shrinking; phase 2 replays it (seed +
  // path) and shrinks it for at most shrinkTimeMs, so a slow property (TCP) stays bounded.
  const found = await fc.check(property, {
    seed: opts.seed,
    numRuns: opts.runs ?? 1_000_000_000,
    endOnFailure: true,
    ...(opts.timeMs === undefined ? {} : { interruptAfterTimeLimit: opts.timeMs }),
  })
  const runs = found.numRuns
  const fuzzEnded = Date.now()
  let details = found
  if (found.failed && found.counterexamplePath !== null) {
    const shrunk = await fc.check(property, {
      seed: found.seed,
      path: found.counterexamplePath,
      interruptAfterTimeLimit: opts.shrinkTimeMs ?? 15_000,
    })
    if (shrunk.failed && shrunk.counterexample !== null) details = shrunk
  }
  if (details.failed && details.counterexample !== null) {
    let input = details.counterexample[0]
    let failure = (await prop.check(input, opts.ctx)) ?? {
      reason:
        details.errorInstance instanceof Error
          ? `threw: ${details.errorInstance.message}`
          : 'failed (did not fail again on re-check)',
    }
    let reduced = false
    if (prop.reduce !== undefined) {
      const kind = failureKind(failure)
      const smaller = await prop.reduce(
        input,
        async (candidate) => {
          const f = await prop.check(candidate, opts.ctx)
          return f !== null && failureKind(f) === kind
        },
        Date.now() + (opts.shrinkTimeMs ?? 15_000),
      )
      const again = smaller === input ? null : await prop.check(smaller, opts.ctx)
      if (again !== null) {
        input = smaller
        failure = again
        reduced = true
      }
    }
    failures.push(
      save(
        record(prop, input, failure, {
          source: 'fuzz',
          seed: details.seed,
          path: details.counterexamplePath,
          reduced,
        }),
      ),
    )
  }

  const durationMs = fuzzEnded - started
  return {
    name: prop.name,
    description: prop.description,
    runs,
    durationMs,
    runsPerSecond: durationMs > 0 ? Math.round((runs * 1000) / durationMs) : runs,
    interrupted: found.interrupted,
    regressions: regressions.length,
    failures,
  }
}

/** Re-checks a saved failure: the stored input first (stable even if generators change). */
export async function replayFailure(
  prop: AnyProperty,
  json: Json,
  ctx: PropertyContext,
): Promise<PropertyFailure | null> {
  return prop.check(prop.decode(json), ctx)
}
