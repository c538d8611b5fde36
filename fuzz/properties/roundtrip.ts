/**
 * Property 3, round-trip: a generated valid request, serialized (by src/http1/serialize.ts, and
 * separately by the fuzzer's own encoder with its OWS, chunk extensions and leading zeros) and
 * parsed back, gives the same method, target, version, headers, body and trailers.
 */
import fc from 'fast-check'
import { serializeRequest } from '../../src/http1/serialize.ts'
import {
  type ExpectedMessage,
  encodeRequest,
  expectedMessage,
  modelFromJson,
  modelToJson,
  type RequestModel,
} from '../arbitraries/model.ts'
import { validRequest } from '../arbitraries/request.ts'
import { type ParserFactory, runOurs } from '../oracle/ours.ts'
import { escapeBytes, outcomeToJson, type ParsedMessage } from '../outcome.ts'
import type { FuzzProperty, Json, PropertyFailure } from './types.ts'

export interface RoundTripCase {
  readonly request: RequestModel
  /** Chunk sizes handed to serializeRequest when the request is chunked. */
  readonly sizes: readonly number[]
}

/** The request as src/http1/serialize.ts writes it (no OWS ornaments, plain chunk sizes). */
export function viaSerializer(c: RoundTripCase): Uint8Array {
  const r = c.request
  const b = r.body
  const headers = r.headers.map((f) => [f.name, f.value] as const)
  const version = r.version === 'HTTP/1.0' ? '1.0' : '1.1'
  if (b.kind === 'chunked') {
    return serializeRequest({
      method: r.method,
      target: r.target,
      version,
      headers,
      body: expectedMessage(r).body,
      chunked: { sizes: c.sizes, trailers: b.trailers.map((t) => [t.name, t.value] as const) },
    })
  }
  return serializeRequest({
    method: r.method,
    target: r.target,
    version,
    headers,
    body: expectedMessage(r).body,
  })
}

function mismatch(got: ParsedMessage, want: ExpectedMessage): string | null {
  if (got.method !== want.method) return 'method'
  if (got.target !== want.target) return 'target'
  if (got.version !== want.version) return 'version'
  if (JSON.stringify(got.headers) !== JSON.stringify(want.headers)) return 'headers'
  if (Buffer.compare(Buffer.from(got.body), Buffer.from(want.body)) !== 0) return 'body'
  if (JSON.stringify(got.trailers) !== JSON.stringify(want.trailers)) return 'trailers'
  return null
}

function checkOne(
  label: string,
  bytes: Uint8Array,
  want: ExpectedMessage,
  make: ParserFactory,
): PropertyFailure | null {
  const run = runOurs(bytes, [bytes.length], make)
  const o = run.outcome
  const details = { serializer: label, bytes: escapeBytes(bytes), ours: outcomeToJson(o) }
  if (run.crash !== null) return { reason: `${label}: ${run.crash}`, details }
  if (o.end.kind === 'error')
    return { reason: `${label}: parser rejected a valid request with ${o.end.code}`, details }
  if (o.messages.length !== 1)
    return { reason: `${label}: ${o.messages.length} messages parsed, expected 1`, details }
  const field = mismatch(o.messages[0]!, want)
  return field === null ? null : { reason: `${label}: ${field} differs after the round trip`, details }
}

export const roundTripProperty: FuzzProperty<RoundTripCase> = {
  name: 'roundtrip',
  description:
    'serialize a generated request, parse it back: same method, target, version, headers, body, trailers',
  arbitrary: () =>
    fc.record({
      request: validRequest({ allowClose: true, allowUpgrade: true }),
      sizes: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 6 }),
    }),
  async check(input, ctx) {
    const want = expectedMessage(input.request)
    return (
      checkOne('fuzz encoder', encodeRequest(input.request), want, ctx.make) ??
      checkOne('serializeRequest', viaSerializer(input), want, ctx.make)
    )
  },
  bytes: (input) => encodeRequest(input.request),
  encode: (input) => ({ request: modelToJson(input.request) as Json, sizes: [...input.sizes] }),
  decode: (json) => {
    const o = json as { request: Json; sizes: number[] }
    return { request: modelFromJson(o.request), sizes: o.sizes }
  },
}
