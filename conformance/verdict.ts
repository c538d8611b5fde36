/**
 * Judging an observation against the outcomes a case allows. The first outcome that matches wins;
 * if none does, the explanation for the closest one is kept so the report can say what differed.
 */
import { type Observation, PROBE_TARGET } from './clients/raw.ts'
import type { Outcome, ReflectExpect, ResponseExpect, StatusMatch } from './types.ts'
import { toLatin1 } from './wire/bytes.ts'
import { headerValue, type ParsedResponse } from './wire/response-reader.ts'

export interface JudgeOptions {
  /** The target speaks the reflect contract, so reflect checks apply. */
  readonly reflect: boolean
  /** The probe was answered by the reflect app (so its echoed target shows desynchronisation). */
  readonly probeReflect?: boolean
}

export interface Judgement {
  /** The matching outcome, or null. */
  readonly outcome: Outcome | null
  /** Why each outcome did not match (outcome name → reason), for failure messages. */
  readonly mismatches: readonly string[]
  /** What happened, in one line. */
  readonly actual: string
}

/** Statuses that mean "the request was rejected as malformed or too large". */
const REJECTIONS = new Set([400, 408, 411, 413, 414, 417, 431, 501, 505])

export function statusMatches(want: StatusMatch, got: number, reflect: boolean): boolean {
  if (want === 'accepted') return reflect ? got === 200 : got < 500 && !REJECTIONS.has(got)
  if (typeof want === 'number') return want === got
  return want.includes(got)
}

export function describeStatus(want: StatusMatch): string {
  if (want === 'accepted') return 'accepted (200)'
  if (typeof want === 'number') return String(want)
  return want.join('|')
}

export interface ReflectBody {
  method: string
  target: string
  version: string
  headers: [string, string][]
  trailers: [string, string][]
  body: string
}

export function parseReflect(res: ParsedResponse): ReflectBody | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(res.body))
    if (typeof value !== 'object' || value === null) return null
    const v = value as Record<string, unknown>
    if (typeof v.method !== 'string' || typeof v.target !== 'string' || !Array.isArray(v.headers)) return null
    return {
      method: v.method,
      target: v.target,
      version: String(v.version),
      headers: v.headers as [string, string][],
      trailers: Array.isArray(v.trailers) ? (v.trailers as [string, string][]) : [],
      body: typeof v.body === 'string' ? toLatin1(Buffer.from(v.body, 'base64')) : '',
    }
  } catch {
    return null
  }
}

function checkReflect(want: ReflectExpect, res: ParsedResponse): string | null {
  const got = parseReflect(res)
  if (!got) return 'response body is not a reflect JSON document'
  if (want.method !== undefined && got.method !== want.method)
    return `method ${JSON.stringify(got.method)} ≠ ${JSON.stringify(want.method)}`
  if (want.target !== undefined && got.target !== want.target)
    return `target ${JSON.stringify(got.target)} ≠ ${JSON.stringify(want.target)}`
  if (want.version !== undefined && got.version !== want.version)
    return `version ${JSON.stringify(got.version)} ≠ ${JSON.stringify(want.version)}`
  if (want.headers !== undefined && JSON.stringify(got.headers) !== JSON.stringify(want.headers))
    return `headers ${JSON.stringify(got.headers)} ≠ ${JSON.stringify(want.headers)}`
  if (want.fields !== undefined) {
    for (const [name, value] of Object.entries(want.fields)) {
      const have = headerValue(got.headers, name) ?? null
      const ok = value instanceof RegExp ? have !== null && value.test(have) : have === value
      if (!ok)
        return `field ${name}: ${JSON.stringify(have)} ≠ ${value instanceof RegExp ? String(value) : JSON.stringify(value)}`
    }
  }
  if (want.body !== undefined && got.body !== want.body)
    return `body ${JSON.stringify(got.body)} ≠ ${JSON.stringify(want.body)}`
  if (want.trailers !== undefined && JSON.stringify(got.trailers) !== JSON.stringify(want.trailers))
    return `trailers ${JSON.stringify(got.trailers)} ≠ ${JSON.stringify(want.trailers)}`
  return null
}

function checkResponse(want: ResponseExpect, res: ParsedResponse, opts: JudgeOptions): string | null {
  if (!statusMatches(want.status, res.status, opts.reflect))
    return `status ${res.status}, expected ${describeStatus(want.status)}`
  if (want.version !== undefined && res.version !== want.version)
    return `status line version ${res.version}, expected ${want.version}`
  const interim = want.interim ?? 'allowed'
  if (interim === 'required' && !res.interim.some((i) => i.status === 100)) return 'no 100 Continue before it'
  if (interim === 'forbidden' && res.interim.length > 0) return `unexpected ${res.interim[0]!.status} interim`
  for (const [name, value] of Object.entries(want.headers ?? {})) {
    const have = headerValue(res.headers, name)
    if (value === null) {
      if (have !== undefined) return `response field ${name}: ${JSON.stringify(have)} should be absent`
    } else if (have === undefined) {
      return `response field ${name} missing`
    } else if (typeof value === 'string' ? have.toLowerCase() !== value.toLowerCase() : !value.test(have)) {
      return `response field ${name}: ${JSON.stringify(have)} ≠ ${String(value)}`
    }
  }
  if (want.bodyEmpty && res.body.length > 0) return `body of ${res.body.length} bytes, expected none`
  if (want.reflect && opts.reflect) return checkReflect(want.reflect, res)
  return null
}

/** The connection state, with the probe checked for desynchronisation. */
export function connectionState(obs: Observation, opts: JudgeOptions): 'open' | 'close' | 'hung' | 'desync' {
  if (obs.connection !== 'open' || !obs.probe) return obs.connection
  const p = obs.probe
  if (REJECTIONS.has(p.status)) return 'desync'
  if (opts.probeReflect ?? opts.reflect) {
    const r = parseReflect(p)
    if (!r || r.target !== PROBE_TARGET || r.method !== 'GET') return 'desync'
  }
  return 'open'
}

export function summarize(obs: Observation, opts: JudgeOptions): string {
  const parts = obs.responses.map((r) => {
    const i = r.interim.map((x) => `${x.status}→`).join('')
    return `${i}${r.status}`
  })
  let s = parts.length === 0 ? 'no response' : parts.join(', ')
  s += `; connection ${connectionState(obs, opts)}`
  if (obs.reset) s += ' (reset)'
  if (obs.readerError) s += `; malformed response: ${obs.readerError}`
  return s
}

function checkOutcome(outcome: Outcome, obs: Observation, opts: JudgeOptions): string | null {
  if (obs.readerError) return `malformed response: ${obs.readerError}`
  if (obs.responses.length !== outcome.responses.length)
    return `${obs.responses.length} response(s), expected ${outcome.responses.length}`
  for (let i = 0; i < outcome.responses.length; i++) {
    const why = checkResponse(outcome.responses[i]!, obs.responses[i]!, opts)
    if (why) return outcome.responses.length > 1 ? `response ${i + 1}: ${why}` : why
  }
  const conn = connectionState(obs, opts)
  if (outcome.connection === 'close' && conn !== 'close') return `connection ${conn}, expected close`
  if (outcome.connection === 'open' && conn !== 'open') return `connection ${conn}, expected open`
  if (outcome.connection === 'any' && conn === 'desync') return 'connection desynchronised'
  return null
}

export function judge(outcomes: readonly Outcome[], obs: Observation, opts: JudgeOptions): Judgement {
  const mismatches: string[] = []
  for (const outcome of outcomes) {
    const why = checkOutcome(outcome, obs, opts)
    if (why === null) return { outcome, mismatches, actual: summarize(obs, opts) }
    mismatches.push(`${outcome.name}: ${why}`)
  }
  return { outcome: null, mismatches, actual: summarize(obs, opts) }
}

export function describeOutcome(o: Outcome): string {
  const rs = o.responses.map((r) => describeStatus(r.status)).join(', ') || 'no response'
  return `${o.name} [${rs}; ${o.connection}]${o.warn ? ' (warning)' : ''}`
}
