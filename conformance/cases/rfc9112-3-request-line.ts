/** RFC 9112 §3 (request line: method, SP, version), §2.2 leading empty lines, §2.3 versions; RFC 9110 §9.1, §2.5. */
import type { CaseGroup, WireCase } from '../types.ts'
import { latin1 } from '../wire/bytes.ts'
import { accept, get, head, reject, wire } from './dsl.ts'

const METHOD_TOKEN =
  'The method is a case-sensitive token. A recipient parses any token as a method and SHOULD answer one it does not implement with 501 (or 405 for this resource) rather than 400; it must never alter the method it reports.'
const METHOD_INVALID =
  'A method that is not a token makes the request line invalid: the server SHOULD answer 400.'
const SP_RULE =
  'The request line is method SP target SP version with single SPs. A recipient MAY split on any run of whitespace (SP, HTAB, VT, FF, bare CR) instead, but then the three parts it finds must be the ones sent; otherwise it answers 400.'
const VERSION_SYNTAX =
  'HTTP-version is the case-sensitive "HTTP/" followed by one digit, ".", one digit. Anything else is not a version: the request line is invalid (400); a server that calls it an unsupported version (505) is also acceptable.'
const VERSION_MAJOR =
  'A well-formed version with a major number the server does not implement gets 505 (HTTP Version Not Supported); 400 is tolerated. It must never be processed as HTTP/1.1.'
const VERSION_MINOR =
  'A recipient that implements HTTP/1 and receives a higher 1.x minor version SHOULD process the request as the highest 1.x it implements (RFC 9110 §2.5).'

function methodCase(slug: string, method: string, ok: boolean): WireCase {
  const outcomes = ok
    ? [
        accept({ method }),
        { name: 'not implemented (501)', responses: [{ status: 501 }], connection: 'any' as const },
        { name: 'not allowed here (405)', responses: [{ status: 405 }], connection: 'any' as const },
      ]
    : [reject(400)]
  return wire({
    id: `9112-3.1/${slug}`,
    section: '3.1',
    level: 'SHOULD',
    requirement: ok ? METHOD_TOKEN : METHOD_INVALID,
    send: head(`${method} /m HTTP/1.1`, 'Host: x'),
    outcomes,
  })
}

function standardMethod(method: string): WireCase {
  const body = method === 'POST' || method === 'PUT' || method === 'PATCH'
  return wire({
    id: `9112-3.1/method-${method.toLowerCase()}`,
    rfc: 'RFC 9110',
    section: '9.3',
    level: 'MUST',
    requirement: `A ${method} request with a well-formed request line is parsed with its method, target and version intact.`,
    send: body
      ? `${head(`${method} /m?q=1 HTTP/1.1`, 'Host: x', 'Content-Length: 3')}abc`
      : head(`${method} /m?q=1 HTTP/1.1`, 'Host: x'),
    outcomes: [accept({ method, target: '/m?q=1', version: '1.1', ...(body ? { body: 'abc' } : {}) })],
  })
}

function spCase(slug: string, line: string): WireCase {
  return wire({
    id: `9112-3/${slug}`,
    section: '3',
    level: 'MUST',
    requirement: SP_RULE,
    send: head(line, 'Host: x'),
    outcomes: [reject(400), accept({ method: 'GET', target: '/sp', version: '1.1' }, 'parsed on whitespace')],
  })
}

const FAIL_FAST =
  'Recipients of an invalid request line SHOULD answer 400. Once the bytes received can no longer start a valid request line, waiting for the rest of the line (until a timeout) only holds a connection open for a peer that is not speaking HTTP/1.1.'

function failFast(slug: string, bytes: string): WireCase {
  return wire({
    id: `9112-3/${slug}`,
    section: '3',
    level: 'SHOULD',
    requirement: FAIL_FAST,
    steps: [{ kind: 'send', bytes: latin1(bytes) }],
    probe: false,
    outcomes: [
      { name: 'rejected with 400 at once', responses: [{ status: 400 }], connection: 'close' },
      {
        name: 'closed without a response',
        responses: [],
        connection: 'close',
        warn: 'closed without sending 400',
      },
      {
        name: 'waited for the line, then 408',
        responses: [{ status: 408 }],
        connection: 'close',
        warn: 'waited for the end of a line that could never be valid',
      },
    ],
  })
}

function versionCase(slug: string, version: string, kind: 'syntax' | 'major' | 'minor'): WireCase {
  const line = `GET /v ${version}`
  const outcomes =
    kind === 'syntax'
      ? [reject([400, 505])]
      : kind === 'major'
        ? [reject(505), { ...reject(400)[0]!, name: 'rejected with 400' }]
        : [
            accept({ version: '1.1' }, 'processed as HTTP/1.1'),
            {
              name: 'rejected with 505',
              responses: [{ status: 505 }],
              connection: 'any' as const,
              warn: VERSION_MINOR,
            },
          ]
  return wire({
    id: `9112-2.3/${slug}`,
    section: '2.3',
    level: kind === 'minor' ? 'SHOULD' : 'MUST',
    requirement: kind === 'syntax' ? VERSION_SYNTAX : kind === 'major' ? VERSION_MAJOR : VERSION_MINOR,
    send: head(line, 'Host: x'),
    outcomes,
  })
}

export const requestLine: CaseGroup = {
  title: 'RFC 9112 §3 Request line (methods, SP, versions)',
  cases: [
    ...['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].map(standardMethod),
    methodCase('method-lowercase', 'get', true),
    methodCase('method-unknown-token', 'FOO', true),
    methodCase('method-m-search', 'M-SEARCH', true),
    methodCase('method-all-tchars', "X!#$%&'*+-.^_`|~9", true),
    methodCase('method-paren', 'GE(T', false),
    methodCase('method-at', 'G@T', false),
    methodCase('method-comma', 'GET,', false),
    methodCase('method-slash', 'GET/', false),
    methodCase('method-colon', 'GET:', false),
    methodCase('method-nul', 'GE\x00T', false),
    methodCase('method-del', 'GET\x7f', false),
    methodCase('method-high-byte', 'G\xc9T', false),
    methodCase('method-quote', 'G"T', false),
    failFast('fail-fast-tls-handshake', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03'),
    failFast('fail-fast-invalid-method', '@@@@@'),
    failFast('fail-fast-ctl-in-target', 'GET /a\x01b'),
    failFast('fail-fast-bad-version', 'GET / HTTX/1.1'),
    wire({
      id: '9112-3/empty-method',
      section: '3',
      level: 'SHOULD',
      requirement: METHOD_INVALID,
      send: head(' / HTTP/1.1', 'Host: x'),
      outcomes: [reject(400)],
    }),
    wire({
      id: '9112-3/no-sp-after-method',
      section: '3',
      level: 'SHOULD',
      requirement: METHOD_INVALID,
      send: head('GET/ HTTP/1.1', 'Host: x'),
      outcomes: [reject(400)],
    }),
    spCase('double-sp-after-method', 'GET  /sp HTTP/1.1'),
    spCase('double-sp-before-version', 'GET /sp  HTTP/1.1'),
    spCase('htab-separator', 'GET\t/sp\tHTTP/1.1'),
    spCase('vt-separator', 'GET\x0b/sp HTTP/1.1'),
    spCase('ff-separator', 'GET /sp\x0cHTTP/1.1'),
    spCase('bare-cr-separator', 'GET\r/sp HTTP/1.1'),
    spCase('trailing-sp', 'GET /sp HTTP/1.1 '),
    spCase('leading-sp', ' GET /sp HTTP/1.1'),
    wire({
      id: '9112-3/space-in-target',
      section: '3',
      level: 'MUST',
      requirement:
        'A target containing a space gives four words on the request line: it is invalid and must be rejected, never read as target "/a" with version "b HTTP/1.1".',
      send: head('GET /a b HTTP/1.1', 'Host: x'),
      outcomes: [reject([400, 505])],
    }),
    wire({
      id: '9112-3/extra-word',
      section: '3',
      level: 'MUST',
      requirement: 'A request line with text after the version is invalid and must be rejected.',
      send: head('GET / HTTP/1.1 extra', 'Host: x'),
      outcomes: [reject([400, 505])],
    }),
    wire({
      id: '9112-3/missing-target',
      section: '3',
      level: 'MUST',
      requirement: 'A request line without a target is invalid and must be rejected.',
      send: head('GET HTTP/1.1', 'Host: x'),
      outcomes: [reject([400, 505])],
    }),
    wire({
      id: '9112-3/http09-form',
      section: '3',
      level: 'MUST',
      requirement:
        'The HTTP/0.9 request form (`GET /` with no version) is not HTTP/1.1: it must be rejected, and never answered with a bare HTTP/0.9 body.',
      send: 'GET /\r\n\r\n',
      outcomes: [reject([400, 505])],
    }),
    wire({
      id: '9112-3/http09-form-alone',
      section: '3',
      level: 'MUST',
      requirement:
        'An HTTP/0.9-style request followed by the end of the stream gets an error status or a plain close, never a 0.9 reply.',
      steps: [{ kind: 'send', bytes: new TextEncoder().encode('GET /\r\n') }, { kind: 'shutdown' }],
      outcomes: [
        { name: 'rejected with 400|505', responses: [{ status: [400, 505] }], connection: 'close' },
        { name: 'closed (incomplete request)', responses: [], connection: 'close' },
      ],
    }),
    wire({
      id: '9112-3/empty-request-line',
      section: '3',
      level: 'MUST',
      requirement: 'A line of only spaces is not a request line and must be rejected.',
      send: '   \r\nHost: x\r\n\r\n',
      outcomes: [reject(400)],
    }),
    wire({
      id: '9112-2.3/version-1.0',
      section: '2.3',
      level: 'MUST',
      requirement: 'An HTTP/1.0 request is accepted and reported as version 1.0 (it needs no Host).',
      send: 'GET /v HTTP/1.0\r\n\r\n',
      outcomes: [{ ...accept({ version: '1.0', target: '/v' }), connection: 'any' }],
    }),
    wire({
      id: '9112-2.3/version-1.1',
      section: '2.3',
      level: 'MUST',
      requirement: 'An HTTP/1.1 request is accepted and reported as version 1.1.',
      send: get('/v'),
      outcomes: [accept({ version: '1.1', target: '/v', method: 'GET', headers: [['Host', 'x']] })],
    }),
    versionCase('version-1.2', 'HTTP/1.2', 'minor'),
    versionCase('version-1.9', 'HTTP/1.9', 'minor'),
    versionCase('version-1.32', 'HTTP/1.32', 'syntax'),
    versionCase('version-2.0', 'HTTP/2.0', 'major'),
    versionCase('version-3.0', 'HTTP/3.0', 'major'),
    versionCase('version-9.9', 'HTTP/9.9', 'major'),
    versionCase('version-0.9', 'HTTP/0.9', 'major'),
    versionCase('version-huge', 'HTTP/4294967295.255', 'syntax'),
    versionCase('version-wrap-1.1', 'HTTP/4294967297.1', 'syntax'),
    versionCase('version-lowercase', 'http/1.1', 'syntax'),
    versionCase('version-mixed-case', 'Http/1.1', 'syntax'),
    versionCase('version-leading-zero-major', 'HTTP/01.1', 'syntax'),
    versionCase('version-leading-zero-minor', 'HTTP/1.01', 'syntax'),
    versionCase('version-no-minor', 'HTTP/1', 'syntax'),
    versionCase('version-dot-no-minor', 'HTTP/1.', 'syntax'),
    versionCase('version-name-only', 'HTTP/', 'syntax'),
    versionCase('version-space-for-slash', 'HTTP 1.1', 'syntax'),
    versionCase('version-comma', 'HTTP/1,1', 'syntax'),
    versionCase('version-letters', 'HTTP/A.B', 'syntax'),
    versionCase('version-three-parts', 'HTTP/1.1.1', 'syntax'),
    versionCase('version-suffix', 'HTTP/1.1x', 'syntax'),
    versionCase('version-https', 'HTTPS/1.1', 'syntax'),
    versionCase('version-fullwidth-digit', 'HTTP/1.\xef', 'syntax'),
    wire({
      id: '9112-2.2/leading-crlf',
      section: '2.2',
      level: 'SHOULD',
      requirement: 'A server SHOULD ignore at least one empty line (CRLF) received before the request line.',
      send: `\r\n${get('/lead')}`,
      outcomes: [
        accept({ target: '/lead' }),
        reject(400).map((o) => ({ ...o, warn: 'did not ignore a leading CRLF' })),
      ],
    }),
    wire({
      id: '9112-2.2/leading-crlf-x3',
      section: '2.2',
      level: 'MAY',
      requirement:
        'Ignoring more than one leading empty line is allowed but not required; rejecting them is fine too.',
      send: `\r\n\r\n\r\n${get('/lead')}`,
      outcomes: [accept({ target: '/lead' }), reject(400)],
    }),
    wire({
      id: '9112-2.2/crlf-between-pipelined',
      section: '2.2',
      level: 'SHOULD',
      requirement:
        'An empty line between two pipelined requests is a leading empty line of the second one and SHOULD be ignored.',
      send: `${get('/1')}\r\n${get('/2')}`,
      outcomes: [
        {
          name: 'both answered',
          responses: [
            { status: 'accepted', reflect: { target: '/1' } },
            { status: 'accepted', reflect: { target: '/2' } },
          ],
          connection: 'open',
        },
        {
          name: 'second rejected',
          responses: [{ status: 'accepted', reflect: { target: '/1' } }, { status: 400 }],
          connection: 'close',
          warn: 'did not ignore the empty line before the second request',
        },
      ],
    }),
    wire({
      id: '9112-3/long-method',
      section: '3',
      level: 'MAY',
      requirement:
        'The RFC sets no limit on method length; a very long token method is accepted, refused as not implemented (501), or refused as too long.',
      send: head(`${'M'.repeat(2000)} / HTTP/1.1`, 'Host: x'),
      outcomes: [accept({ method: 'M'.repeat(2000) }), reject([400, 405, 414, 431, 501])],
    }),
  ],
}
