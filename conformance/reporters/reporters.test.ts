import { describe, expect, it } from 'vitest'
import type { CaseResult } from '../runner.ts'
import { toCompare } from './compare.ts'
import { formatConsole, summaryLine } from './console.ts'
import { buildReport, SCHEMA, toJson } from './json.ts'
import { toJunit } from './junit.ts'
import { toMarkdown } from './markdown.ts'

function result(id: string, status: CaseResult['status'], extra: Partial<CaseResult> = {}): CaseResult {
  return {
    id,
    group: 'RFC 9112 §6.3 Content-Length',
    rfc: 'RFC 9112',
    section: '6.3',
    level: 'MUST',
    requirement: 'Bytes & <framing> "must" be exact.',
    kind: 'wire',
    client: 'net',
    status,
    outcome: status === 'pass' ? 'rejected with 400' : null,
    expected: ['rejected with 400 [400; close]'],
    actual: status === 'pass' ? '400; connection close' : '200; connection open',
    reason: status === 'pass' ? null : 'no allowed outcome matched',
    mismatches: status === 'fail' ? ['rejected with 400: status 200, expected 400'] : [],
    request: 'POST / HTTP/1.1\\r\\nContent-Length: +5\\r\\n\\r\\n\x01',
    response: null,
    elapsedMs: 3,
    split: null,
    ...extra,
  }
}

const OPTIONS = {
  split: true,
  strict: false,
  seed: 1,
  timeoutMs: 2000,
  headersTimeoutMs: 1500,
  reflect: true,
}

describe('reporters', () => {
  const results = [result('9112-6.3/a', 'pass'), result('9112-6.3/b', 'fail'), result('9112-6.3/c', 'skip')]
  const report = buildReport('sockhttp', results, OPTIONS, 1234)

  it('summarises and documents the JSON schema', () => {
    expect(report.schema).toBe(SCHEMA)
    expect(report.summary).toMatchObject({ total: 3, pass: 1, fail: 1, skip: 1, mustFail: 1 })
    expect(report.sections).toEqual([
      { title: 'RFC 9112 §6.3 Content-Length', total: 3, pass: 1, fail: 1, warn: 0, skip: 1 },
    ])
    expect(JSON.parse(toJson(report)).results).toHaveLength(3)
  })

  it('writes well-formed JUnit with failures and skips', () => {
    const xml = toJunit(report)
    expect(xml).toContain('tests="3" failures="1" skipped="1"')
    expect(xml).toContain('<failure message="no allowed outcome matched">')
    expect(xml).toContain('&lt;framing&gt; &quot;must&quot;')
    expect(xml).not.toMatch(/[\x00-\x08]/)
  })

  it('writes Markdown with the failure evidence', () => {
    const md = toMarkdown(report)
    expect(md).toContain('**1 pass, 1 fail, 0 warn, 1 skip**')
    expect(md).toContain('### 9112-6.3/b (MUST)')
    expect(md).toContain('Content-Length: +5')
  })

  it('prints grouped console output and the summary line', () => {
    const text = formatConsole(results)
    expect(text).toContain('RFC 9112 §6.3 Content-Length')
    expect(text).toContain('✔ 9112-6.3/a')
    expect(text).toContain('✘ 9112-6.3/b')
    expect(text).toContain('expected: rejected with 400')
    expect(summaryLine('node', report.summary)).toBe('conformance node: 1 pass, 1 fail, 0 warn, 1 skip')
  })

  it('lists the cases where two targets differ, and why', () => {
    const other = buildReport(
      'node',
      [result('9112-6.3/a', 'fail'), result('9112-6.3/b', 'fail'), result('9112-6.3/c', 'skip')],
      OPTIONS,
      1,
    )
    const md = toCompare(report, other)
    expect(md).toContain('## Cases where they differ (1)')
    expect(md).toContain('`9112-6.3/a`')
    expect(md).toMatch(/node did "200; connection open", which the RFC does not allow/)
    expect(md).toContain('## Known Node quirks')
  })
})
