/** RFC 9112 §5 field syntax, §5.1 colon, §5.2 obs-fold, §2.2 whitespace after the start line; RFC 9110 §5.5, §5.6.2. */
import type { CaseGroup, WireCase } from '../types.ts'
import { accept, acceptWarn, get, head, reject, wire } from './dsl.ts'

const WS_COLON =
  'No whitespace is allowed between a field name and the colon. A server MUST reject such a request with 400 (it is a classic request-smuggling vector).'
const OBS_FOLD =
  'Line folding (obs-fold) is obsolete. A server that receives it outside message/http MUST either reject the message with 400 or replace each obs-fold with one or more SP before interpreting the field value.'
const NAME_TOKEN =
  'A field name is a token: a line whose name is empty or contains a non-token byte is not a field line, and the request MUST be rejected with 400 rather than guessed at.'
const VALUE_CTL =
  'Field values containing CR, LF or NUL are invalid and dangerous: a recipient MUST reject the message or replace each such byte with SP before using the value.'
const VALUE_OTHER_CTL =
  'Other control bytes (and DEL) are not field-vchar: a field value carrying them is invalid and SHOULD be rejected with 400.'
const OWS =
  'Leading and trailing whitespace (SP, HTAB) around a field value is not part of the value; HTAB and SP inside it are.'
const LEADING_WS =
  'A recipient receiving whitespace between the start line and the first field line MUST either reject the message or ignore each whitespace-preceded line.'

function wsColon(slug: string, line: string, extra: string[] = [], body = ''): WireCase {
  return wire({
    id: `9112-5.1/${slug}`,
    section: '5.1',
    level: 'MUST',
    requirement: WS_COLON,
    send: head('POST / HTTP/1.1', 'Host: x', line, ...extra) + body,
    outcomes: [reject(400)],
  })
}

function badName(slug: string, name: string): WireCase {
  return wire({
    id: `9110-5.1/${slug}`,
    rfc: 'RFC 9110',
    section: '5.1',
    level: 'MUST',
    requirement: NAME_TOKEN,
    send: get('/', [`${name}: v`]),
    outcomes: [reject(400)],
  })
}

function value(slug: string, raw: string, expected: string, level: 'MUST' | 'SHOULD' = 'MUST'): WireCase {
  return wire({
    id: `9110-5.5/${slug}`,
    rfc: 'RFC 9110',
    section: '5.5',
    level,
    requirement: OWS,
    send: get('/', [`X-V:${raw}`]),
    outcomes: [accept({ fields: { 'x-v': expected } })],
  })
}

function ctlValue(slug: string, raw: string, replaced: string | null): WireCase {
  return wire({
    id: `9110-5.5/${slug}`,
    rfc: 'RFC 9110',
    section: '5.5',
    level: replaced !== null ? 'MUST' : 'SHOULD',
    requirement: replaced !== null ? VALUE_CTL : VALUE_OTHER_CTL,
    send: get('/', [`X-V: ${raw}`]),
    outcomes:
      replaced !== null
        ? [reject(400), accept({ fields: { 'x-v': replaced } }, 'replaced by SP')]
        : [reject(400), acceptWarn('accepted a control byte in a field value')],
  })
}

function obsFold(slug: string, lines: string[], expected: RegExp): WireCase {
  return wire({
    id: `9112-5.2/${slug}`,
    section: '5.2',
    level: 'MUST',
    requirement: OBS_FOLD,
    send: head('GET / HTTP/1.1', 'Host: x', ...lines),
    outcomes: [reject(400), accept({ fields: { 'x-f': expected } }, 'obs-fold replaced by SP')],
  })
}

const HOST_RULE =
  'A server MUST answer 400 to an HTTP/1.1 request that has no Host field, more than one Host field line, or a Host whose value is not a valid uri-host [ ":" port ].'

function hostCase(
  slug: string,
  lines: string[],
  ok: boolean | 'either',
  version = '1.1',
  reflectHost?: string,
): WireCase {
  const accepted = accept(reflectHost !== undefined ? { fields: { host: reflectHost } } : undefined)
  // An HTTP/1.0 response may close the connection (no keep-alive was asked for).
  const acceptedHere = version === '1.0' ? { ...accepted, connection: 'any' as const } : accepted
  const outcomes =
    ok === true ? [acceptedHere] : ok === 'either' ? [acceptedHere, ...reject(400)] : reject(400)
  return wire({
    id: `9112-3.2/${slug}`,
    section: '3.2',
    level: 'MUST',
    requirement: HOST_RULE,
    send: head(`GET /h HTTP/${version}`, ...lines),
    outcomes,
  })
}

export const fields: CaseGroup = {
  title: 'RFC 9112 §5 / RFC 9110 §5 Field lines and Host',
  cases: [
    wire({
      id: '9110-5.1/names-preserved',
      rfc: 'RFC 9110',
      section: '5.1',
      level: 'MUST',
      requirement:
        'Field lines reach the application in order, with names spelled as sent and duplicates kept.',
      send: get('/', ['x-MiXeD: 1', 'X-Dup: a', 'X-Dup: b']),
      outcomes: [
        accept({
          headers: [
            ['Host', 'x'],
            ['x-MiXeD', '1'],
            ['X-Dup', 'a'],
            ['X-Dup', 'b'],
          ],
        }),
      ],
    }),
    wire({
      id: '9110-5.1/all-tchars-name',
      rfc: 'RFC 9110',
      section: '5.1',
      level: 'MUST',
      requirement: 'Every token character is allowed in a field name.',
      send: get('/', ["X!#$%&'*+-.^_`|~9: v"]),
      outcomes: [accept({ fields: { "x!#$%&'*+-.^_`|~9": 'v' } })],
    }),
    wsColon('space-before-colon', 'X-A : b'),
    wsColon('htab-before-colon', 'X-A\t: b'),
    wsColon('space-before-colon-host', 'Host : y'),
    wsColon('space-before-colon-cl', 'Content-Length : 5', [], 'hello'),
    wsColon('space-before-colon-te', 'Transfer-Encoding : chunked', [], '5\r\nhello\r\n0\r\n\r\n'),
    obsFold('obs-fold-sp', ['X-F: a', ' b'], /^a +b$/),
    obsFold('obs-fold-htab', ['X-F: a', '\tb'], /^a +b$/),
    obsFold('obs-fold-multi', ['X-F: a', ' b', ' c'], /^a +b +c$/),
    obsFold('obs-fold-empty-first', ['X-F:', ' b'], /^b$/),
    obsFold('obs-fold-wide', ['X-F: a  ', ' \t b'], /^a +b$/),
    wire({
      id: '9112-5.2/obs-fold-content-length',
      section: '5.2',
      level: 'MUST',
      requirement: `${OBS_FOLD} A folded Content-Length must never frame the body differently from its unfolded value.`,
      send: `${head('POST / HTTP/1.1', 'Host: x', 'Content-Length:', ' 5')}hello`,
      outcomes: [reject(400), accept({ body: 'hello' }, 'obs-fold replaced by SP')],
    }),
    wire({
      id: '9112-5.2/obs-fold-transfer-encoding',
      section: '5.2',
      level: 'MUST',
      requirement: `${OBS_FOLD} A folded Transfer-Encoding must be read as its unfolded value (here "chunked").`,
      send: `${head('POST / HTTP/1.1', 'Host: x', 'Transfer-Encoding:', ' chunked')}5\r\nhello\r\n0\r\n\r\n`,
      outcomes: [reject(400), accept({ body: 'hello' }, 'obs-fold replaced by SP')],
    }),
    wire({
      id: '9112-2.2/leading-ws-first-field',
      section: '2.2',
      level: 'MUST',
      requirement: LEADING_WS,
      send: head('GET / HTTP/1.1', ' X-A: b', 'Host: x'),
      outcomes: [reject(400), accept({ headers: [['Host', 'x']] }, 'whitespace-preceded line ignored')],
    }),
    wire({
      id: '9112-2.2/leading-htab-first-field',
      section: '2.2',
      level: 'MUST',
      requirement: LEADING_WS,
      send: head('GET / HTTP/1.1', '\tX-A: b', 'Host: x'),
      outcomes: [reject(400), accept({ headers: [['Host', 'x']] }, 'whitespace-preceded line ignored')],
    }),
    wire({
      id: '9112-2.2/leading-ws-host',
      section: '2.2',
      level: 'MUST',
      requirement: `${LEADING_WS} An ignored line cannot provide the Host, so the request then lacks one.`,
      send: head('GET / HTTP/1.1', ' Host: x'),
      outcomes: [reject(400)],
    }),
    badName('empty-name', ''),
    wire({
      id: '9110-5.1/colon-only-line',
      rfc: 'RFC 9110',
      section: '5.1',
      level: 'MUST',
      requirement: NAME_TOKEN,
      send: get('/', [':']),
      outcomes: [reject(400)],
    }),
    wire({
      id: '9112-5/no-colon',
      section: '5',
      level: 'MUST',
      requirement: 'A field line without a colon is not a field line: the request MUST be rejected with 400.',
      send: get('/', ['X-A b']),
      outcomes: [reject(400)],
    }),
    wire({
      id: '9112-5/no-colon-word',
      section: '5',
      level: 'MUST',
      requirement: 'A field line without a colon is not a field line: the request MUST be rejected with 400.',
      send: get('/', ['garbage']),
      outcomes: [reject(400)],
    }),
    badName('name-space-inside', 'X A'),
    badName('name-at', 'X@A'),
    badName('name-paren', 'X(A'),
    badName('name-dquote', 'X"A'),
    badName('name-slash', 'X/A'),
    badName('name-bracket', 'X[A'),
    badName('name-brace', 'X{A'),
    badName('name-equals', 'X=A'),
    badName('name-question', 'X?A'),
    badName('name-comma', 'X,A'),
    badName('name-semicolon', 'X;A'),
    badName('name-backslash', 'X\\A'),
    badName('name-htab', 'X\tA'),
    badName('name-nul', 'X\x00A'),
    badName('name-ctl', 'X\x01A'),
    badName('name-del', 'X\x7fA'),
    badName('name-0x80', 'X\x80A'),
    badName('name-0xff', 'X\xffA'),
    badName('name-utf8', 'X\xc3\xa9'),
    value('value-ows-trimmed', '   a b  ', 'a b'),
    value('value-htab-trimmed', '\ta\tb\t', 'a\tb'),
    value('value-no-ows', 'v', 'v'),
    value('value-empty', '', ''),
    value('value-only-ows', '  \t ', ''),
    value('value-inner-spaces', ' a   b ', 'a   b'),
    value('value-obs-text', ' caf\xe9 \xff', 'caf\xe9 \xff', 'SHOULD'),
    value('value-quotes-and-commas', ' "a, b", c', '"a, b", c'),
    ctlValue('value-nul', 'a\x00b', 'a b'),
    ctlValue('value-nul-end', 'ab\x00', 'ab'),
    ctlValue('value-del', 'a\x7fb', null),
    ctlValue('value-ctl-01', 'a\x01b', null),
    ctlValue('value-vt', 'a\x0bb', null),
    ctlValue('value-ff', 'a\x0cb', null),
    ctlValue('value-esc', 'a\x1bb', null),
    hostCase('host-missing', [], false),
    hostCase('host-duplicate-same', ['Host: x', 'Host: x'], false),
    hostCase('host-duplicate-different', ['Host: a', 'Host: b'], false),
    hostCase('host-list', ['Host: a, b'], false),
    hostCase('host-space-inside', ['Host: a b'], false),
    hostCase('host-slash', ['Host: a/b'], false),
    hostCase('host-userinfo', ['Host: u@a'], false),
    hostCase('host-bad-port', ['Host: a:port'], false),
    hostCase('host-unclosed-ipv6', ['Host: [::1'], false),
    hostCase('host-two-colons', ['Host: a:1:2'], false),
    hostCase('host-nul', ['Host: a\x00b'], false),
    hostCase('host-question', ['Host: a?b'], false),
    hostCase('host-duplicate-http10', ['Host: a', 'Host: b'], false, '1.0'),
    hostCase('host-valid-port', ['Host: a.example:8080'], true, '1.1', 'a.example:8080'),
    hostCase('host-ipv4', ['Host: 127.0.0.1'], true, '1.1', '127.0.0.1'),
    hostCase('host-ipv6', ['Host: [::1]:80'], true, '1.1', '[::1]:80'),
    hostCase('host-underscore', ['Host: a_b.example'], true, '1.1', 'a_b.example'),
    hostCase('host-mixed-case-name', ['hOsT: x'], true, '1.1', 'x'),
    hostCase('host-empty', ['Host:'], 'either'),
    hostCase('host-pct-encoded', ['Host: a%2Eb'], 'either'),
    hostCase('host-http10-absent', [], true, '1.0'),
    wire({
      id: '6585-5/head-too-large',
      rfc: 'RFC 6585',
      section: '5',
      level: 'SHOULD',
      requirement:
        'A server unwilling to process a head this large (80 KiB of fields) SHOULD answer 431 Request Header Fields Too Large; serving it is also allowed.',
      send: get('/', [`X-Big: ${'a'.repeat(80 * 1024)}`]),
      outcomes: [
        reject(431),
        reject([400, 413]).map((o) => ({ ...o, warn: 'used a generic status instead of 431' })),
        accept({ fields: { 'x-big': 'a'.repeat(80 * 1024) } }, 'large head served intact'),
      ],
    }),
    wire({
      id: '6585-5/head-1mib',
      rfc: 'RFC 6585',
      section: '5',
      level: 'MUST',
      requirement:
        'A 1 MiB head must be refused (431, or 400/413) without the server buffering without bound or crashing; it must not hang.',
      send: get('/', [`X-Big: ${'a'.repeat(1024 * 1024)}`]),
      outcomes: [
        reject(431),
        reject([400, 413]).map((o) => ({ ...o, warn: 'used a generic status instead of 431' })),
        accept(undefined, 'huge head served'),
      ],
    }),
    wire({
      id: '6585-5/many-fields',
      rfc: 'RFC 6585',
      section: '5',
      level: 'SHOULD',
      requirement:
        'A server unwilling to process 2000 field lines SHOULD answer 431; serving them is also allowed.',
      send: get(
        '/',
        Array.from({ length: 2000 }, (_, i) => `X-${i}: v`),
      ),
      outcomes: [
        reject(431),
        reject([400, 413]).map((o) => ({ ...o, warn: 'used a generic status instead of 431' })),
        accept(undefined, 'served all fields'),
      ],
    }),
    wire({
      id: '6585-5/fifty-fields',
      rfc: 'RFC 6585',
      section: '5',
      level: 'SHOULD',
      requirement:
        'An ordinary head of 50 small fields is well within any reasonable limit and SHOULD be served.',
      send: get(
        '/',
        Array.from({ length: 50 }, (_, i) => `X-${i}: v`),
      ),
      outcomes: [accept(), reject(431).map((o) => ({ ...o, warn: 'refused a 50-field head' }))],
    }),
    wire({
      id: '6585-5/long-field-name',
      rfc: 'RFC 6585',
      section: '5',
      level: 'SHOULD',
      requirement: 'A 40 KiB field name is refused with 431 (or served intact).',
      send: get('/', [`X${'n'.repeat(40 * 1024)}: v`]),
      outcomes: [
        reject(431),
        reject([400, 413]).map((o) => ({ ...o, warn: 'used a generic status instead of 431' })),
        accept(undefined, 'served'),
      ],
    }),
  ],
}
