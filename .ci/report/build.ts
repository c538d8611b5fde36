/**
 * `npm run report`: builds reports/index.html from the JSON reports, then (when Chromium is
 * installed) opens it in headless Chromium, fails on any console error or network request, and saves
 * a full-page screenshot to reports/index.png. Exit 0 on success, 1 when the page misbehaves in the
 * browser, 2 on bad usage.
 *
 *   npm run report
 *   npm run report -- --reports DIR --out FILE     # another reports directory / output file
 *   npm run report -- --no-screenshot
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { chromiumMissingReason, openPage } from './browser.ts'
import { buildSite } from './site.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

function git(args: string[]): string | null {
  try {
    return (
      execFileSync('git', args, {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || null
    )
  } catch {
    return null
  }
}

function usage(msg: string): never {
  process.stderr.write(`report: ${msg}\n`)
  process.exit(2)
}

async function main(): Promise<number> {
  let values: { reports?: string; out?: string; 'no-screenshot'?: boolean }
  try {
    ;({ values } = parseArgs({
      options: {
        reports: { type: 'string' },
        out: { type: 'string' },
        'no-screenshot': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (e) {
    usage(e instanceof Error ? e.message : String(e))
  }
  const reportsDir = path.resolve(ROOT, values.reports ?? 'reports')
  const out = path.resolve(ROOT, values.out ?? path.join(reportsDir, 'index.html'))
  const dirty = git(['status', '--porcelain', '--untracked-files=no'])
  const head = git(['rev-parse', '--short=12', 'HEAD'])
  const { html, sections } = buildSite(reportsDir, {
    builtAt: new Date().toISOString(),
    commit: head && dirty ? `${head} (with uncommitted changes)` : head,
    commitSubject: git(['log', '-1', '--format=%s']),
    node: process.version,
    command: 'npm run report',
  })
  writeFileSync(out, html)
  const rel = (f: string): string => path.relative(process.cwd(), f) || f
  const counts = (['ok', 'warn', 'fail', 'none'] as const).map(
    (s) => `${sections.filter((x) => x.state === s).length} ${s === 'none' ? 'not run' : s}`,
  )
  let shot = 'no screenshot (--no-screenshot)'
  let exit = 0
  if (!values['no-screenshot']) {
    const missing = chromiumMissingReason()
    if (missing) {
      shot = `no screenshot: ${missing}`
      process.stderr.write(`report: ${shot}\n`)
    } else {
      const png = `${out.replace(/\.html?$/, '')}.png`
      const opened = await openPage(out)
      try {
        await opened.page.screenshot({ path: png, fullPage: true })
      } finally {
        await opened.close()
      }
      shot = `screenshot ${rel(png)}`
      for (const p of opened.problems) process.stderr.write(`report: in Chromium: ${p}\n`)
      if (opened.problems.length > 0) {
        shot += `, ${opened.problems.length} browser problems`
        exit = 1
      }
    }
  }
  process.stdout.write(
    `report: wrote ${rel(out)} (${sections.length} sections: ${counts.join(', ')}), ${shot}\n`,
  )
  return exit
}

process.exitCode = await main()
