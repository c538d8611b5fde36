/** A failure is shrunk, saved with everything needed to replay it, and replays. */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultParser } from './oracle/ours.ts'
import { brokenParsers } from './properties/broken-parsers.ts'
import { roundTripProperty } from './properties/roundtrip.ts'
import { totalProperty } from './properties/total.ts'
import { replayFailure, runProperty } from './runner.ts'

describe('runProperty', () => {
  it('saves a shrunk failure with seed, path, bytes (base64 and escaped) and the replay command', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fuzz-fail-'))
    const r = await runProperty(totalProperty, {
      seed: 7,
      runs: 2000,
      timeMs: 10_000,
      reportDir: dir,
      ctx: { make: brokenParsers.throwing },
    })
    expect(r.failures).toHaveLength(1)
    const f = r.failures[0]!
    expect(f.file).toBeDefined()
    const saved = JSON.parse(readFileSync(path.resolve(f.file!), 'utf8'))
    expect(saved.property).toBe('total')
    expect(saved.seed).toBe(7)
    expect(typeof saved.path).toBe('string')
    expect(Buffer.from(saved.bytesBase64, 'base64')).toContain(0xff)
    expect(saved.bytesEscaped).toContain('\\xff')
    expect(saved.replay).toBe(`npm run fuzz -- --replay ${f.file}`)
    expect(saved.length).toBeLessThanOrEqual(3)
    // The saved input still fails against the broken parser and holds for the real one.
    expect(await replayFailure(totalProperty, saved.input, { make: brokenParsers.throwing })).not.toBeNull()
  })

  it('stops at the time budget and reports runs and runs per second', async () => {
    const r = await runProperty(roundTripProperty, { seed: 1, timeMs: 300, ctx: { make: defaultParser() } })
    expect(r.failures).toEqual([])
    expect(r.interrupted).toBe(true)
    expect(r.runs).toBeGreaterThan(0)
    expect(r.durationMs).toBeLessThan(5000)
    expect(r.runsPerSecond).toBe(Math.round((r.runs * 1000) / r.durationMs))
  })
})
