/**
 * Property 5, over TCP against a running server that speaks the reflect contract
 * (CONTRACTS.md §2):
 * - N pipelined valid requests, in any segmentation, get exactly N responses in order, each the
 *   reflection of its request;
 * - after any malformed stream the server answers a fresh connection normally;
 * - against sockhttp itself, the responses to a malformed stream are exactly what our parser's
 *   verdict on the same bytes implies: one reflection per request it accepted, then the error
 *   status, then close. So no handler ever sees a request the parser rejected.
 */
import fc from 'fast-check'
import type { RequestHead } from '../../src/http1/types.ts'
import {
  type ByteCase,
  pipeline,
  pipelineBytes,
  segmentation,
  segmentLengths,
} from '../arbitraries/stream.ts'
import { COMMON_METHODS } from '../arbitraries/token.ts'
import { defaultParser, runOurs } from '../oracle/ours.ts'
import { escapeBytes, outcomeToJson, type ParsedMessage, pairs } from '../outcome.ts'
import { exchange, type WireResponse } from '../tcp/client.ts'
import { decodeByteCase, encodeByteCase } from './byte-case.ts'
import type { FuzzProperty, Json, PropertyFailure, TcpTarget } from './types.ts'

export interface TcpCase extends ByteCase {
  readonly malformed: boolean
}

const TIMEOUT_MS = 3000
const FRESH_REQUEST = Buffer.from('GET /fuzz-fresh?x=1 HTTP/1.1\r\nHost: fuzz.invalid\r\n\r\n', 'latin1')

interface Reflected {
  method: string
  target: string
  version: string
  headers: [string, string][]
  trailers: [string, string][]
  body: string
}

function reflected(r: WireResponse): Reflected | null {
  try {
    return JSON.parse(r.body.toString('utf8')) as Reflected
  } catch {
    return null
  }
}

/** Whether a response is the reflection of `m`; a description of the first difference otherwise. */
export function reflectionDiff(r: WireResponse, m: ParsedMessage): string | null {
  if (r.status !== 200) return `status ${r.status}, expected 200`
  // RFC 9110 §9.3.2: the answer to HEAD has no content, so there is nothing to compare.
  if (m.method === 'HEAD') return null
  const j = reflected(r)
  if (j === null) return 'body is not reflect JSON'
  if (j.method !== m.method) return `method ${JSON.stringify(j.method)} != ${JSON.stringify(m.method)}`
  if (j.target !== m.target) return `target ${JSON.stringify(j.target)} != ${JSON.stringify(m.target)}`
  if (j.version !== m.version) return `version ${j.version} != ${m.version}`
  if (JSON.stringify(j.headers) !== JSON.stringify(pairs(m.headers))) return 'headers differ'
  if (JSON.stringify(j.trailers) !== JSON.stringify(pairs(m.trailers))) return 'trailers differ'
  if (j.body !== Buffer.from(m.body).toString('base64')) return 'body differs'
  return null
}

/**
 * What the server must answer, given our parser's verdict on the same bytes: how many responses
 * must be reflections, and how the stream's ending can be checked. `heads` are every head the
 * parser read, including that of a request it then rejected in its body.
 */
function expectations(
  messages: readonly ParsedMessage[],
  heads: readonly RequestHead[],
): { reflect: number; stop: 'none' | 'close' | 'special'; special?: number } {
  for (let i = 0; i < heads.length; i++) {
    const h = heads[i]!
    // RFC 9110 §9.3.6: sockhttp answers CONNECT with 501 (an Upgrade offer is simply declined,
    // §7.8, and reflected like any request); §10.1.1: an
    // expectation it cannot meet with 417. Both before reading any body, so a body error after
    // such a head is never seen.
    if (h.upgrade === 'CONNECT') return { reflect: i, stop: 'special', special: 501 }
    if (h.unsupportedExpect !== null) return { reflect: i, stop: 'special', special: 417 }
    if (i < messages.length && !messages[i]!.keepAlive) return { reflect: i + 1, stop: 'close' }
  }
  return { reflect: messages.length, stop: 'none' }
}

async function freshConnectionWorks(t: TcpTarget): Promise<string | null> {
  const x = await exchange(t.host, t.port, FRESH_REQUEST, [FRESH_REQUEST.length], {
    methods: ['GET'],
    expect: 1,
    halfClose: false,
    timeoutMs: TIMEOUT_MS,
  })
  const r = x.responses.find((res) => res.status >= 200)
  if (r === undefined) return `no response on a fresh connection (${x.timedOut ? 'timed out' : 'closed'})`
  if (r.status !== 200 || reflected(r)?.target !== '/fuzz-fresh?x=1')
    return `fresh connection answered ${r.status}`
  return null
}

export async function checkTcp(input: TcpCase, target: TcpTarget): Promise<PropertyFailure | null> {
  const run = runOurs(input.bytes, [input.bytes.length], defaultParser())
  const ours = run.outcome
  // Every head the parser read, including that of a request rejected in its body: the error
  // response to a HEAD request has no body either.
  const heads = run.events.flatMap((e) => (e.type === 'head' ? [e.head] : []))
  const methods = heads.map((h) => h.method)
  const plan = expectations(ours.messages, heads)
  const x = await exchange(target.host, target.port, input.bytes, input.segments, {
    methods,
    halfClose: input.malformed,
    timeoutMs: TIMEOUT_MS,
    ...(input.malformed ? {} : { expect: plan.reflect }),
  })
  const finals = x.responses.filter((r) => r.status >= 200)
  const fail = (reason: string): PropertyFailure => ({
    reason,
    details: {
      ours: outcomeToJson(ours),
      responses: finals.map((r) => ({ status: r.status, body: r.body.toString('latin1').slice(0, 2000) })),
      closed: x.closed,
      timedOut: x.timedOut,
      bytes: escapeBytes(input.bytes),
    },
  })
  if (x.garbage !== null) return fail(`unreadable response: ${x.garbage}`)
  if (!input.malformed || target.isSockhttp) {
    for (let i = 0; i < plan.reflect; i++) {
      const r = finals[i]
      if (r === undefined)
        return fail(
          `${finals.length} responses for ${plan.reflect} accepted requests (${x.timedOut ? 'timed out' : 'closed'})`,
        )
      const diff = reflectionDiff(r, ours.messages[i]!)
      if (diff !== null) return fail(`response ${i} is not the reflection of request ${i}: ${diff}`)
    }
  }
  if (input.malformed && target.isSockhttp && plan.special !== undefined) {
    const r = finals[plan.reflect]
    if (r !== undefined && r.status !== plan.special)
      return fail(`answered ${r.status} where ${plan.special} was due`)
  }
  if (input.malformed && target.isSockhttp && plan.stop === 'none') {
    const extra = finals.slice(plan.reflect)
    if (ours.end.kind === 'error') {
      // The rejected request must never reach the app: one error response (optional when the
      // stream simply ended mid-request), then nothing.
      const first = extra[0]
      const optional = ours.end.code === 'INCOMPLETE_MESSAGE'
      if (first === undefined && !optional)
        return fail(`no ${ours.end.status} response after ${ours.end.code}`)
      if (first !== undefined && first.status !== ours.end.status) {
        return fail(`answered ${first.status} where the parser says ${ours.end.code} (${ours.end.status})`)
      }
      if (extra.length > 1) return fail(`${extra.length - 1} responses after the ${ours.end.code} rejection`)
    } else if (extra.length > 0) {
      return fail(`${extra.length} responses beyond the ${plan.reflect} requests the parser accepted`)
    }
  }
  if (input.malformed) {
    const fresh = await freshConnectionWorks(target)
    if (fresh !== null) return fail(`after a malformed stream: ${fresh}`)
  }
  return null
}

const validStream = fc.tuple(pipeline({ allowUpgrade: true }, 0, 20), segmentation).map(function validCase([
  items,
  seg,
]): TcpCase {
  const bytes = pipelineBytes(items)
  return { bytes, segments: segmentLengths(bytes.length, seg), malformed: false }
})

const portableValidStream = fc
  .tuple(
    pipeline({}, 0, 20).map((items) =>
      items.filter(
        (i) => i.kind === 'valid' && (COMMON_METHODS as readonly string[]).includes(i.request.method),
      ),
    ),
    segmentation,
  )
  .filter(([items]) => items.length > 0)
  .map(function portableCase([items, seg]): TcpCase {
    const bytes = pipelineBytes(items)
    return { bytes, segments: segmentLengths(bytes.length, seg), malformed: false }
  })

const malformedStream = fc.tuple(pipeline({}, 3, 6), segmentation).map(function malformedCase([
  items,
  seg,
]): TcpCase {
  const bytes = pipelineBytes(items)
  return {
    bytes,
    segments: segmentLengths(bytes.length, seg),
    malformed: items.some((i) => i.kind === 'mutated'),
  }
})

export const tcpProperty: FuzzProperty<TcpCase> = {
  name: 'tcp',
  description:
    'over TCP: N pipelined requests get N reflections in order; malformed streams never reach a handler; fresh connections still work',
  needsServer: true,
  arbitrary: (ctx) =>
    ctx.target === undefined || ctx.target.isSockhttp
      ? fc.oneof(validStream, malformedStream)
      : // Another implementation is only held to what every HTTP/1.1 server shares: registered
        // methods (llhttp refuses extension methods, see node-quirks.ts).
        fc.oneof(portableValidStream, malformedStream),
  async check(input, ctx) {
    if (ctx.target === undefined) return { reason: 'no TCP target' }
    return checkTcp(input, ctx.target)
  },
  bytes: (input) => input.bytes,
  encode: (input) => ({ ...(encodeByteCase(input) as { [k: string]: Json }), malformed: input.malformed }),
  decode: (json) => ({ ...decodeByteCase(json), malformed: (json as { malformed: boolean }).malformed }),
}
