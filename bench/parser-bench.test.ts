import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { tsScript } from './lib/child.ts'
import { ADAPTERS, PARSER_IDS, type ParserAdapter, type ParserSession } from './parser/adapters.ts'
import { checkEquivalence } from './parser/equivalence.ts'
import { FIXTURE_IDS, FIXTURES } from './parser/fixtures.ts'
import { PROBES, probe } from './parser/strictness.ts'
import type { WorkerResult } from './parser/worker.ts'

/** Wraps a real adapter and damages what it reports, the way a corner-cutting parser would. */
function damaged(base: ParserAdapter, damage: 'drop-last-header' | 'lose-body-byte'): ParserAdapter {
  return {
    ...base,
    session(record): ParserSession {
      return base.session(
        record &&
          ((r) =>
            record(
              damage === 'drop-last-header'
                ? { ...r, headers: r.headers.slice(0, -1) }
                : { ...r, body: r.body.subarray(0, Math.max(0, r.body.length - 1)) },
            )),
      )
    },
  }
}

describe('parser benchmark fairness', () => {
  it.each(PARSER_IDS)('%s extracts exactly the fixture information, however the stream is cut', (id) => {
    for (const f of FIXTURE_IDS) expect(checkEquivalence(ADAPTERS[id], FIXTURES[f])).toEqual([])
  })

  it('the equivalence check catches a parser that drops a header or loses body bytes', () => {
    expect(
      checkEquivalence(damaged(ADAPTERS.llhttp, 'drop-last-header'), FIXTURES.get).length,
    ).toBeGreaterThan(0)
    expect(
      checkEquivalence(damaged(ADAPTERS.sockhttp, 'lose-body-byte'), FIXTURES['post-chunked']).length,
    ).toBeGreaterThan(0)
  })

  it('fixtures have the sizes the issue describes', () => {
    expect(FIXTURES.get.expected.headers).toHaveLength(8)
    expect(FIXTURES.get.bytes.length).toBeGreaterThan(400)
    expect(FIXTURES.get.bytes.length).toBeLessThan(480)
    expect(FIXTURES['post-cl'].expected.body).toHaveLength(1024)
    expect(FIXTURES['post-chunked'].expected.body).toHaveLength(1024)
  })

  it('sockhttp rejects every strictness probe; the laxer parsers are recorded as such', () => {
    const ours = probe(ADAPTERS.sockhttp)
    expect(Object.values(ours).every((v) => v === 'rejects')).toBe(true)
    expect(Object.keys(ours)).toHaveLength(PROBES.length)
    expect(probe(ADAPTERS['http-parser-js'])['bare-lf']).toBe('accepts')
  })

  it('a timed worker process completes and reports consistent figures', () => {
    const [node, ...args] = tsScript('bench/parser/worker.ts', [
      '--parser',
      'sockhttp',
      '--fixture',
      'post-chunked',
      '--feeding',
      'stream',
      '--ms',
      '50',
      '--warmup-ms',
      '20',
    ])
    const r = JSON.parse(execFileSync(node!, args, { encoding: 'utf8' }).trim()) as WorkerResult
    expect(r.requests % 1000).toBe(0)
    expect(r.bytes).toBe((r.requests / 1000) * 1000 * FIXTURES['post-chunked'].bytes.length)
    expect(r.mbPerSec).toBeGreaterThan(0)
  })
})
