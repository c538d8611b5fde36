/** The Markdown report for people: a score table per section, then every non-pass case with its evidence. */
import type { Report } from './json.ts'

function esc(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

function code(text: string): string {
  return `\`${text.replace(/`/g, 'ˋ')}\``
}

export function toMarkdown(report: Report): string {
  const s = report.summary
  const out: string[] = [
    `# Conformance: ${report.target}`,
    '',
    `Generated ${report.generatedAt} in ${(report.durationMs / 1000).toFixed(1)} s. ` +
      `Split mode ${report.options.split ? 'on' : 'off'}, ${report.options.strict ? 'strict' : 'not strict'}, seed ${report.options.seed}, ` +
      `headers timeout ${report.options.headersTimeoutMs ?? 'unknown'} ms.`,
    '',
    `**${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.skip} skip** (${s.total} results, ${s.mustFail} MUST-level failures).`,
    '',
    '| Section | Cases | ✔ pass | ✘ fail | ⚠ warn | ○ skip |',
    '|---|---:|---:|---:|---:|---:|',
    ...report.sections.map(
      (x) => `| ${esc(x.title)} | ${x.total} | ${x.pass} | ${x.fail} | ${x.warn} | ${x.skip} |`,
    ),
    '',
  ]
  const notable = report.results.filter((r) => r.status !== 'pass')
  for (const status of ['fail', 'warn', 'skip'] as const) {
    const list = notable.filter((r) => r.status === status)
    if (list.length === 0) continue
    out.push(
      `## ${status === 'fail' ? '✘ Failures' : status === 'warn' ? '⚠ Warnings' : '○ Skipped'} (${list.length})`,
      '',
    )
    for (const r of list) {
      out.push(`### ${r.id} (${r.level})`, '')
      out.push(`- **Requirement** (${r.rfc} §${r.section}): ${esc(r.requirement)}`)
      if (r.reason) out.push(`- **Why**: ${esc(r.reason)}`)
      if (status !== 'skip') {
        out.push(`- **Expected** one of: ${r.expected.map(esc).join('; ')}`)
        out.push(`- **Actual**: ${esc(r.actual)}`)
        if (r.request) out.push(`- **Sent**: ${code(r.request.slice(0, 600))}`)
        if (r.response) out.push(`- **Received**: ${code(r.response.slice(0, 600))}`)
      }
      out.push('')
    }
  }
  out.push('## All cases', '', '| Case | Level | Result | Outcome / actual |', '|---|---|---|---|')
  const mark = { pass: '✔', warn: '⚠', fail: '✘', skip: '○' } as const
  for (const r of report.results) {
    out.push(`| ${code(r.id)} | ${r.level} | ${mark[r.status]} | ${esc(r.outcome ?? r.actual)} |`)
  }
  return `${out.join('\n')}\n`
}
