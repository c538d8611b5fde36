/** JUnit XML for CI: one testsuite per section, one testcase per result; warnings are passing cases with output. */
import type { Report } from './json.ts'

function xml(text: string): string {
  return text
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g,
      (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

export function toJunit(report: Report): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>']
  const s = report.summary
  out.push(
    `<testsuites name="conformance ${xml(report.target)}" tests="${s.total}" failures="${s.fail}" skipped="${s.skip}" time="${(report.durationMs / 1000).toFixed(3)}">`,
  )
  for (const sec of report.sections) {
    const rs = report.results.filter((r) => r.group === sec.title)
    out.push(
      `  <testsuite name="${xml(sec.title)}" tests="${sec.total}" failures="${sec.fail}" skipped="${sec.skip}">`,
    )
    for (const r of rs) {
      const open = `    <testcase classname="${xml(`${r.rfc} §${r.section}`)}" name="${xml(`${r.id} [${r.level}]`)}" time="${(r.elapsedMs / 1000).toFixed(3)}"`
      if (r.status === 'pass') {
        out.push(`${open}/>`)
      } else if (r.status === 'skip') {
        out.push(`${open}>`, `      <skipped message="${xml(r.reason ?? 'skipped')}"/>`, '    </testcase>')
      } else if (r.status === 'warn') {
        out.push(
          `${open}>`,
          `      <system-out>${xml(`warning: ${r.reason ?? ''}\nactual: ${r.actual}`)}</system-out>`,
          '    </testcase>',
        )
      } else {
        const body = [
          `requirement: ${r.requirement}`,
          `expected: ${r.expected.join(' OR ')}`,
          `actual: ${r.actual}`,
          ...r.mismatches,
          r.request ? `sent: ${r.request}` : '',
          r.response ? `received: ${r.response}` : '',
        ].join('\n')
        out.push(
          `${open}>`,
          `      <failure message="${xml(r.reason ?? 'failed')}">${xml(body)}</failure>`,
          '    </testcase>',
        )
      }
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return `${out.join('\n')}\n`
}
