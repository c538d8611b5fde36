/**
 * Small builders that keep the catalog readable: request strings, steps, and the outcome lists
 * that recur (rejected with a status, accepted as reflected, framing errors that must close).
 */
import type { Level, Outcome, ReflectExpect, ResponseExpect, Rfc, Step, WireCase } from '../types.ts'
import { latin1 } from '../wire/bytes.ts'

export const CRLF = '\r\n'
export const HOST = 'Host: x\r\n'

/** A request head from its lines: the request-line and field lines, CRLF-terminated, plus the empty line. */
export function head(...lines: string[]): string {
  return `${lines.map((l) => `${l}\r\n`).join('')}\r\n`
}

export function get(target = '/', extra: string[] = [], version = '1.1'): string {
  return head(`GET ${target} HTTP/${version}`, 'Host: x', ...extra)
}

export function post(body: string, extra: string[] = []): string {
  return head('POST / HTTP/1.1', 'Host: x', `Content-Length: ${body.length}`, ...extra) + body
}

export function chunkedPost(chunked: string, extra: string[] = []): string {
  return head('POST / HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked', ...extra) + chunked
}

export const send = (bytes: string | Uint8Array, split = true): Step => ({
  kind: 'send',
  bytes: typeof bytes === 'string' ? latin1(bytes) : bytes,
  ...(split ? {} : { split: false }),
})
export const pause = (ms: number): Step => ({ kind: 'pause', ms })
export const awaitResponse = (count = 1): Step => ({ kind: 'await-response', count })
export const awaitInterim: Step = { kind: 'await-interim' }
export const shutdown: Step = { kind: 'shutdown' }

export const WARN_OPEN_AFTER_ERROR = 'kept the connection open after rejecting a request it could not parse'
export const WARN_SILENT_CLOSE = 'closed the connection without sending an error status'

function statusName(status: number | readonly number[]): string {
  return typeof status === 'number' ? String(status) : status.join('|')
}

/**
 * A rejection of a malformed request: the status and then close. Closing silently, or answering
 * but keeping the connection open, are tolerated as warnings (RFC 9112 §3, §5 say SHOULD respond 400).
 */
export function reject(status: number | readonly number[] = 400): Outcome[] {
  const s = statusName(status)
  return [
    { name: `rejected with ${s}`, responses: [{ status }], connection: 'close' },
    {
      name: `rejected with ${s} but left open`,
      responses: [{ status }],
      connection: 'open',
      warn: WARN_OPEN_AFTER_ERROR,
    },
    { name: 'closed without a response', responses: [], connection: 'close', warn: WARN_SILENT_CLOSE },
  ]
}

/**
 * A framing error (RFC 9112 §6.3): the server MUST answer with the status and close, because it
 * cannot know where the next request starts. Only a silent close is tolerated, as a warning.
 */
export function rejectFraming(status: number | readonly number[] = 400): Outcome[] {
  const s = statusName(status)
  return [
    { name: `rejected with ${s} and closed`, responses: [{ status }], connection: 'close' },
    { name: 'closed without a response', responses: [], connection: 'close', warn: WARN_SILENT_CLOSE },
  ]
}

/** The request was accepted and (against reflect) parsed as described. */
export function accept(
  reflect?: ReflectExpect,
  name = 'accepted',
  extra: Partial<ResponseExpect> = {},
): Outcome {
  return {
    name,
    responses: [{ status: 'accepted', ...(reflect ? { reflect } : {}), ...extra }],
    connection: 'open',
  }
}

/** Accepted, but against a SHOULD: reported as a warning. */
export function acceptWarn(warn: string, reflect?: ReflectExpect, name = 'accepted'): Outcome {
  return { ...accept(reflect, name), warn }
}

/** Accepted and then closed: allowed after requests the server distrusts (e.g. CL with TE). */
export function acceptThenClose(reflect?: ReflectExpect, name = 'accepted, then closed'): Outcome {
  return { name, responses: [{ status: 'accepted', ...(reflect ? { reflect } : {}) }], connection: 'close' }
}

export interface WireSpec {
  readonly id: string
  readonly rfc?: Rfc
  readonly section: string
  readonly level: Level
  readonly requirement: string
  /** One write of these bytes (shorthand for steps: [send(...)]). */
  readonly send?: string | Uint8Array
  readonly steps?: readonly Step[]
  readonly outcomes: readonly (Outcome | readonly Outcome[])[]
  readonly methods?: readonly string[]
  readonly split?: boolean
  readonly probe?: boolean
  readonly usesHeadersTimeout?: boolean
  readonly requiresReflect?: boolean
  readonly app?: 'reflect' | 'hello'
}

export function wire(spec: WireSpec): WireCase {
  const steps = spec.steps ?? (spec.send !== undefined ? [send(spec.send)] : [])
  return {
    kind: 'wire',
    id: spec.id,
    rfc: spec.rfc ?? 'RFC 9112',
    section: spec.section,
    level: spec.level,
    requirement: spec.requirement,
    steps,
    outcomes: spec.outcomes.flat(),
    ...(spec.methods ? { methods: spec.methods } : {}),
    ...(spec.split === false ? { split: false } : {}),
    ...(spec.probe === false ? { probe: false } : {}),
    ...(spec.usesHeadersTimeout ? { usesHeadersTimeout: true } : {}),
    ...(spec.requiresReflect ? { requiresReflect: true } : {}),
    ...(spec.app && spec.app !== 'reflect' ? { app: spec.app } : {}),
  }
}
