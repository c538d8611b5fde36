/**
 * The reports page in a real browser (Debian's chromium, headless, through playwright-core), built
 * from the fixture reports in a temp dir so the test does not depend on whatever reports/ holds.
 * The screenshot of the real page (reports/index.png) is taken by `npm run report`, not here: a
 * test run leaves the repository as it found it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, type OpenedPage, openPage } from './browser.ts'
import { FIXTURE_EXPECT, writeFixtures } from './fixtures.ts'
import { buildSite } from './site.ts'

const missing = chromiumMissingReason()
if (missing) process.stderr.write(`browser test skipped: ${missing}\n`)

const META = {
  builtAt: '2026-11-25T06:30:00.000Z',
  commit: 'abc123',
  commitSubject: 'fixture',
  node: 'v20.20.2',
  command: 'npm run report',
}

describe.skipIf(missing !== null)(
  `reports/index.html in headless Chromium${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let dir: string
    let opened: OpenedPage

    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'sockhttp-browser-'))
      writeFixtures(dir)
      writeFileSync(path.join(dir, 'index.html'), buildSite(dir, META).html)
      opened = await openPage(path.join(dir, 'index.html'))
    }, 90_000)

    afterAll(async () => {
      await opened?.close()
      rmSync(dir, { recursive: true, force: true })
    })

    const countOf = (selector: string): Promise<number> => opened.page.locator(selector).count()

    it('renders every section and the conformance matrix', async () => {
      expect(await countOf('section[data-section]')).toBe(FIXTURE_EXPECT.sections)
      expect(await countOf('table[data-table="glance"] tbody tr')).toBe(FIXTURE_EXPECT.sections)
      expect(await countOf('table[data-table="conformance-matrix"] thead th')).toBe(
        FIXTURE_EXPECT.conformanceTargets + 1,
      )
      expect(await countOf('table[data-table="conformance-matrix"] tbody tr')).toBe(FIXTURE_EXPECT.matrixRows)
      expect(await countOf('details.case.failing')).toBe(FIXTURE_EXPECT.failingCases)
      expect(await countOf('details.case.warning')).toBe(FIXTURE_EXPECT.warningCases)
      expect(await countOf('table[data-table="gate"] tbody tr')).toBe(FIXTURE_EXPECT.gateRows)
      expect(await countOf('table[data-table="fuzz-properties"] tbody tr')).toBe(FIXTURE_EXPECT.fuzzRows)
      expect(await countOf('table[data-table="loadtest"] > tbody > tr')).toBe(FIXTURE_EXPECT.loadtestRows)
      expect(await countOf('table[data-table="reliability"] > tbody > tr')).toBe(
        FIXTURE_EXPECT.reliabilityRows,
      )
    })

    it('draws the SVG bars with a visible width', async () => {
      expect(await countOf('#chart-bench-rps svg rect.bar')).toBe(FIXTURE_EXPECT.barsRps)
      expect(await countOf('#chart-bench-latency svg rect.bar')).toBe(FIXTURE_EXPECT.barsLatency)
      expect(await countOf('#chart-bench-parser svg rect.bar')).toBe(FIXTURE_EXPECT.barsParser)
      const widths = await opened.page
        .locator('svg rect.bar')
        .evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().width))
      expect(widths.every((w) => w > 0)).toBe(true)
    })

    it('opens a failing case to show the bytes, the expected outcomes and the actual one', async () => {
      const c = opened.page.locator('section#conformance details.case.failing').first()
      await c.locator('summary').click()
      expect(await c.getAttribute('open')).not.toBeNull()
      expect(await c.locator('dl').isVisible()).toBe(true)
      const text = (await c.textContent()) ?? ''
      expect(text).toContain('bytes sent')
      expect(text).toContain('GET /<script>alert(1)</script> HTTP/1.1')
      expect(text).toContain('400 and close')
      expect(text).toContain('200 OK, connection open')
    })

    it('runs no script and makes no request beyond the file, with no console errors', async () => {
      expect(await countOf('script')).toBe(0)
      expect(opened.problems).toEqual([])
    })

    it('takes a screenshot', async () => {
      const png = path.join(dir, 'index.png')
      await opened.page.screenshot({ path: png, fullPage: true })
      expect(readFileSync(png).subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      )
    })
  },
)

describe.skipIf(missing !== null)('the browser check against a deliberately broken page', () => {
  it('reports console errors, page errors and outside requests', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sockhttp-browser-broken-'))
    try {
      const file = path.join(dir, 'index.html')
      writeFileSync(
        file,
        '<!doctype html><title>broken</title><img src="http://127.0.0.1:9/x.png"><script>console.error("boom"); undefinedFunction()</script>',
      )
      const opened = await openPage(file)
      try {
        expect(opened.problems).toContain('console error: boom')
        expect(opened.problems).toContain('request: http://127.0.0.1:9/x.png')
        expect(
          opened.problems.some((p) => p.startsWith('page error:') && p.includes('undefinedFunction')),
        ).toBe(true)
      } finally {
        await opened.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 90_000)
})

describe.skipIf(missing !== null)('a page with no reports at all, in headless Chromium', () => {
  it('renders "not run yet" for every section without errors', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sockhttp-browser-empty-'))
    try {
      writeFileSync(path.join(dir, 'index.html'), buildSite(dir, META).html)
      const opened = await openPage(path.join(dir, 'index.html'))
      try {
        expect(await opened.page.locator('[data-state="not-run"]').count()).toBe(FIXTURE_EXPECT.sections)
        expect(await opened.page.locator('svg rect.bar').count()).toBe(0)
        expect(opened.problems).toEqual([])
      } finally {
        await opened.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 90_000)
})
