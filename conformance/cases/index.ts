/** The whole catalog, in report order. One file per RFC section (or a group of neighbouring sections). */
import type { Case, CaseGroup } from '../types.ts'
import { responses } from './rfc9110-6-responses.ts'
import { methods } from './rfc9110-9-methods.ts'
import { expect } from './rfc9110-10.1.1-expect.ts'
import { lineEndings } from './rfc9112-2.2-line-endings.ts'
import { requestTarget } from './rfc9112-3.2-target.ts'
import { requestLine } from './rfc9112-3-request-line.ts'
import { fields } from './rfc9112-5-fields.ts'
import { transferEncoding } from './rfc9112-6.1-transfer-encoding.ts'
import { contentLength } from './rfc9112-6.3-content-length.ts'
import { chunkedCoding } from './rfc9112-7.1-chunked.ts'
import { timeouts } from './rfc9112-9.5-timeouts.ts'
import { persistence } from './rfc9112-9-persistence.ts'
import { scenarios } from './scenarios.ts'

export const GROUPS: readonly CaseGroup[] = [
  lineEndings,
  requestLine,
  requestTarget,
  fields,
  contentLength,
  transferEncoding,
  chunkedCoding,
  methods,
  expect,
  persistence,
  timeouts,
  responses,
  scenarios,
]

export interface CatalogEntry {
  readonly group: string
  readonly c: Case
}

export function catalog(groups: readonly CaseGroup[] = GROUPS): CatalogEntry[] {
  return groups.flatMap((g) => g.cases.map((c) => ({ group: g.title, c })))
}

/** `--case`/`--exclude` matching: an exact id, or a prefix (`9112-6.3`, `9112-6.3/cl-`). */
export function matches(id: string, pattern: string): boolean {
  return id.startsWith(pattern)
}

/** Exactly these ids, in catalog order (tests use this; the CLI uses prefixes). */
export function exactly(entries: readonly CatalogEntry[], ids: readonly string[]): CatalogEntry[] {
  const wanted = new Set(ids)
  return entries.filter((e) => wanted.has(e.c.id))
}

export function select(
  entries: readonly CatalogEntry[],
  include: readonly string[],
  exclude: readonly string[],
): CatalogEntry[] {
  return entries.filter(
    (e) =>
      (include.length === 0 || include.some((p) => matches(e.c.id, p))) &&
      !exclude.some((p) => matches(e.c.id, p)),
  )
}
