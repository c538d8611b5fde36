/** Pieces every section of the page shares: "not run yet", unreadable reports, command lists. */
import { type Html, html } from '../html.ts'
import type { Loaded } from '../load.ts'

export interface Section {
  readonly id: string
  readonly title: string
  /** One word for the navigation bar: ok, fail, warn, none. */
  readonly state: 'ok' | 'fail' | 'warn' | 'none'
  readonly body: Html
  /** One line for the "at a glance" table; absent when the report is missing or unreadable. */
  readonly headline?: string
}

/** A headline computed from report data, or none when the data does not have the expected shape. */
export function headline(compute: () => string): { headline?: string } {
  try {
    return { headline: compute() }
  } catch {
    return {}
  }
}

export function notRun(file: string, command: string): Html {
  return html`<p class="not-run" data-state="not-run">Not run yet: <code>reports/${file}</code> does not exist. Produce it with <code>${command}</code>.</p>`
}

export function unreadable(file: string, reason: string): Html {
  return html`<p class="error" data-state="invalid">Could not read <code>reports/${file}</code>: ${reason}</p>`
}

/** Renders a loaded report, or says why it cannot; a renderer that throws is reported, not fatal. */
export function fromReport<T>(
  loaded: Loaded<T>,
  command: string,
  render: (data: T) => Html,
): { body: Html; ok: boolean } {
  if (loaded.state === 'missing') return { body: notRun(loaded.file, command), ok: false }
  if (loaded.state === 'invalid') return { body: unreadable(loaded.file, loaded.reason), ok: false }
  try {
    return { body: render(loaded.data), ok: true }
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e)
    return {
      body: unreadable(loaded.file, `it does not have the shape this page expects (${reason})`),
      ok: false,
    }
  }
}

export function commandList(commands: readonly string[]): Html {
  if (commands.length === 0) return html``
  return html`<div class="commands"><span>Produced by</span><ul>${commands.map((c) => html`<li><code>${c}</code></li>`)}</ul></div>`
}

export function generated(at: string | undefined, extra = ''): Html {
  return html`<p class="meta">Generated ${at ?? 'at an unknown time'}${extra ? `; ${extra}` : ''}.</p>`
}

export function badge(status: string): Html {
  return html`<span class="badge b-${status.toLowerCase()}">${status}</span>`
}
