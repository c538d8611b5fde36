/**
 * Runs the catalog against a target: every wire case once in one write, then (split mode) again with
 * its bytes cut into many writes; scenario cases through their real client. Cases run concurrently
 * with a bound, so the whole default run stays well under a minute on two cores.
 */
import { type Observation, runRaw } from './clients/raw.ts'
import type { RunningTarget } from './targets/index.ts'
import type { Case, Level, Outcome, ScenarioCase, WireCase } from './types.ts'
import { describeOutcome, judge } from './verdict.ts'
import { concat, escapeBytes } from './wire/bytes.ts'
import { DEFAULT_SPLIT, hashString, splitAt, splitPoints } from './wire/split.ts'

export type Status = 'pass' | 'warn' | 'fail' | 'skip'

export interface SplitResult {
  /** Number of writes the longest send step was cut into. */
  readonly writes: number
  readonly seed: number
  readonly outcome: string | null
  readonly actual: string
  readonly agrees: boolean
}

export interface CaseResult {
  readonly id: string
  readonly group: string
  readonly rfc: string
  readonly section: string
  readonly level: Level
  readonly requirement: string
  readonly kind: 'wire' | 'scenario' | 'split'
  readonly client: string
  readonly status: Status
  /** The allowed outcome that matched, if any. */
  readonly outcome: string | null
  readonly expected: readonly string[]
  readonly actual: string
  /** Why it warned, failed or was skipped. */
  readonly reason: string | null
  readonly mismatches: readonly string[]
  /** The request bytes (escaped), for wire cases. */
  readonly request: string | null
  /** The response bytes (escaped, capped). */
  readonly response: string | null
  readonly elapsedMs: number
  readonly split: SplitResult | null
}

export interface RunOptions {
  readonly timeoutMs: number
  readonly split: boolean
  readonly strict: boolean
  readonly concurrency: number
  readonly seed: number
  /** Pause between split writes (ms). */
  readonly splitPauseMs: number
  readonly onResult?: (r: CaseResult) => void
}

export const DEFAULT_RUN: RunOptions = {
  timeoutMs: 2000,
  split: true,
  strict: false,
  concurrency: 8,
  seed: 1,
  splitPauseMs: 1,
}

interface Grouped {
  readonly group: string
  readonly c: Case
}

function maxResponses(outcomes: readonly Outcome[]): number {
  return Math.max(1, ...outcomes.map((o) => o.responses.length))
}

function usesReflect(o: Outcome): boolean {
  return o.responses.some((r) => r.reflect !== undefined)
}

function requestBytes(c: WireCase): Uint8Array {
  return concat(c.steps.flatMap((s) => (s.kind === 'send' ? [s.bytes] : [])))
}

function base(g: Grouped, client: string) {
  const c = g.c
  return {
    id: c.id,
    group: g.group,
    rfc: c.rfc,
    section: c.section,
    level: c.level,
    requirement: c.requirement,
    client,
  }
}

function statusFor(
  level: Level,
  outcome: Outcome | null,
  strict: boolean,
): { status: Status; reason: string | null } {
  if (outcome) {
    if (!outcome.warn) return { status: 'pass', reason: null }
    return { status: strict ? 'fail' : 'warn', reason: outcome.warn }
  }
  if (level === 'SHOULD')
    return { status: strict ? 'fail' : 'warn', reason: 'no allowed outcome matched (SHOULD)' }
  return { status: 'fail', reason: 'no allowed outcome matched' }
}

async function observe(
  c: WireCase,
  target: RunningTarget,
  opts: RunOptions,
  splitter: ((b: Uint8Array) => Uint8Array[]) | null,
): Promise<Observation> {
  const endpoint = c.app === 'hello' ? target.hello! : target.reflect
  const timeoutCase = c.usesHeadersTimeout === true
  const ht = target.headersTimeoutMs ?? 0
  return runRaw({
    host: endpoint.host,
    port: endpoint.port,
    steps: c.steps,
    ...(c.methods ? { methods: c.methods } : {}),
    expectResponses: maxResponses(c.outcomes),
    timeoutMs: timeoutCase ? ht + timeoutSlack(ht) + 500 : opts.timeoutMs,
    splitter,
    splitPauseMs: opts.splitPauseMs,
    probe: !timeoutCase && c.probe !== false,
  })
}

/** How late a headers-timeout answer may come: timers are checked periodically by most servers. */
export function timeoutSlack(headersTimeoutMs: number): number {
  return Math.max(1000, headersTimeoutMs)
}

function skipReason(c: WireCase, target: RunningTarget): string | null {
  if (c.app === 'hello' && !target.hello) return 'needs the hello app (in-process targets only)'
  if (c.usesHeadersTimeout && target.headersTimeoutMs === null)
    return 'needs the target headers timeout (pass --headers-timeout MS)'
  if (c.requiresReflect && !target.speaksReflect) return 'needs the reflect app (pass --reflect)'
  return null
}

async function runWire(
  g: Grouped & { c: WireCase },
  target: RunningTarget,
  opts: RunOptions,
): Promise<CaseResult[]> {
  const c = g.c
  const req = requestBytes(c)
  const expected = c.outcomes.map(describeOutcome)
  const common = { ...base(g, 'net'), kind: 'wire' as const, expected, request: escapeBytes(req, 2000) }
  const skip = skipReason(c, target)
  if (skip) {
    return [
      {
        ...common,
        status: 'skip',
        outcome: null,
        actual: 'not run',
        reason: skip,
        mismatches: [],
        response: null,
        elapsedMs: 0,
        split: null,
      },
    ]
  }
  const reflect = target.speaksReflect
  const jopts = { reflect, probeReflect: reflect && c.app !== 'hello' }
  const obs = await observe(c, target, opts, null)
  const j = judge(c.outcomes, obs, jopts)
  let { status, reason } = statusFor(c.level, j.outcome, opts.strict)
  if (c.usesHeadersTimeout && j.outcome && target.headersTimeoutMs !== null) {
    const limit = target.headersTimeoutMs + timeoutSlack(target.headersTimeoutMs)
    if (obs.elapsedMs > limit) {
      const late = statusFor(c.level, null, opts.strict)
      status = late.status
      reason = `answered after ${obs.elapsedMs} ms, limit ${limit} ms (timeout ${target.headersTimeoutMs} ms + slack)`
    }
  }
  if (!reflect && j.outcome && usesReflect(j.outcome) && status === 'pass') {
    status = 'skip'
    reason = `matched "${j.outcome.name}", but the parsed fields cannot be checked without --reflect`
  }
  let split: SplitResult | null = null
  const results: CaseResult[] = []
  if (opts.split && c.split !== false && req.length > 1 && status !== 'skip') {
    const seed = (hashString(c.id) ^ opts.seed) >>> 0
    let writes = 0
    const splitter = (bytes: Uint8Array): Uint8Array[] => {
      const pieces = splitAt(bytes, splitPoints(bytes.length, { ...DEFAULT_SPLIT, seed }))
      writes = Math.max(writes, pieces.length)
      return pieces
    }
    const sObs = await observe(c, target, opts, splitter)
    const sj = judge(c.outcomes, sObs, jopts)
    const agrees = (sj.outcome?.name ?? null) === (j.outcome?.name ?? null)
    split = { writes, seed, outcome: sj.outcome?.name ?? null, actual: sj.actual, agrees }
    if (!agrees) {
      results.push({
        ...common,
        id: `${c.id}~split`,
        kind: 'split',
        level: 'MUST',
        status: 'fail',
        outcome: sj.outcome?.name ?? null,
        expected: [`same verdict as one write: ${j.outcome?.name ?? `no match (${j.actual})`}`],
        actual: sj.actual,
        reason: `split into ${writes} writes (seed ${seed}), the verdict changed`,
        mismatches: sj.mismatches,
        response: escapeBytes(sObs.received, 1500),
        elapsedMs: sObs.elapsedMs,
        split,
      })
    }
  }
  results.unshift({
    ...common,
    status,
    outcome: j.outcome?.name ?? null,
    actual: j.actual,
    reason,
    mismatches: j.outcome ? [] : j.mismatches,
    response: escapeBytes(obs.received, 1500),
    elapsedMs: obs.elapsedMs,
    split,
  })
  return results
}

async function runScenario(
  g: Grouped & { c: ScenarioCase },
  target: RunningTarget,
  opts: RunOptions,
): Promise<CaseResult> {
  const c = g.c
  const started = performance.now()
  let r: Awaited<ReturnType<ScenarioCase['run']>>
  try {
    r = await c.run({
      target: {
        host: target.reflect.host,
        port: target.reflect.port,
        reflect: target.speaksReflect,
        ...(target.connectionsAccepted ? { connectionsAccepted: target.connectionsAccepted } : {}),
      },
      timeoutMs: Math.max(opts.timeoutMs, 5000),
    })
  } catch (err) {
    r = { status: 'fail', detail: `client error: ${err instanceof Error ? err.message : String(err)}` }
  }
  let status: Status = r.status
  if (status === 'warn' && opts.strict) status = 'fail'
  if (status === 'fail' && c.level === 'SHOULD' && !opts.strict) status = 'warn'
  return {
    ...base(g, c.client),
    kind: 'scenario',
    status,
    outcome: status === 'pass' ? r.detail : null,
    expected: [r.expected ?? c.requirement],
    actual: r.detail,
    reason: status === 'pass' ? null : r.detail,
    mismatches: [],
    request: null,
    response: null,
    elapsedMs: Math.round(performance.now() - started),
    split: null,
  }
}

/** Runs cases with at most `concurrency` in flight; results come back in catalog order. */
export async function runCases(
  cases: readonly Grouped[],
  target: RunningTarget,
  opts: RunOptions = DEFAULT_RUN,
): Promise<CaseResult[]> {
  const out: CaseResult[][] = new Array(cases.length)
  const wireIdx = cases.flatMap((g, i) => (g.c.kind === 'wire' ? [i] : []))
  const scenarioIdx = cases.flatMap((g, i) => (g.c.kind === 'scenario' ? [i] : []))
  let next = 0
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = wireIdx[next++]
      if (i === undefined) return
      out[i] = await runWire(cases[i] as Grouped & { c: WireCase }, target, opts)
      for (const r of out[i]!) opts.onResult?.(r)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker))
  // Scenarios one at a time, after the wire cases: they count the target's accepted connections.
  for (const i of scenarioIdx) {
    out[i] = [await runScenario(cases[i] as Grouped & { c: ScenarioCase }, target, opts)]
    for (const r of out[i]!) opts.onResult?.(r)
  }
  return out.flat()
}

export interface Summary {
  pass: number
  fail: number
  warn: number
  skip: number
  /** MUST-level failures (split disagreements included). */
  mustFail: number
}

export function summarize(results: readonly CaseResult[]): Summary {
  const s: Summary = { pass: 0, fail: 0, warn: 0, skip: 0, mustFail: 0 }
  for (const r of results) {
    s[r.status]++
    if (r.status === 'fail' && r.level !== 'SHOULD') s.mustFail++
  }
  return s
}
