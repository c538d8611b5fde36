/**
 * compare.md: sockhttp against node:http, case by case. Node's parser (llhttp) is not ground truth:
 * where node differs, the case's requirement and allowed outcomes say who is right, and the known
 * Node quirks are listed with the RFC rule each one breaks.
 */
import type { CaseResult } from '../runner.ts'
import type { Report } from './json.ts'

export interface NodeQuirk {
  readonly title: string
  /** Case ids (or id prefixes) that show it. */
  readonly cases: readonly string[]
  readonly rule: string
  readonly note: string
}

/** Behaviours of node:http 20 (llhttp) that this suite flags, with the rule each one breaks. */
export const NODE_QUIRKS: readonly NodeQuirk[] = [
  {
    title: 'HTTP/0.9-style request lines are answered',
    cases: ['9112-3/http09-form'],
    rule: 'RFC 9112 §3: request-line = method SP request-target SP HTTP-version; a line without a version is invalid (400).',
    note: '`GET /\\r\\n\\r\\n` gets a 200 instead of 400.',
  },
  {
    title: 'Unsupported major versions are processed as HTTP/1.x',
    cases: ['9112-2.3/version-2.0', '9112-2.3/version-0.9'],
    rule: 'RFC 9110 §6.2 and §15.6.6: a server answers 505 to a major version it does not support; it must not process it as 1.1.',
    note: 'llhttp parses any single-digit major/minor, so `HTTP/2.0` and `HTTP/0.9` reach the application.',
  },
  {
    title: 'Host is not validated (duplicates, lists, invalid values)',
    cases: ['9112-3.2/host-', '9112-3.2/absolute-host-invalid'],
    rule: 'RFC 9112 §3.2: a server MUST respond 400 to a request with more than one Host field line or a Host with an invalid value.',
    note: 'node only checks that Host is present (requireHostHeader); `Host: a`, `Host: b` or `Host: a b` are served.',
  },
  {
    title: 'CONNECT without Host is not rejected',
    cases: ['9110-9.3.6/connect-no-host'],
    rule: 'RFC 9112 §3.2: an HTTP/1.1 request without Host gets 400.',
    note: 'The CONNECT path bypasses the Host check; our node target then answers 501.',
  },
  {
    title: 'Methods outside a fixed list are rejected with 400',
    cases: ['9112-3.1/method-'],
    rule: 'RFC 9110 §9.1: any token is a method; an unrecognised one SHOULD get 501 (Not Implemented).',
    note: 'llhttp only knows a built-in list of method names; `FOO`, `get` or `M!X` fail to parse.',
  },
  {
    title: 'OWS after a Content-Length or Transfer-Encoding value is rejected',
    cases: ['9110-8.6/cl-ows', '9112-6.1/te-trailing-ows'],
    rule: 'RFC 9112 §5.1 / RFC 9110 §5.5: OWS around a field value is not part of the value.',
    note: 'Trailing SP/HTAB after `5` or `chunked` gives 400.',
  },
  {
    title: 'An empty Transfer-Encoding frames as "no body"',
    cases: ['9112-6.3/te-empty-value'],
    rule: 'RFC 9112 §6.3 (4): with Transfer-Encoding present and chunked not final, the server MUST answer 400 and close.',
    note: 'The would-be body is then parsed as the next request.',
  },
  {
    title: 'A request pipelined behind an ignored Upgrade is dropped (depends on segmentation)',
    cases: ['9110-7.8/upgrade-then-pipelined'],
    rule: 'RFC 9110 §7.8: a server that ignores Upgrade keeps speaking HTTP/1.1 on the connection.',
    note: 'llhttp pauses after an Upgrade request; bytes already in the same read are never parsed.',
  },
  {
    title: 'Unknown transfer codings before chunked are passed through',
    cases: ['9112-6.1/te-unknown-then-chunked', '9112-6.1/te-gzip-then-chunked-lines'],
    rule: 'RFC 9112 §6.1: a server receiving a transfer coding it does not understand SHOULD respond 501.',
    note: 'Only the chunked layer is removed; the application gets bytes still in the unknown coding.',
  },
  {
    title: 'Request targets are not restricted to RFC 3986 characters',
    cases: ['9112-3.2/target-'],
    rule: 'RFC 9112 §3.2 / RFC 3986: `|`, `{`, `"`, `<`, `\\`, `^`, `#` and others are not allowed in a request-target; invalid request lines SHOULD get 400.',
    note: 'Warnings only.',
  },
  {
    title: 'HTTP/1.0 requests with Transfer-Encoding are processed',
    cases: ['9112-6.1/te-http10'],
    rule: 'RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding MUST be treated as having faulty framing.',
    note: 'node decodes the chunked body and then closes.',
  },
  {
    title: 'Error responses written by node itself carry no Date',
    cases: ['9110-6.6.1/date-on-400'],
    rule: 'RFC 9110 §6.6.1: an origin server with a clock MUST send Date in all 2xx, 3xx and 4xx responses.',
    note: 'The canned 400/431/408 responses of node:http (and a clientError handler that writes raw bytes) have no Date field.',
  },
  {
    title: 'The default clientError handler loses pipelined responses',
    cases: ['9112-9.3.2/invalid-after-valid'],
    rule: 'RFC 9112 §9.3.2: responses to pipelined requests are sent in order.',
    note: 'Without a clientError listener node writes the 400 immediately (ahead of pending responses) and destroys the socket. Our node target installs a listener that waits for the pending responses, so this case passes there.',
  },
]

function byId(report: Report): Map<string, CaseResult> {
  return new Map(report.results.map((r) => [r.id, r]))
}

function cell(r: CaseResult | undefined): string {
  if (!r) return '—'
  const mark = { pass: '✔', warn: '⚠', fail: '✘', skip: '○' }[r.status]
  return `${mark} ${(r.outcome ?? r.actual).replace(/\|/g, '\\|')}`
}

function explain(name: string, r: CaseResult): string {
  if (r.status === 'skip') return `${name} skipped: ${r.reason ?? ''}`
  if (r.outcome && r.reason) return `${name}: ${r.reason}`
  const allowed = r.expected.map((e) => e.replace(/ \[.*$/, '')).join(' or ')
  return `${name} did "${r.actual}", which the RFC does not allow (allowed: ${allowed})`
}

function why(a: CaseResult | undefined, b: CaseResult | undefined): string {
  const parts: string[] = []
  if (a && a.status !== 'pass') parts.push(explain('sockhttp', a))
  if (b && b.status !== 'pass') parts.push(explain('node', b))
  if (parts.length === 0) return 'both allowed by the RFC (different allowed outcomes)'
  return parts.join('; ').replace(/\|/g, '\\|')
}

export function toCompare(sock: Report, node: Report): string {
  const a = byId(sock)
  const b = byId(node)
  const ids = [...new Set([...a.keys(), ...b.keys()])]
  const diffs = ids.filter((id) => {
    const x = a.get(id)
    const y = b.get(id)
    return !x || !y || x.status !== y.status || x.outcome !== y.outcome
  })
  const s = sock.summary
  const n = node.summary
  const out: string[] = [
    '# sockhttp vs node:http',
    '',
    `Generated ${new Date().toISOString()}. Both targets serve the reflect app; node:http runs \`conformance/targets/node-apps.ts\`.`,
    '',
    '| Target | ✔ pass | ✘ fail | ⚠ warn | ○ skip | MUST failures |',
    '|---|---:|---:|---:|---:|---:|',
    `| sockhttp | ${s.pass} | ${s.fail} | ${s.warn} | ${s.skip} | ${s.mustFail} |`,
    `| node | ${n.pass} | ${n.fail} | ${n.warn} | ${n.skip} | ${n.mustFail} |`,
    '',
    `## Cases where they differ (${diffs.length})`,
    '',
    '| Case | Level | sockhttp | node | Why |',
    '|---|---|---|---|---|',
  ]
  for (const id of diffs) {
    const x = a.get(id)
    const y = b.get(id)
    out.push(`| \`${id}\` | ${(x ?? y)?.level ?? ''} | ${cell(x)} | ${cell(y)} | ${why(x, y)} |`)
  }
  out.push(
    '',
    '## Known Node quirks',
    '',
    "Node's parser is not ground truth. Each quirk, the rule it breaks, and what this run saw:",
    '',
  )
  for (const q of NODE_QUIRKS) {
    const seen = node.results.filter(
      (r) => q.cases.some((c) => r.id === c || r.id.startsWith(c)) && r.status !== 'pass',
    )
    out.push(`### ${q.title}`, '', `- **Rule**: ${q.rule}`, `- **Behaviour**: ${q.note}`)
    out.push(
      `- **This run**: ${seen.length === 0 ? 'not observed' : seen.map((r) => `\`${r.id}\` ${r.status}`).join(', ')}`,
      '',
    )
  }
  return `${out.join('\n')}\n`
}
