/**
 * A tagged template for HTML that escapes every interpolated string, so report data (request bytes,
 * header values, error messages) can never turn into markup. Only values already wrapped as Html
 * (built by this template or by `trusted`) pass through as they are.
 */

export interface Html {
  readonly html: string
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[]

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}

function isHtml(v: Part): v is Html {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'html' in v
}

function render(v: Part): string {
  if (v === null || v === undefined || v === false || v === true) return ''
  if (typeof v === 'number') return escapeHtml(String(v))
  if (typeof v === 'string') return escapeHtml(v)
  if (isHtml(v)) return v.html
  return (v as readonly Part[]).map(render).join('')
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!
  return { html: out }
}

/** Markup written by this module's callers (the stylesheet, fixed SVG fragments): never data. */
export function trusted(markup: string): Html {
  return { html: markup }
}

export function join(parts: readonly Part[], separator: Part = ''): Html {
  const out: string[] = []
  for (const [i, p] of parts.entries()) {
    if (i > 0) out.push(render(separator))
    out.push(render(p))
  }
  return { html: out.join('') }
}

/** Thousands separators, fixed locale so the page does not depend on the machine that built it. */
export function int(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a'
}

export function fixed(n: number | null | undefined, digits = 2): string {
  return n === null || n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(digits)
}

/** A ratio as people read it: "1.84×". */
export function times(n: number | null | undefined, digits = 2): string {
  return n === null || n === undefined || !Number.isFinite(n) ? 'n/a' : `${n.toFixed(digits)}×`
}

/**
 * Escaped wire bytes ("GET / HTTP/1.1\r\nHost: a\r\n\r\n") with a real line break after each
 * escaped LF, so a request reads line by line. An escaped backslash before "n" is left alone.
 */
export function bytesLines(escaped: string): string {
  return escaped.replace(/(^|[^\\])((?:\\\\)*\\n)/g, '$1$2\n')
}

/** "1 failure", "2 failures". */
export function plural(n: number, word: string): string {
  return `${int(n)} ${word}${n === 1 ? '' : 's'}`
}
