/** Terminal output: grouped by section, one line per case, details under failures, summary last. */
import type { CaseResult, Summary } from '../runner.ts'

const MARK = { pass: '✔', warn: '⚠', fail: '✘', skip: '○' } as const

export function formatResult(r: CaseResult, verbose: boolean): string[] {
  const lines = [
    `  ${MARK[r.status]} ${r.id} [${r.level}${r.kind === 'wire' ? '' : `, ${r.client}`}]${r.outcome && r.status !== 'fail' ? ` ${r.outcome}` : ''}`,
  ]
  if (r.status === 'fail' || (verbose && r.status !== 'pass')) {
    lines.push(`      requirement: ${r.rfc} §${r.section}: ${r.requirement}`)
    if (r.reason) lines.push(`      why: ${r.reason}`)
    lines.push(`      expected: ${r.expected.join(' OR ')}`)
    lines.push(`      actual:   ${r.actual}`)
    for (const m of r.mismatches.slice(0, 6)) lines.push(`        · ${m}`)
    if (r.request) lines.push(`      sent:     ${r.request.slice(0, 400)}`)
    if (r.response) lines.push(`      received: ${r.response.slice(0, 400)}`)
  } else if (r.status === 'warn' || r.status === 'skip') {
    if (r.reason) lines.push(`      ${r.status === 'warn' ? 'warning' : 'skipped'}: ${r.reason}`)
  }
  return lines
}

export function formatConsole(results: readonly CaseResult[], verbose = false): string {
  const out: string[] = []
  let group = ''
  for (const r of results) {
    if (r.group !== group) {
      group = r.group
      out.push('', group)
    }
    out.push(...formatResult(r, verbose))
  }
  return out.join('\n')
}

export function summaryLine(target: string, s: Summary): string {
  return `conformance ${target}: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.skip} skip`
}
