import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { benchFixture, FIXTURE_EXPECT, fuzzFixture, writeFixtures } from './fixtures.ts'
import { bytesLines, escapeHtml, html } from './html.ts'
import type { PageMeta } from './page.ts'
import { figure } from './sections/reliability.ts'
import { buildSite } from './site.ts'

const META: PageMeta = {
  builtAt: '2026-11-25T06:30:00.000Z',
  commit: 'abc123',
  commitSubject: 'a commit <with> markup',
  node: 'v20.20.2',
  command: 'npm run report',
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sockhttp-site-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const count = (haystack: string, needle: RegExp): number => (haystack.match(needle) ?? []).length

/** The part of the page between a section's opening tag and the next section. */
function sectionHtml(page: string, id: string): string {
  const start = page.indexOf(`<section id="${id}"`)
  if (start < 0) throw new Error(`no section ${id}`)
  const end = page.indexOf('</section>', start)
  return page.slice(start, end)
}

describe('html template', () => {
  it('escapes interpolated strings and passes nested templates through', () => {
    const inner = html`<b>${'<i>'}</b>`
    expect(html`<p title="${'"x"'}">${inner}${['&', 1]}</p>`.html).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&amp;1</p>',
    )
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;')
  })

  it('breaks escaped request bytes after each escaped LF only', () => {
    expect(bytesLines('GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n')).toBe(
      'GET / HTTP/1.1\\r\\n\nHost: a\\r\\n\n\\r\\n\n',
    )
    // An escaped backslash followed by "n" is two bytes, "\" and "n": no break.
    expect(bytesLines('a\\\\nb')).toBe('a\\\\nb')
  })
})

describe('the reports site', () => {
  it('says "not run yet" for every report that does not exist, and does not throw', () => {
    const { html: page, sections } = buildSite(path.join(dir, 'nothing-here'), META)
    expect(sections.map((s) => s.state)).toEqual(['none', 'none', 'none', 'none', 'none', 'none'])
    expect(count(page, /data-state="not-run"/g)).toBe(6)
    expect(page).toContain('reports/bench/latest.json</code> does not exist')
    expect(page).toContain('<code>npm run bench</code>')
  })

  it('shows an unreadable or foreign report as such, and still renders the others', () => {
    writeFixtures(dir, ['bench', 'fuzz'])
    mkdirSync(path.join(dir, 'bench'), { recursive: true })
    mkdirSync(path.join(dir, 'fuzz'), { recursive: true })
    writeFileSync(path.join(dir, 'bench/latest.json'), '{ not json')
    writeFileSync(path.join(dir, 'fuzz/latest.json'), JSON.stringify({ schema: 'someone-else/3' }))
    const { html: page, sections } = buildSite(dir, META)
    expect(sectionHtml(page, 'bench')).toMatch(
      /Could not read <code>reports\/bench\/latest.json<\/code>: not JSON/,
    )
    expect(sectionHtml(page, 'fuzz')).toContain('schema is &quot;someone-else/3&quot;')
    expect(sections.find((s) => s.id === 'loadtest')?.state).toBe('fail')
  })

  it('reports a report whose shape drifted instead of crashing', () => {
    writeFixtures(dir)
    writeFileSync(
      path.join(dir, 'bench/latest.json'),
      JSON.stringify({ ...benchFixture, machine: undefined, server: { pipelines: 'not a list' } }),
    )
    const { html: page, sections } = buildSite(dir, META)
    expect(sectionHtml(page, 'bench')).toContain('does not have the shape this page expects')
    expect(sections.find((s) => s.id === 'bench')?.state).toBe('none')
    expect(sectionHtml(page, 'fuzz')).toContain('44,000 inputs tried')
  })

  it('is self-contained: no scripts, no external resources, and report data is escaped', () => {
    writeFixtures(dir)
    const { html: page } = buildSite(dir, META)
    expect(page).not.toMatch(/<script/i)
    expect(page).not.toMatch(/\s(src|href)="(?!#)/)
    expect(page).not.toMatch(/<img|<link|<iframe|@import|url\(/i)
    expect(page).toContain('GET /&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page).toContain('a commit &lt;with&gt; markup')
    expect(page).toContain("default-src 'none'")
  })

  it('draws one bar per server, latency quantile and parser, each labelled with its ratio', () => {
    writeFixtures(dir)
    const { html: page } = buildSite(dir, META)
    const chart = (id: string): string => {
      const start = page.indexOf(`id="chart-${id}"`)
      return page.slice(start, page.indexOf('</figure>', start))
    }
    expect(count(chart('bench-rps'), /<rect class="bar/g)).toBe(FIXTURE_EXPECT.barsRps)
    expect(count(chart('bench-latency'), /<rect class="bar/g)).toBe(FIXTURE_EXPECT.barsLatency)
    expect(count(chart('bench-parser'), /<rect class="bar/g)).toBe(FIXTURE_EXPECT.barsParser)
    // sockhttp at pipelining 1: 1.60x node:http; the ceiling 2.00x; node itself is the baseline.
    expect(chart('bench-rps')).toContain('30,000 req/s<tspan class="note"> · 1.60× node:http')
    expect(chart('bench-rps')).toContain('36,000 req/s<tspan class="note"> · 2.00× node:http')
    expect(chart('bench-latency')).toContain('2.90 ms<tspan class="note"> · 0.56× node:http')
    expect(chart('bench-parser')).toContain('600 MB/s<tspan class="note"> · 1.20× llhttp')
    expect(chart('bench-parser')).toContain('120 MB/s<tspan class="note"> · 0.24× llhttp')
  })

  it('puts sockhttp and node:http first in the conformance matrix, then other targets', () => {
    writeFixtures(dir)
    const { html: page } = buildSite(dir, META)
    const conf = sectionHtml(page, 'conformance')
    const head = conf.slice(conf.indexOf('<thead>'), conf.indexOf('</thead>'))
    expect(head).toBe(
      '<thead><tr><th>section</th><th>sockhttp</th><th>node:http</th><th>http://127.0.0.1:8080</th></tr>',
    )
    // The URL target ran one section: the other two show a dash.
    expect(count(conf, /class="cell c-none"/g)).toBe(2)
    expect(count(conf, /<details class="case failing"/g)).toBe(3)
    expect(conf).toContain('npm run conformance -- --target node --seed 1')
    expect(conf).toContain(
      'npm run conformance -- --target http://127.0.0.1:8080 --reflect --headers-timeout 1500 --seed 1',
    )
  })
})

describe('at a glance', () => {
  it('gives each section one line from its report', () => {
    writeFixtures(dir)
    const { sections } = buildSite(dir, META)
    const line = (id: string): string | undefined => sections.find((s) => s.id === id)?.headline
    expect(line('gate')).toBe('held in 4 min 41 s, 6/7 steps ✔')
    expect(line('conformance')).toBe(
      'sockhttp 3/5 pass, 0 MUST failures, 1 warning; node:http 2/5 pass, 2 MUST failures, 1 warning; http://127.0.0.1:8080 0/1 pass, 0 MUST failures, 0 warnings',
    )
    expect(line('fuzz')).toBe('44,000 inputs, 1 failure (seed 9112)')
    expect(line('bench')).toBe(
      'pipelining 1: sockhttp 1.60× node:http; pipelining 10: sockhttp 5.06× node:http; parser get 1.20×, post-cl 1.13×, post-chunked 1.17× llhttp; 1/1 targets met',
    )
    expect(line('loadtest')).toBe('2 pass, 1 fail (backlog-5, pool-throughput-1, pool-throughput-4)')
    expect(line('reliability')).toBe('1 pass, 1 fail, 2 responses lost (full sizes)')
  })

  it('says "not run yet" for a missing report', () => {
    const { html: page } = buildSite(path.join(dir, 'none'), META)
    expect(count(page, /<td>not run yet<\/td>/g)).toBe(6)
  })
})

describe('reliability figures', () => {
  it('are formatted by the unit their key names', () => {
    expect(figure('uploadBytes', 67_108_864)).toBe('64.0 MiB')
    expect(figure('requestBytes', 448_890)).toBe('448,890 B')
    expect(figure('settleMs', 1.371)).toBe('1.4 ms')
    expect(figure('holdMs', 2000)).toBe('2,000 ms')
    expect(figure('requests', 10_000)).toBe('10,000')
    expect(figure('rssDrift', 0.0191)).toBe('0.019')
    expect(figure('seed', null)).toBe('null')
  })
})

describe('fuzz runs', () => {
  it('shows the last gate run beside the latest run, and goes red when either failed', () => {
    writeFixtures(dir, ['fuzz'])
    mkdirSync(path.join(dir, 'gate/fuzz'), { recursive: true })
    writeFileSync(path.join(dir, 'gate/fuzz/latest.json'), JSON.stringify(fuzzFixture))
    const { html: page, sections } = buildSite(dir, META)
    const fuzz = sectionHtml(page, 'fuzz')
    expect(fuzz).toContain('Not run yet: <code>reports/fuzz/latest.json</code>')
    expect(fuzz).toContain('Last gate run <small>(reports/gate/fuzz/latest.json)</small>')
    expect(fuzz).toContain('npm run fuzz -- --time 60 --seed 9112')
    expect(sections.find((s) => s.id === 'fuzz')?.state).toBe('fail')
  })
})
