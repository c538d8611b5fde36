/** RFC 9112 §3.2 request-target forms, §3.2.2 absolute-form vs Host, §3 target length (414). */
import type { CaseGroup, Outcome, WireCase } from '../types.ts'
import { accept, acceptWarn, head, reject, wire } from './dsl.ts'

const ORIGIN =
  'An origin-form target is passed to the application exactly as received: no decoding, no normalisation.'
const INVALID_CHAR =
  'request-target is built from RFC 3986 characters only; a target with other bytes (controls, SP-like bytes, `"<>\\^`{|}`, bytes >= 0x80) is invalid and SHOULD be answered with 400.'
const LONG =
  'A server that receives a request-target longer than it is willing to parse MUST answer 414 (URI Too Long); one that does parse it must pass it through intact.'

function originCase(slug: string, target: string): WireCase {
  return wire({
    id: `9112-3.2.1/${slug}`,
    section: '3.2.1',
    level: 'MUST',
    requirement: ORIGIN,
    send: head(`GET ${target} HTTP/1.1`, 'Host: x'),
    outcomes: [accept({ target })],
  })
}

function invalidCharCase(slug: string, target: string): WireCase {
  return wire({
    id: `9112-3.2/${slug}`,
    section: '3.2',
    level: 'SHOULD',
    requirement: INVALID_CHAR,
    send: head(`GET ${target} HTTP/1.1`, 'Host: x'),
    outcomes: [reject(400), acceptWarn('accepted a target with bytes outside RFC 3986', { target })],
  })
}

function formCase(
  slug: string,
  section: string,
  level: 'MUST' | 'SHOULD' | 'MAY',
  requirement: string,
  bytes: string,
  outcomes: readonly (Outcome | readonly Outcome[])[],
): WireCase {
  return wire({ id: `9112-${section}/${slug}`, section, level, requirement, send: bytes, outcomes })
}

const AUTHORITY_ONLY_CONNECT =
  'The authority-form is only used with CONNECT; with any other method the target is invalid and SHOULD get 400. (The host is an IP literal so that the target cannot also be read as an absolute-URI whose scheme is the host name.)'
const ASTERISK_ONLY_OPTIONS =
  'The asterisk-form `*` is only used with OPTIONS (a server-wide request); with any other method it is invalid and SHOULD get 400.'
const ABS_HOST =
  'When a request has an absolute-form target, the origin server MUST ignore the Host field and take the authority from the target; a Host that differs is not an error.'
const NEED_HOST =
  'A server MUST answer 400 to an HTTP/1.1 request without a Host field, even when the target is in absolute-form.'

export const requestTarget: CaseGroup = {
  title: 'RFC 9112 §3.2 Request target',
  cases: [
    originCase('origin-simple', '/a/b'),
    originCase('origin-query', '/a?b=1&c=2'),
    originCase('origin-empty-query', '/a?'),
    originCase('origin-pct-encoded', '/a%20b%2Fc'),
    originCase('origin-dot-segments', '/a/../b/./c'),
    originCase('origin-double-slash', '//a//b'),
    originCase('origin-sub-delims', "/a;b,c=d!$&'()*+"),
    originCase('origin-query-slash-question', '/a?b/c?d'),
    originCase('origin-tilde-colon-at', '/~a:b@c'),
    invalidCharCase('target-pipe', '/a|b'),
    invalidCharCase('target-brace', '/a{b}'),
    invalidCharCase('target-dquote', '/a"b'),
    invalidCharCase('target-angle', '/a<b>'),
    invalidCharCase('target-backslash', '/a\\b'),
    invalidCharCase('target-caret', '/a^b'),
    invalidCharCase('target-backtick', '/a`b'),
    invalidCharCase('target-fragment', '/a#frag'),
    invalidCharCase('target-bad-pct', '/a%zz'),
    invalidCharCase('target-high-byte', '/caf\xe9'),
    invalidCharCase('target-utf8', '/\xc3\xa9'),
    invalidCharCase('target-del', '/a\x7fb'),
    invalidCharCase('target-nul', '/a\x00b'),
    invalidCharCase('target-ctl', '/a\x01b'),
    formCase(
      'target-relative',
      '3.2',
      'SHOULD',
      'An origin-form target starts with "/"; a relative path is none of the four forms and SHOULD get 400.',
      head('GET a/b HTTP/1.1', 'Host: x'),
      [reject(400), acceptWarn('accepted a relative target', { target: 'a/b' })],
    ),
    formCase(
      'absolute-host-differs',
      '3.2.2',
      'MUST',
      ABS_HOST,
      head('GET http://a.example/abs?q=1 HTTP/1.1', 'Host: b.example'),
      [accept({ target: 'http://a.example/abs?q=1' })],
    ),
    formCase(
      'absolute-host-same',
      '3.2.2',
      'MUST',
      ABS_HOST,
      head('GET http://a.example:8080/abs HTTP/1.1', 'Host: a.example:8080'),
      [accept({ target: 'http://a.example:8080/abs' })],
    ),
    formCase(
      'absolute-no-path',
      '3.2.2',
      'MAY',
      'An absolute-form target may have an empty path (it means "/"); a server accepts it or rejects it.',
      head('GET http://a.example HTTP/1.1', 'Host: a.example'),
      [accept({ target: 'http://a.example' }), reject(400)],
    ),
    formCase('absolute-without-host', '3.2', 'MUST', NEED_HOST, head('GET http://a.example/abs HTTP/1.1'), [
      reject(400),
    ]),
    formCase(
      'absolute-http10-without-host',
      '3.2',
      'MUST',
      'HTTP/1.0 requests need no Host; an absolute-form target carries the authority.',
      head('GET http://a.example/abs HTTP/1.0'),
      [{ ...accept({ target: 'http://a.example/abs', version: '1.0' }), connection: 'any' }],
    ),
    formCase(
      'absolute-host-invalid',
      '3.2',
      'MUST',
      'A Host field with an invalid value is answered with 400 even if the target is in absolute-form (the Host is ignored for routing, not for validity).',
      head('GET http://a.example/abs HTTP/1.1', 'Host: a b'),
      [reject(400)],
    ),
    formCase(
      'absolute-userinfo',
      '3.2.2',
      'SHOULD',
      'The userinfo subcomponent is deprecated in http(s) URIs: a recipient SHOULD treat its presence as an error (RFC 9110 §4.2.4).',
      head('GET http://user:pw@a.example/abs HTTP/1.1', 'Host: a.example'),
      [
        reject(400),
        acceptWarn('accepted userinfo in the target', { target: 'http://user:pw@a.example/abs' }),
      ],
    ),
    formCase(
      'absolute-https',
      '3.2.2',
      'MAY',
      'An https absolute-form target over plain TCP may be served, refused as misdirected (421) or rejected.',
      head('GET https://a.example/abs HTTP/1.1', 'Host: a.example'),
      [accept({ target: 'https://a.example/abs' }), reject([400, 421])],
    ),
    formCase(
      'absolute-other-scheme',
      '3.2.2',
      'MAY',
      'A target with a scheme the server does not serve may be refused (400/421) or passed on as received.',
      head('GET foo://a.example/abs HTTP/1.1', 'Host: a.example'),
      [accept({ target: 'foo://a.example/abs' }), reject([400, 421])],
    ),
    formCase(
      'absolute-ipv6',
      '3.2.2',
      'MUST',
      ABS_HOST,
      head('GET http://[::1]:80/abs HTTP/1.1', 'Host: [::1]:80'),
      [accept({ target: 'http://[::1]:80/abs' })],
    ),
    formCase(
      'authority-with-get',
      '3.2.3',
      'SHOULD',
      AUTHORITY_ONLY_CONNECT,
      head('GET 127.0.0.1:8080 HTTP/1.1', 'Host: 127.0.0.1:8080'),
      [reject(400), acceptWarn('accepted authority-form with GET', { target: '127.0.0.1:8080' })],
    ),
    formCase(
      'authority-or-absolute',
      '3.2.3',
      'MAY',
      '"a.example:80" is both an authority and a valid absolute-URI (scheme "a.example", path "80"); with GET a server may read it as absolute-form or reject it.',
      head('GET a.example:80 HTTP/1.1', 'Host: a.example:80'),
      [accept({ target: 'a.example:80' }, 'read as absolute-form'), reject([400, 421])],
    ),
    formCase(
      'authority-with-post',
      '3.2.3',
      'SHOULD',
      AUTHORITY_ONLY_CONNECT,
      `${head('POST 127.0.0.1:8080 HTTP/1.1', 'Host: 127.0.0.1:8080', 'Content-Length: 1')}x`,
      [reject(400), acceptWarn('accepted authority-form with POST', { target: '127.0.0.1:8080' })],
    ),
    formCase(
      'asterisk-options',
      '3.2.4',
      'MUST',
      'OPTIONS * asks about the server as a whole; it must be accepted (any 2xx) with target "*".',
      head('OPTIONS * HTTP/1.1', 'Host: x'),
      [
        accept({ target: '*', method: 'OPTIONS' }),
        { name: 'no content', responses: [{ status: 204 }], connection: 'open' },
      ],
    ),
    formCase('asterisk-get', '3.2.4', 'SHOULD', ASTERISK_ONLY_OPTIONS, head('GET * HTTP/1.1', 'Host: x'), [
      reject(400),
      acceptWarn('accepted * with GET', { target: '*' }),
    ]),
    formCase(
      'asterisk-post',
      '3.2.4',
      'SHOULD',
      ASTERISK_ONLY_OPTIONS,
      `${head('POST * HTTP/1.1', 'Host: x', 'Content-Length: 1')}x`,
      [reject(400), acceptWarn('accepted * with POST', { target: '*' })],
    ),
    formCase(
      'asterisk-suffix',
      '3.2.4',
      'SHOULD',
      'Only the single character "*" is the asterisk-form; "*x" is no form at all.',
      head('OPTIONS *x HTTP/1.1', 'Host: x'),
      [reject(400), acceptWarn('accepted *x', { target: '*x' })],
    ),
    formCase(
      'connect-origin-form',
      '3.2.3',
      'SHOULD',
      'CONNECT takes the authority-form only; CONNECT with an origin-form target is invalid.',
      head('CONNECT /a HTTP/1.1', 'Host: x'),
      [reject([400, 405, 501])],
    ),
    wire({
      id: '9112-3/target-8000',
      section: '3',
      level: 'SHOULD',
      requirement:
        'Recipients SHOULD support request lines of at least 8000 octets; a 7900-byte target is parsed and passed on intact.',
      send: head(`GET /${'a'.repeat(7899)} HTTP/1.1`, 'Host: x'),
      outcomes: [
        accept({ target: `/${'a'.repeat(7899)}` }),
        reject([414, 431]).map((o) => ({ ...o, warn: 'refused an 8000-octet request line' })),
      ],
    }),
    wire({
      id: '9112-3/target-20k',
      section: '3',
      level: 'MUST',
      requirement: LONG,
      send: head(`GET /${'a'.repeat(20_000)} HTTP/1.1`, 'Host: x'),
      outcomes: [
        reject([414, 431]),
        accept({ target: `/${'a'.repeat(20_000)}` }, 'long target served intact'),
      ],
    }),
    wire({
      id: '9112-3/target-100k',
      section: '3',
      level: 'MUST',
      requirement: LONG,
      send: head(`GET /${'b'.repeat(100_000)} HTTP/1.1`, 'Host: x'),
      outcomes: [
        reject([414, 431]),
        accept({ target: `/${'b'.repeat(100_000)}` }, 'long target served intact'),
      ],
    }),
    wire({
      id: '9112-3/target-long-query',
      section: '3',
      level: 'MUST',
      requirement: LONG,
      send: head(`GET /q?${'k=v&'.repeat(5000)} HTTP/1.1`, 'Host: x'),
      outcomes: [
        reject([414, 431]),
        accept({ target: `/q?${'k=v&'.repeat(5000)}` }, 'long target served intact'),
      ],
    }),
    wire({
      id: '9112-3/target-no-line-end',
      section: '3',
      level: 'MUST',
      requirement: `${LONG} That includes a target that never ends: the server must not buffer it without limit.`,
      steps: [{ kind: 'send', bytes: new TextEncoder().encode(`GET /${'c'.repeat(200_000)}`), split: false }],
      outcomes: [reject([400, 414, 431])],
    }),
  ],
}
