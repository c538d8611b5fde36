/**
 * Opens a page in Debian's headless Chromium through playwright-core, with a fresh profile and the
 * background services switched off, so the browser itself makes no network requests either. Used by
 * the site builder (screenshot of the real page) and by the browser test (fixture page).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { type BrowserContext, chromium, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export function chromiumMissingReason(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install -y chromium)`
}

export interface OpenedPage {
  readonly page: Page
  /** console.error messages, uncaught page errors, and any request that was not for the file itself. */
  readonly problems: string[]
  close(): Promise<void>
}

export async function openPage(file: string, viewport = { width: 1280, height: 900 }): Promise<OpenedPage> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sockhttp-chromium-'))
  let context: BrowserContext | undefined
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport,
      timeout: 60_000,
    })
    const page = context.pages()[0] ?? (await context.newPage())
    const problems: string[] = []
    const url = pathToFileURL(path.resolve(file)).href
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    page.on('request', (r) => {
      if (r.url() !== url) problems.push(`request: ${r.url()}`)
    })
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 })
    const ctx = context
    return {
      page,
      problems,
      close: async () => {
        await ctx.close()
        rmSync(profile, { recursive: true, force: true })
      },
    }
  } catch (e) {
    await context?.close().catch(() => {})
    rmSync(profile, { recursive: true, force: true })
    throw e
  }
}
