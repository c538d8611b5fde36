/**
 * Property 2, split-invariant: any segmentation of the same bytes yields the same events (body
 * data may come in different pieces, so consecutive body events are joined before comparing).
 */
import fc from 'fast-check'
import { concat } from '../arbitraries/model.ts'
import { type ByteCase, byteCase, pipeline, pipelineBytes } from '../arbitraries/stream.ts'
import { type RecordedEvent, runOurs } from '../oracle/ours.ts'
import { decodeByteCase, encodeByteCase, reduceByteCase } from './byte-case.ts'
import type { FuzzProperty } from './types.ts'

type Normal = { type: string; value: string }

/**
 * Events in a comparable form: heads as JSON, bodies joined and base64, errors by code and
 * stream offset (the offset is diagnostics, but it names the offending byte, so it too must not
 * depend on how the bytes arrived).
 */
export function normaliseEvents(events: readonly RecordedEvent[], withOffsets = true): Normal[] {
  const out: Normal[] = []
  let body: Uint8Array[] = []
  const flush = () => {
    if (body.length > 0) out.push({ type: 'body', value: Buffer.from(concat(body)).toString('base64') })
    body = []
  }
  for (const ev of events) {
    if (ev.type === 'body') {
      body.push(ev.data)
      continue
    }
    flush()
    if (ev.type === 'head') out.push({ type: 'head', value: JSON.stringify(ev.head) })
    else if (ev.type === 'end') out.push({ type: 'end', value: JSON.stringify(ev.trailers) })
    else out.push({ type: 'error', value: withOffsets ? `${ev.code}@${ev.offset}` : ev.code })
  }
  flush()
  return out
}

export const splitBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: pipeline({ allowClose: true, allowUpgrade: true }, 2, 8).map(pipelineBytes) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
)

export const splitProperty: FuzzProperty<ByteCase> = {
  name: 'split',
  description: 'any segmentation of the same bytes yields the same events',
  arbitrary: () => byteCase(splitBytes),
  async check(input, ctx) {
    const whole = runOurs(input.bytes, [input.bytes.length], ctx.make)
    const cut = runOurs(input.bytes, input.segments, ctx.make)
    if (whole.crash !== null || cut.crash !== null) return { reason: whole.crash ?? cut.crash ?? '' }
    const a = normaliseEvents(whole.events)
    const b = normaliseEvents(cut.events)
    const n = Math.max(a.length, b.length)
    for (let i = 0; i < n; i++) {
      const x = a[i]
      const y = b[i]
      if (x?.type !== y?.type || x?.value !== y?.value) {
        return {
          reason: `event ${i} differs: one write gives ${x === undefined ? 'nothing' : `${x.type} ${x.value}`}, ${input.segments.length} writes give ${y === undefined ? 'nothing' : `${y.type} ${y.value}`}`,
          details: { oneWrite: a, segmented: b },
        }
      }
    }
    return null
  },
  reduce: reduceByteCase,
  bytes: (input) => input.bytes,
  encode: encodeByteCase,
  decode: decodeByteCase,
}
