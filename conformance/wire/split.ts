/**
 * Split mode: the same bytes delivered in many TCP writes. A parser that only works when a line
 * (or a CRLF, or a chunk-size) arrives in one read is broken: TCP is a byte stream (RFC 9293 §3.8.3
 * promises no boundaries), so every boundary must give the same verdict as one write.
 */

/** mulberry32: a tiny seeded PRNG so a split run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A stable 32-bit hash of a string (FNV-1a), to derive per-case seeds from one run seed. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export interface SplitOptions {
  /** Inputs up to this length are split at every byte boundary. */
  readonly everyByteUpTo: number
  /** Longer inputs are split at this many distinct seeded points. */
  readonly randomPoints: number
  readonly seed: number
}

export const DEFAULT_SPLIT: SplitOptions = { everyByteUpTo: 160, randomPoints: 32, seed: 1 }

/** Sorted, distinct split offsets in 1..length-1. */
export function splitPoints(length: number, opts: SplitOptions): number[] {
  if (length <= 1) return []
  if (length <= opts.everyByteUpTo) return Array.from({ length: length - 1 }, (_, i) => i + 1)
  const rand = prng(opts.seed)
  const want = Math.min(opts.randomPoints, length - 1)
  const points = new Set<number>()
  // Bounded: at most 20 draws per wanted point, so a pathological PRNG cannot loop forever.
  for (let tries = 0; points.size < want && tries < want * 20; tries++) {
    points.add(1 + Math.floor(rand() * (length - 1)))
  }
  return [...points].sort((x, y) => x - y)
}

/** Cuts bytes at the given offsets; the pieces concatenate back to the input. */
export function splitAt(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
  const pieces: Uint8Array[] = []
  let prev = 0
  for (const p of points) {
    if (p <= prev || p >= bytes.length) continue
    pieces.push(bytes.subarray(prev, p))
    prev = p
  }
  pieces.push(bytes.subarray(prev))
  return pieces
}
