import { describe, expect, it, vi } from 'vitest'
import { catalog } from './cases/index.ts'
import { main, parseCli } from './cli.ts'

describe('parseCli', () => {
  it('has the documented defaults', () => {
    const o = parseCli([])
    expect(o.targets).toEqual(['sockhttp'])
    expect(o.split).toBe(true)
    expect(o.strict).toBe(false)
    expect(o.timeoutMs).toBe(2000)
  })

  it('reads every flag of the issue', () => {
    const o = parseCli([
      '--target',
      'http://127.0.0.1:8080',
      '--case',
      '9112-6.3',
      '--case',
      '9112-7.1/size-',
      '--exclude',
      '9112-6.3/cl-huge',
      '--strict',
      '--no-split',
      '--json',
      'out.json',
      '--junit',
      'out.xml',
      '--timeout',
      '500',
      '--reflect',
    ])
    expect(o.targets).toEqual(['http://127.0.0.1:8080'])
    expect(o.include).toEqual(['9112-6.3', '9112-7.1/size-'])
    expect(o.exclude).toEqual(['9112-6.3/cl-huge'])
    expect(o.strict).toBe(true)
    expect(o.split).toBe(false)
    expect(o.json).toBe('out.json')
    expect(o.junit).toBe('out.xml')
    expect(o.timeoutMs).toBe(500)
    expect(o.reflect).toBe(true)
  })

  it('runs both targets with --compare', () => {
    expect(parseCli(['--compare']).targets).toEqual(['sockhttp', 'node'])
  })
})

describe('main', () => {
  const quiet = () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    return () => {
      out.mockRestore()
      err.mockRestore()
    }
  }

  it.each([
    [['--bogus']],
    [['--timeout', 'x']],
    [['--help']],
    [['--compare', '--target', 'node']],
    [['--target', 'ftp://x']],
    [['--case', 'no-such-case']],
  ])('exits 2 on bad usage: %j', async (argv) => {
    const restore = quiet()
    try {
      expect(await main(argv)).toBe(2)
    } finally {
      restore()
    }
  })

  it('lists the catalog and exits 0', async () => {
    const lines: string[] = []
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      lines.push(String(s))
      return true
    })
    try {
      expect(await main(['--list'])).toBe(0)
    } finally {
      out.mockRestore()
    }
    expect(lines.at(-1)).toBe(`conformance catalog: ${catalog().length} cases\n`)
  })
})

describe('catalog', () => {
  it('has at least 250 cases with unique ids, levels and requirements', () => {
    const all = catalog()
    expect(all.length).toBeGreaterThanOrEqual(250)
    expect(new Set(all.map((e) => e.c.id)).size).toBe(all.length)
    for (const { c } of all) {
      expect(c.id).toMatch(/^(9110|9112|6585|client)[-/]/)
      expect(c.requirement.length).toBeGreaterThan(20)
      if (c.kind === 'wire') expect(c.outcomes.length).toBeGreaterThan(0)
    }
  })
})
