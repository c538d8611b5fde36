/**
 * The JSON report: the source of truth every other view is built from.
 *
 * Schema `sockhttp-conformance/1` (stable; extend by adding fields only):
 * {
 *   "schema": "sockhttp-conformance/1",
 *   "target": "sockhttp" | "node" | "http://HOST:PORT",
 *   "generatedAt": ISO-8601 string,
 *   "durationMs": number,
 *   "options": { "split": boolean, "strict": boolean, "seed": number, "timeoutMs": number,
 *                "headersTimeoutMs": number | null, "reflect": boolean },
 *   "summary": { "total", "pass", "fail", "warn", "skip", "mustFail": number },
 *   "sections": [ { "title": string, "total", "pass", "fail", "warn", "skip": number } ],
 *   "results": [ {
 *     "id": "9112-6.3/cl-te-conflict"      // "<id>~split" for a split-mode disagreement
 *     "group": section title, "rfc": "RFC 9112", "section": "6.3",
 *     "level": "MUST" | "SHOULD" | "MAY", "requirement": string,
 *     "kind": "wire" | "scenario" | "split", "client": "net" | "undici" | "node:http" | "curl" | "python3",
 *     "status": "pass" | "warn" | "fail" | "skip",
 *     "outcome": name of the allowed outcome that matched, or null,
 *     "expected": [ descriptions of every allowed outcome ],
 *     "actual": one-line summary of what the target did,
 *     "reason": why it warned / failed / was skipped, or null,
 *     "mismatches": [ per-outcome reasons it did not match ] (only when nothing matched),
 *     "request": escaped request bytes or null, "response": escaped response bytes or null,
 *     "elapsedMs": number,
 *     "split": null | { "writes", "seed": number, "outcome": string | null, "actual": string, "agrees": boolean }
 *   } ]
 * }
 */
import type { CaseResult, Summary } from '../runner.ts'
import { summarize } from '../runner.ts'

export const SCHEMA = 'sockhttp-conformance/1'

export interface ReportOptions {
  readonly split: boolean
  readonly strict: boolean
  readonly seed: number
  readonly timeoutMs: number
  readonly headersTimeoutMs: number | null
  readonly reflect: boolean
}

export interface SectionSummary {
  readonly title: string
  readonly total: number
  readonly pass: number
  readonly fail: number
  readonly warn: number
  readonly skip: number
}

export interface Report {
  readonly schema: typeof SCHEMA
  readonly target: string
  readonly generatedAt: string
  readonly durationMs: number
  readonly options: ReportOptions
  readonly summary: Summary & { readonly total: number }
  readonly sections: readonly SectionSummary[]
  readonly results: readonly CaseResult[]
}

export function sections(results: readonly CaseResult[]): SectionSummary[] {
  const map = new Map<
    string,
    { title: string; total: number; pass: number; fail: number; warn: number; skip: number }
  >()
  for (const r of results) {
    let s = map.get(r.group)
    if (!s) {
      s = { title: r.group, total: 0, pass: 0, fail: 0, warn: 0, skip: 0 }
      map.set(r.group, s)
    }
    s.total++
    s[r.status]++
  }
  return [...map.values()]
}

export function buildReport(
  target: string,
  results: readonly CaseResult[],
  options: ReportOptions,
  durationMs: number,
): Report {
  const summary = summarize(results)
  return {
    schema: SCHEMA,
    target,
    generatedAt: new Date().toISOString(),
    durationMs: Math.round(durationMs),
    options,
    summary: { ...summary, total: results.length },
    sections: sections(results),
    results,
  }
}

export function toJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`
}
