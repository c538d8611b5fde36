/** Order statistics for small samples (rounds, processes). */

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const s = [...values].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo)
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5)
}

export interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
  /** Interquartile range over the median: the noise to read a ratio against. */
  readonly relIqr: number
  readonly n: number
}

export function spread(values: readonly number[]): Spread {
  const m = median(values)
  return {
    median: m,
    min: values.length ? Math.min(...values) : Number.NaN,
    max: values.length ? Math.max(...values) : Number.NaN,
    relIqr: m !== 0 ? (quantile(values, 0.75) - quantile(values, 0.25)) / m : Number.NaN,
    n: values.length,
  }
}

/** `items` rotated left by `k`: round k starts with a different server, so drift hits each in turn. */
export function rotate<T>(items: readonly T[], k: number): T[] {
  if (items.length === 0) return []
  const r = ((k % items.length) + items.length) % items.length
  return [...items.slice(r), ...items.slice(0, r)]
}
