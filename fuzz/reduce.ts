/**
 * A second shrinking pass, after fast-check's: delta debugging (ddmin) over the bytes of a
 * failing stream. fast-check shrinks the generator's choices, which leaves whole requests in a
 * pipeline when the failing one comes first; ddmin removes any byte range that is not needed
 * for the same failure, so reports show the smallest stream we can find in the time allowed.
 */
import type { ByteCase } from './arbitraries/stream.ts'

/** Clips a write plan to a shorter stream (the writes still sum to the length). */
export function clipSegments(segments: readonly number[], length: number): number[] {
  const out: number[] = []
  let left = length
  for (const n of segments) {
    if (left <= 0) break
    const take = Math.min(n, left)
    out.push(take)
    left -= take
  }
  if (left > 0) out.push(left)
  return out
}

function without(bytes: Uint8Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array(bytes.length - (to - from))
  out.set(bytes.subarray(0, from), 0)
  out.set(bytes.subarray(to), from)
  return out
}

/**
 * Smallest input found for which `stillFails` holds, within `deadline` (epoch ms) and a cap on
 * attempts. `stillFails` must only accept the same failure as the original.
 */
export async function ddminBytes(
  start: ByteCase,
  stillFails: (c: ByteCase) => Promise<boolean>,
  deadline: number,
  maxAttempts = 5000,
): Promise<ByteCase> {
  let attempts = 0
  const tryCase = async (c: ByteCase): Promise<boolean> => {
    attempts++
    return stillFails(c)
  }
  let best = start
  // One write first: a failure that does not need the segmentation is simpler to read.
  if (best.segments.length > 1) {
    const one = { bytes: best.bytes, segments: [best.bytes.length] }
    if (await tryCase(one)) best = one
  }
  // Whole lines next: the shortest failing prefix, the shortest failing suffix, then single lines.
  const lineEnds = (b: Uint8Array): number[] => {
    const out: number[] = []
    for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) out.push(i + 1)
    return out
  }
  for (const end of lineEnds(best.bytes)) {
    if (end >= best.bytes.length || Date.now() >= deadline) break
    const bytes = best.bytes.subarray(0, end)
    const c = { bytes, segments: clipSegments(best.segments, bytes.length) }
    if (await tryCase(c)) {
      best = c
      break
    }
  }
  for (const start of lineEnds(best.bytes).reverse()) {
    if (start >= best.bytes.length || Date.now() >= deadline) continue
    const bytes = best.bytes.subarray(start)
    const c = { bytes, segments: clipSegments(best.segments, bytes.length) }
    if (await tryCase(c)) {
      best = c
      break
    }
  }
  for (let i = 0; Date.now() < deadline && attempts < maxAttempts; ) {
    const ends = [0, ...lineEnds(best.bytes)]
    if (i + 1 >= ends.length) break
    const bytes = without(best.bytes, ends[i]!, ends[i + 1]!)
    const c = { bytes, segments: clipSegments(best.segments, bytes.length) }
    if (bytes.length > 0 && (await tryCase(c))) best = c
    else i++
  }
  let n = 2
  while (best.bytes.length >= 2 && Date.now() < deadline && attempts < maxAttempts) {
    const len = best.bytes.length
    const size = Math.ceil(len / n)
    let reduced = false
    for (let from = 0; from < len && Date.now() < deadline && attempts < maxAttempts; from += size) {
      const bytes = without(best.bytes, from, Math.min(len, from + size))
      const c = { bytes, segments: clipSegments(best.segments, bytes.length) }
      if (await tryCase(c)) {
        best = c
        reduced = true
        break
      }
    }
    if (reduced) n = Math.max(2, n - 1)
    else if (size === 1) break
    else n = Math.min(len, n * 2)
  }
  return best
}
