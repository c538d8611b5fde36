import { describe, expect, it } from 'vitest'
import { Recorder } from './check.ts'
import { buildReport, renderMarkdown, SCHEMA } from './report.ts'

describe('reliability report', () => {
  it('follows the documented schema and renders every check', () => {
    const rec = new Recorder('demo', 'A demo check')
    rec.expect(true, 'holds', 'measured 1')
    rec.expect(false, 'breaks', 'measured 2')
    rec.latency('loaded', [1, 2, 3, 4])
    rec.rss({ before: 1, peak: 3, after: 2 })
    rec.lost(2)
    rec.figure('holdMs', 1.23456)
    const report = buildReport([rec.result()], 'npm run reliability', 'small', 10)
    expect(report.schema).toBe(SCHEMA)
    expect(report.summary).toEqual({ checks: 1, pass: 0, fail: 1, lost: 2, durationMs: 10 })
    const check = report.checks[0]!
    expect(Object.keys(check).sort()).toEqual(
      [
        'assertions',
        'connections',
        'durationMs',
        'figures',
        'latency',
        'lost',
        'name',
        'ok',
        'rss',
        'target',
        'title',
      ].sort(),
    )
    expect(check.latency.loaded).toEqual({ samples: 4, p50: 2, p99: 4, max: 4 })
    expect(check.figures.holdMs).toBe(1.235)
    const md = renderMarkdown(report)
    expect(md).toContain('| demo | **FAIL** |')
    expect(md).toContain('✗ **FAILED** breaks: measured 2')
    expect(md).toContain('`npm run reliability`')
  })
})
