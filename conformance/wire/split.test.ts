import { describe, expect, it } from 'vitest'
import { concat, escapeBytes, latin1 } from './bytes.ts'
import { DEFAULT_SPLIT, hashString, prng, splitAt, splitPoints } from './split.ts'

describe('splitPoints', () => {
  it('splits short inputs at every byte boundary', () => {
    expect(splitPoints(5, DEFAULT_SPLIT)).toEqual([1, 2, 3, 4])
    expect(splitPoints(1, DEFAULT_SPLIT)).toEqual([])
    expect(splitPoints(0, DEFAULT_SPLIT)).toEqual([])
  })

  it('uses a bounded number of distinct, sorted, in-range points for long inputs', () => {
    const pts = splitPoints(10_000, { ...DEFAULT_SPLIT, seed: 42 })
    expect(pts).toHaveLength(DEFAULT_SPLIT.randomPoints)
    expect(new Set(pts).size).toBe(pts.length)
    expect([...pts].sort((a, b) => a - b)).toEqual(pts)
    for (const p of pts) {
      expect(p).toBeGreaterThanOrEqual(1)
      expect(p).toBeLessThan(10_000)
    }
  })

  it('is reproducible from the seed and changes with it', () => {
    const a = splitPoints(5000, { ...DEFAULT_SPLIT, seed: 7 })
    expect(splitPoints(5000, { ...DEFAULT_SPLIT, seed: 7 })).toEqual(a)
    expect(splitPoints(5000, { ...DEFAULT_SPLIT, seed: 8 })).not.toEqual(a)
  })

  it('never asks for more points than boundaries', () => {
    expect(splitPoints(120, { everyByteUpTo: 10, randomPoints: 500, seed: 1 })).toHaveLength(119)
  })
})

describe('splitAt', () => {
  it('cuts into pieces that concatenate back to the input', () => {
    const bytes = latin1('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    const pieces = splitAt(bytes, splitPoints(bytes.length, DEFAULT_SPLIT))
    expect(pieces).toHaveLength(bytes.length)
    expect(concat(pieces)).toEqual(bytes)
  })

  it('ignores out-of-range and repeated points', () => {
    const pieces = splitAt(latin1('abcdef'), [0, 2, 2, 4, 6, 9])
    expect(pieces.map((p) => String.fromCharCode(...p))).toEqual(['ab', 'cd', 'ef'])
  })
})

describe('helpers', () => {
  it('prng is deterministic and in [0, 1)', () => {
    const a = prng(3)
    const b = prng(3)
    for (let i = 0; i < 100; i++) {
      const x = a()
      expect(x).toBe(b())
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThan(1)
    }
  })

  it('hashString is stable', () => {
    expect(hashString('9112-6.3/cl-te')).toBe(hashString('9112-6.3/cl-te'))
    expect(hashString('a')).not.toBe(hashString('b'))
  })

  it('escapeBytes shows control bytes and shortens runs', () => {
    expect(escapeBytes(latin1('A\r\n\t\x00\xff\\'))).toBe('A\\r\\n\\t\\x00\\xff\\\\')
    expect(escapeBytes(latin1(`x${'a'.repeat(100)}y`))).toBe('xa{×100}y')
  })
})
