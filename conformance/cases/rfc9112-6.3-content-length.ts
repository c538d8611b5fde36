/** RFC 9112 §6.3 message body length; RFC 9110 §8.6 Content-Length. */
import type { CaseGroup, Outcome, WireCase } from '../types.ts'
import { accept, get, head, rejectFraming, send, shutdown, wire } from './dsl.ts'

const INVALID =
  'Content-Length is 1*DIGIT. Without Transfer-Encoding, an invalid Content-Length makes the framing unrecoverable: the server MUST answer 400 and close the connection.'
const LIST =
  'A Content-Length that is a list of identical values (or repeated identical fields) MAY be rejected or MAY be read as that single value; differing values are invalid framing (400 and close).'

function invalidCl(slug: string, value: string, body = 'hello'): WireCase {
  return wire({
    id: `9112-6.3/cl-${slug}`,
    section: '6.3',
    level: 'MUST',
    requirement: INVALID,
    send: head('POST / HTTP/1.1', 'Host: x', `Content-Length: ${value}`) + body,
    outcomes: [rejectFraming(400)],
  })
}

function listCl(slug: string, lines: string[], ok: boolean): WireCase {
  const outcomes: (Outcome | readonly Outcome[])[] = ok
    ? [rejectFraming(400), accept({ body: 'hello' }, 'read as one value')]
    : [rejectFraming(400)]
  return wire({
    id: `9110-8.6/cl-${slug}`,
    rfc: 'RFC 9110',
    section: '8.6',
    level: 'MUST',
    requirement: LIST,
    send: `${head('POST / HTTP/1.1', 'Host: x', ...lines)}hello`,
    outcomes,
  })
}

/** A smuggling probe: "@" is not a token character, so body bytes read as a request fail loudly. */
const AT5 = '@@@@@'

export const contentLength: CaseGroup = {
  title: 'RFC 9112 §6.3 / RFC 9110 §8.6 Content-Length',
  cases: [
    wire({
      id: '9110-8.6/cl-valid',
      rfc: 'RFC 9110',
      section: '8.6',
      level: 'MUST',
      requirement: 'With a valid Content-Length, exactly that many bytes are the body.',
      send: `${head('POST / HTTP/1.1', 'Host: x', 'Content-Length: 5')}hello`,
      outcomes: [accept({ body: 'hello', method: 'POST' })],
    }),
    wire({
      id: '9110-8.6/cl-zero',
      rfc: 'RFC 9110',
      section: '8.6',
      level: 'MUST',
      requirement: 'Content-Length: 0 means an empty body.',
      send: head('POST / HTTP/1.1', 'Host: x', 'Content-Length: 0'),
      outcomes: [accept({ body: '' })],
    }),
    wire({
      id: '9110-8.6/cl-leading-zeros',
      rfc: 'RFC 9110',
      section: '8.6',
      level: 'MUST',
      requirement:
        '1*DIGIT allows leading zeros, and the value is decimal: 010 is ten bytes, never octal eight.',
      send: `${head('POST / HTTP/1.1', 'Host: x', 'Content-Length: 010')}0123456789`,
      outcomes: [
        accept({ body: '0123456789' }),
        rejectFraming(400).map((o) => ({ ...o, warn: 'rejected a valid Content-Length with leading zeros' })),
      ],
    }),
    wire({
      id: '9110-8.6/cl-ows',
      rfc: 'RFC 9110',
      section: '8.6',
      level: 'MUST',
      requirement: 'OWS around the Content-Length value is not part of it.',
      send: `${head('POST / HTTP/1.1', 'Host: x', 'Content-Length: \t 5 \t')}hello`,
      outcomes: [accept({ body: 'hello' })],
    }),
    wire({
      id: '9110-8.6/cl-mixed-case-name',
      rfc: 'RFC 9110',
      section: '8.6',
      level: 'MUST',
      requirement: 'Field names are case-insensitive: cOnTeNt-LeNgTh frames the body like Content-Length.',
      send: `${head('POST / HTTP/1.1', 'Host: x', 'cOnTeNt-LeNgTh: 5')}hello`,
      outcomes: [accept({ body: 'hello' })],
    }),
    invalidCl('plus', '+5'),
    invalidCl('plus-one', '+1', 'h'),
    invalidCl('hex-0x10', '0x10', '0123456789abcdef'),
    invalidCl('one-point-zero', '1.0', 'h'),
    invalidCl('minus', '-5'),
    invalidCl('minus-one', '-1'),
    invalidCl('hex', '0x5'),
    invalidCl('decimal-point', '5.0'),
    invalidCl('exponent', '5e0'),
    invalidCl('empty', ''),
    invalidCl('letters', 'abc'),
    invalidCl('digits-then-letter', '5a'),
    invalidCl('inner-space', '1 5', 'hello0123456789'),
    invalidCl('underscore', '1_0', 'hello'),
    invalidCl('nul', '5\x00'),
    invalidCl('vt-prefix', '\x0b5'),
    invalidCl('fullwidth-digit', '\xef\xbc\x95'),
    invalidCl('unequal-list', '5, 6'),
    invalidCl('zero-then-five', '0, 5'),
    invalidCl('trailing-comma-empty', '5, '),
    wire({
      id: '9112-6.3/cl-overflow-2-64',
      section: '6.3',
      level: 'MUST',
      requirement: `${INVALID} A value that overflows 64 bits must not wrap around (here to 5).`,
      send: `${head('POST / HTTP/1.1', 'Host: x', 'Content-Length: 18446744073709551621')}hello`,
      outcomes: [rejectFraming([400, 413])],
    }),
    wire({
      id: '9112-6.3/cl-overflow-2-32',
      section: '6.3',
      level: 'MUST',
      requirement:
        'A 2^32 + 5 length must not wrap to 5: the server refuses it (413/400) or waits for that much body.',
      steps: [send(`${head('POST / HTTP/1.1', 'Host: x', 'Content-Length: 4294967301')}hello`), shutdown],
      outcomes: [
        rejectFraming([400, 413]),
        { name: 'waited for the body, then incomplete', responses: [{ status: 400 }], connection: 'close' },
      ],
    }),
    wire({
      id: '9112-6.3/cl-huge',
      section: '6.3',
      level: 'MUST',
      requirement:
        'A 20-digit Content-Length is larger than any body the server will take: refuse with 413 (or 400) and close.',
      send: `${head('POST / HTTP/1.1', 'Host: x', 'Content-Length: 99999999999999999999')}hello`,
      outcomes: [rejectFraming([400, 413])],
    }),
    wire({
      id: '9110-15.5.14/cl-over-limit',
      rfc: 'RFC 9110',
      section: '15.5.14',
      level: 'MAY',
      requirement:
        'A server may refuse a body larger than it is willing to process (here 64 MiB) with 413 before reading it; a server without such a limit waits for the body.',
      steps: [send(head('POST / HTTP/1.1', 'Host: x', 'Content-Length: 67108864')), shutdown],
      outcomes: [
        rejectFraming(413),
        { name: 'waited, then incomplete (400)', responses: [{ status: 400 }], connection: 'close' },
        { name: 'waited, then closed', responses: [], connection: 'close' },
      ],
    }),
    listCl('duplicate-equal', ['Content-Length: 5', 'Content-Length: 5'], true),
    listCl('list-equal', ['Content-Length: 5, 5'], true),
    listCl('list-equal-no-space', ['Content-Length: 5,5'], true),
    listCl('duplicate-unequal', ['Content-Length: 5', 'Content-Length: 6'], false),
    listCl('duplicate-zero-five', ['Content-Length: 0', 'Content-Length: 5'], false),
    listCl('duplicate-one-empty', ['Content-Length: 5', 'Content-Length:'], false),
    wire({
      id: '9112-6.3/cl-short-body-eof',
      section: '6.3',
      level: 'MUST',
      requirement:
        'If the connection closes before Content-Length bytes arrived, the message is incomplete: the server must not pass a truncated body on as complete.',
      steps: [send(`${head('POST / HTTP/1.1', 'Host: x', 'Content-Length: 10')}hello`), shutdown],
      outcomes: [
        rejectFraming(400),
        { name: 'closed without a response', responses: [], connection: 'close' },
        { name: 'request timeout', responses: [{ status: 408 }], connection: 'close' },
      ],
    }),
    wire({
      id: '9112-6.3/cl-shorter-than-body',
      section: '6.3',
      level: 'MUST',
      requirement:
        'Bytes beyond Content-Length belong to the next request: here they are a complete second request, which must be answered after the first.',
      send: `${head('POST / HTTP/1.1', 'Host: x', 'Content-Length: 3')}abc${get('/second')}`,
      outcomes: [
        {
          name: 'two requests',
          responses: [
            { status: 'accepted', reflect: { body: 'abc' } },
            { status: 'accepted', reflect: { target: '/second' } },
          ],
          connection: 'open',
        },
      ],
    }),
    wire({
      id: '9112-6.3/cl-underscore-name-ignored',
      section: '6.3',
      level: 'MUST',
      requirement:
        'Content_Length is a different (valid) field name and does not frame a body: the following bytes are the next request (here an invalid line, so 400).',
      send: `${head('POST / HTTP/1.1', 'Host: x', 'Content_Length: 5')}${AT5}\r\n\r\n`,
      outcomes: [
        {
          name: 'no body, then garbage rejected',
          responses: [{ status: 'accepted', reflect: { body: '' } }, { status: 400 }],
          connection: 'close',
        },
        {
          name: 'rejected the underscore field',
          responses: [{ status: 400 }],
          connection: 'close',
          warn: 'rejected a valid field name containing "_"',
        },
      ],
    }),
    wire({
      id: '9112-6.3/no-length-post',
      section: '6.3',
      level: 'MUST',
      requirement:
        'A request with neither Content-Length nor Transfer-Encoding has no body (length 0); what follows is the next request. (411 Length Required is also allowed.)',
      send: head('POST /nolen HTTP/1.1', 'Host: x') + get('/next'),
      outcomes: [
        {
          name: 'empty body, next request answered',
          responses: [
            { status: 'accepted', reflect: { body: '', target: '/nolen' } },
            { status: 'accepted', reflect: { target: '/next' } },
          ],
          connection: 'open',
        },
        {
          name: 'length required',
          responses: [{ status: 411 }, { status: 'accepted', reflect: { target: '/next' } }],
          connection: 'open',
        },
        { name: 'length required, closed', responses: [{ status: 411 }], connection: 'close' },
      ],
    }),
    wire({
      id: '9112-6.3/cl-body-binary',
      section: '6.3',
      level: 'MUST',
      requirement: 'Body bytes are opaque: CR, LF, NUL and high bytes inside a Content-Length body are data.',
      send: `${head('POST / HTTP/1.1', 'Host: x', 'Content-Length: 8')}\r\n\x00\xff\r\n\r\n`,
      outcomes: [accept({ body: '\r\n\x00\xff\r\n\r\n' })],
    }),
    wire({
      id: '9112-6.3/cl-large-body',
      section: '6.3',
      level: 'MUST',
      requirement: 'A 256 KiB body is read in full, however it is segmented.',
      send: `${head('POST / HTTP/1.1', 'Host: x', `Content-Length: ${256 * 1024}`)}${'z'.repeat(256 * 1024)}`,
      outcomes: [accept({ body: 'z'.repeat(256 * 1024) })],
    }),
  ],
}
