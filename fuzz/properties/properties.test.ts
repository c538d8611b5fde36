/**
 * Every property, with a small fixed-seed budget, holds for the real parser and server. Budgets
 * are bounded by count and by time, so the file stays fast on a busy machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultParser } from '../oracle/ours.ts'
import { loadRegressions } from '../regressions.ts'
import { runProperty } from '../runner.ts'
import { type RunningTarget, startSockhttpTarget } from '../tcp/target.ts'
import { differentialProperty } from './differential.ts'
import { roundTripProperty } from './roundtrip.ts'
import { splitProperty } from './split.ts'
import { tcpProperty } from './tcp.ts'
import { totalProperty } from './total.ts'
import type { AnyProperty } from './types.ts'

const SEED = 20261125

const describeFailures = (r: Awaited<ReturnType<typeof runProperty>>) =>
  r.failures.map((f) => `${f.reason}\n  bytes: ${f.bytesEscaped.slice(0, 300)}`).join('\n')

async function holds(prop: AnyProperty, runs: number, timeMs: number, target?: RunningTarget) {
  const r = await runProperty(prop, {
    seed: SEED,
    runs,
    timeMs,
    ctx: { make: defaultParser(), ...(target ? { target } : {}) },
  })
  expect(describeFailures(r)).toBe('')
  expect(r.runs).toBeGreaterThan(Math.min(runs, 100))
  return r
}

describe('properties hold for the real parser (fixed seed, small budget)', () => {
  it('total: bytes in, events or ParseError out, linear examination', async () => {
    await holds(totalProperty, 3000, 6000)
  })

  it('split: segmentation does not change the events', async () => {
    await holds(splitProperty, 2000, 6000)
  })

  it('roundtrip: serialize then parse gives the request back', async () => {
    await holds(roundTripProperty, 3000, 6000)
  })

  it('differential: every disagreement with node:http is a documented quirk', async () => {
    await holds(differentialProperty, 2000, 8000)
  })

  describe('tcp against sockhttp with the reflect app', () => {
    let target: RunningTarget
    beforeAll(async () => {
      target = await startSockhttpTarget()
    })
    afterAll(async () => {
      await target.close()
    })
    it('pipelines get their reflections in order; malformed streams never reach the app', async () => {
      await holds(tcpProperty, 150, 8000, target)
    })
  })
})

describe('regressions', () => {
  const regressions = loadRegressions()
  const props: AnyProperty[] = [totalProperty, splitProperty, roundTripProperty, differentialProperty]
  for (const reg of regressions.filter((r) => props.some((p) => p.name === r.property))) {
    it(`${reg.property}: ${reg.name}`, async () => {
      const prop = props.find((p) => p.name === reg.property)!
      const failure = await prop.check(prop.decode(reg.input), { make: defaultParser() })
      expect(failure?.reason ?? null, reg.note).toBeNull()
    })
  }
  it('every regression names a known property and decodes', () => {
    for (const r of regressions) {
      const prop = [...props, tcpProperty].find((p) => p.name === r.property)
      expect(prop, r.file).toBeDefined()
      expect(() => prop!.decode(r.input)).not.toThrow()
    }
  })
})
