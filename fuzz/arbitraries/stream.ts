/** Streams: pipelines of requests, and the ways a stream can be cut into TCP writes. */
import fc from 'fast-check'
import { applyMutations, type MutatedRequest, mutatedRequest } from '../mutators/operators.ts'
import { concat, encodeRequest, type RequestModel } from './model.ts'
import { type RequestOptions, validRequest } from './request.ts'

/** How a byte stream is cut into writes: one write, one byte per write, or cut at positions. */
export type Segmentation =
  | { readonly kind: 'one' }
  | { readonly kind: 'dribble' }
  | { readonly kind: 'cuts'; readonly cuts: readonly number[] }

export const segmentation: fc.Arbitrary<Segmentation> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'one' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'dribble' as const }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('cuts' as const),
      cuts: fc.array(fc.nat(1 << 16), { minLength: 1, maxLength: 12 }),
    }),
  },
)

/** The write lengths a segmentation produces for a stream of `length` bytes (they sum to `length`). */
export function segmentLengths(length: number, s: Segmentation): number[] {
  if (length === 0) return []
  if (s.kind === 'one') return [length]
  if (s.kind === 'dribble') return new Array<number>(length).fill(1)
  const at = [...new Set(s.cuts.map((c) => c % length))].filter((c) => c > 0).sort((a, b) => a - b)
  const out: number[] = []
  let from = 0
  for (const c of [...at, length]) {
    out.push(c - from)
    from = c
  }
  return out
}

export function split(bytes: Uint8Array, lengths: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = []
  let at = 0
  for (const n of lengths) {
    out.push(bytes.subarray(at, at + n))
    at += n
  }
  return out
}

/** One element of a pipeline: a valid request or a near-miss. */
export type PipelineItem =
  | { readonly kind: 'valid'; readonly request: RequestModel }
  | ({ readonly kind: 'mutated' } & MutatedRequest)

export function itemBytes(i: PipelineItem): Uint8Array {
  return i.kind === 'valid' ? encodeRequest(i.request) : applyMutations(i)
}

export function pipelineItem(opts: RequestOptions, mutatedWeight: number): fc.Arbitrary<PipelineItem> {
  const base = validRequest(opts)
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('valid' as const), request: base }) },
    {
      weight: mutatedWeight,
      arbitrary: mutatedRequest(base).map(function tagMutated(m): PipelineItem {
        return { kind: 'mutated', ...m }
      }),
    },
  )
}

/** RFC 9112 §9.3.2: a client may pipeline; here 1 to `max` requests concatenated. */
export function pipeline(
  opts: RequestOptions,
  mutatedWeight: number,
  max = 20,
): fc.Arbitrary<PipelineItem[]> {
  return fc.array(pipelineItem(opts, mutatedWeight), { minLength: 1, maxLength: max, size: 'small' })
}

export function pipelineBytes(items: readonly PipelineItem[]): Uint8Array {
  return concat(items.map(itemBytes))
}

/** A byte stream plus how it is written: the input of the byte-level properties. */
export interface ByteCase {
  readonly bytes: Uint8Array
  readonly segments: readonly number[]
}

export function byteCase(bytes: fc.Arbitrary<Uint8Array>): fc.Arbitrary<ByteCase> {
  return fc.tuple(bytes, segmentation).map(function withSegments([b, s]): ByteCase {
    return { bytes: b, segments: segmentLengths(b.length, s) }
  })
}
