/** One differential trial: the same bytes through our parser and Node's, compared and explained. */
import { explain, quirkContext } from '../node-quirks.ts'
import { parseWithNode } from '../oracle/node.ts'
import { type ParserFactory, runOurs } from '../oracle/ours.ts'
import type { ParseOutcome } from '../outcome.ts'
import { compareOutcomes, type Disagreement } from './compare.ts'

export interface DiffResult {
  readonly ours: ParseOutcome
  readonly node: ParseOutcome
  readonly disagreement: Disagreement | null
  /** Ids of the quirks that explain the disagreement. */
  readonly quirks: readonly string[]
  readonly crash: string | null
}

export async function differential(
  bytes: Uint8Array,
  segments: readonly number[],
  make: ParserFactory,
): Promise<DiffResult> {
  const run = runOurs(bytes, segments, make)
  const node = await parseWithNode(bytes)
  const disagreement = compareOutcomes(run.outcome, node)
  const quirks =
    disagreement === null
      ? []
      : explain(
          quirkContext(bytes, run.outcome, node, disagreement, (b) => runOurs(b, [b.length], make).outcome),
        ).map((q) => q.id)
  return { ours: run.outcome, node, disagreement, quirks, crash: run.crash }
}

export const isFailure = (r: DiffResult): boolean =>
  r.crash !== null || (r.disagreement !== null && r.quirks.length === 0)
