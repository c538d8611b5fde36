/**
 * Property 4, agrees with Node: the same stream goes through our parser (cut into random writes)
 * and through node:http in-process. Every disagreement is classified (type / request / stream)
 * and must be explained by an entry of fuzz/node-quirks.ts.
 */
import fc from 'fast-check'
import {
  type ByteCase,
  pipeline,
  pipelineBytes,
  segmentation,
  segmentLengths,
} from '../arbitraries/stream.ts'
import { differential, isFailure } from '../differential/check.ts'
import { outcomeToJson } from '../outcome.ts'
import { decodeByteCase, encodeByteCase, reduceByteCase } from './byte-case.ts'
import type { FuzzProperty } from './types.ts'

/** Counts of explained disagreements per quirk id, for the report (reset by the runner). */
export const explainedCounts = new Map<string, number>()

export const differentialStream: fc.Arbitrary<ByteCase> = fc
  .tuple(pipeline({ allowClose: true, allowUpgrade: true }, 3, 20), segmentation)
  .map(function toByteCase([items, seg]): ByteCase {
    const bytes = pipelineBytes(items)
    return { bytes, segments: segmentLengths(bytes.length, seg) }
  })

export const differentialProperty: FuzzProperty<ByteCase> = {
  name: 'differential',
  description: 'agrees with node:http (llhttp strict) up to the documented quirks in fuzz/node-quirks.ts',
  arbitrary: () => differentialStream,
  async check(input, ctx) {
    const r = await differential(input.bytes, input.segments, ctx.make)
    for (const q of r.quirks) explainedCounts.set(q, (explainedCounts.get(q) ?? 0) + 1)
    if (!isFailure(r)) return null
    const d = r.disagreement
    return {
      reason:
        r.crash ??
        `${d?.class} disagreement at message ${d?.index}: ${d?.detail} (ours ${r.ours.end.kind === 'error' ? r.ours.end.code : 'clean'}, node ${r.node.end.kind === 'error' ? r.node.end.code : 'clean'}); no quirk explains it`,
      ...(d === null ? {} : { class: d.class }),
      details: { disagreement: d, ours: outcomeToJson(r.ours), node: outcomeToJson(r.node) },
    }
  },
  reduce: reduceByteCase,
  bytes: (input) => input.bytes,
  encode: encodeByteCase,
  decode: decodeByteCase,
}
