/** RFC 9112 §6.1 Transfer-Encoding, §6.3 rules 3 and 4, §7 transfer codings. */
import type { CaseGroup, Outcome, WireCase } from '../types.ts'
import { accept, acceptThenClose, acceptWarn, head, rejectFraming, wire } from './dsl.ts'

const BODY = '5\r\nhello\r\n0\r\n\r\n'
const NOT_FINAL =
  'If a request has Transfer-Encoding and chunked is not the final coding, its length cannot be determined: the server MUST answer 400 and close (501 for an unknown coding is also safe).'
const UNKNOWN =
  'A server receiving a transfer coding it does not understand SHOULD answer 501 (Not Implemented); 400 is also acceptable. Decoding only the chunked layer and passing on still-encoded bytes is a warning.'
const CL_TE =
  'With both Transfer-Encoding and Content-Length, Transfer-Encoding wins (or the server rejects with 400), and in either case the server MUST close the connection after responding: the message smells of request smuggling.'
const TOKEN_ONLY =
  'A transfer coding is a case-insensitive token; a value with extra bytes around "chunked" (VT, NBSP, quotes, other letters) is not chunked. It is an unknown coding (400/501) and must never be decoded as chunked.'

function te(
  slug: string,
  section: string,
  level: 'MUST' | 'SHOULD',
  requirement: string,
  lines: string[],
  outcomes: readonly (Outcome | readonly Outcome[])[],
  body = BODY,
): WireCase {
  return wire({
    id: `9112-${section}/te-${slug}`,
    section,
    level,
    requirement,
    send: head('POST / HTTP/1.1', 'Host: x', ...lines) + body,
    outcomes,
  })
}

const reject400or501 = rejectFraming([400, 501])

export const transferEncoding: CaseGroup = {
  title: 'RFC 9112 §6.1 Transfer-Encoding',
  cases: [
    te(
      'chunked',
      '6.1',
      'MUST',
      'A chunked request body is decoded and passed on.',
      ['Transfer-Encoding: chunked'],
      [accept({ body: 'hello' })],
    ),
    te(
      'mixed-case-value',
      '7',
      'MUST',
      'Transfer-coding names are case-insensitive: ChUnKeD is chunked.',
      ['Transfer-Encoding: ChUnKeD'],
      [accept({ body: 'hello' })],
    ),
    te(
      'mixed-case-name',
      '6.1',
      'MUST',
      'Field names are case-insensitive: tRANSFER-eNCODING frames like Transfer-Encoding.',
      ['tRANSFER-eNCODING: chunked'],
      [accept({ body: 'hello' })],
    ),
    te(
      'trailing-ows',
      '6.1',
      'MUST',
      'OWS after the coding is not part of it.',
      ['Transfer-Encoding: chunked \t '],
      [accept({ body: 'hello' })],
    ),
    te('gzip-only', '6.3', 'MUST', NOT_FINAL, ['Transfer-Encoding: gzip'], [reject400or501]),
    te('chunked-then-gzip', '6.3', 'MUST', NOT_FINAL, ['Transfer-Encoding: chunked, gzip'], [reject400or501]),
    te(
      'identity',
      '6.3',
      'MUST',
      `${NOT_FINAL} ("identity" is no longer a transfer coding.)`,
      ['Transfer-Encoding: identity'],
      [reject400or501],
    ),
    te('empty-value', '6.3', 'MUST', NOT_FINAL, ['Transfer-Encoding:'], [reject400or501]),
    te(
      'unknown-then-chunked',
      '6.1',
      'SHOULD',
      UNKNOWN,
      ['Transfer-Encoding: foo, chunked'],
      [
        reject400or501,
        acceptWarn('decoded only chunked and passed on a body still in an unknown coding', { body: 'hello' }),
      ],
    ),
    te(
      'gzip-then-chunked-lines',
      '6.1',
      'SHOULD',
      UNKNOWN,
      ['Transfer-Encoding: gzip', 'Transfer-Encoding: chunked'],
      [
        reject400or501,
        acceptWarn('decoded only chunked and passed on a body still in an unknown coding', { body: 'hello' }),
      ],
    ),
    te(
      'chunked-twice',
      '6.1',
      'MUST',
      'A sender MUST NOT apply chunked more than once, so "chunked, chunked" is invalid framing: 400 and close.',
      ['Transfer-Encoding: chunked, chunked'],
      [reject400or501],
    ),
    te(
      'chunked-twice-lines',
      '6.1',
      'MUST',
      'Two Transfer-Encoding: chunked lines combine into "chunked, chunked": invalid framing, 400 and close.',
      ['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked'],
      [reject400or501],
    ),
    te(
      'leading-comma',
      '6.1',
      'MUST',
      'Empty list elements are ignored by list parsing (RFC 9110 §5.6.1), so ",chunked" is chunked; rejecting it is also safe.',
      ['Transfer-Encoding: ,chunked'],
      [reject400or501, accept({ body: 'hello' }, 'decoded as chunked')],
    ),
    te(
      'trailing-comma',
      '6.1',
      'MUST',
      'Empty list elements are ignored by list parsing (RFC 9110 §5.6.1), so "chunked," is chunked; rejecting it is also safe.',
      ['Transfer-Encoding: chunked,'],
      [reject400or501, accept({ body: 'hello' }, 'decoded as chunked')],
    ),
    te('leading-vt', '7', 'MUST', TOKEN_ONLY, ['Transfer-Encoding: \x0bchunked'], [reject400or501]),
    te('leading-ff', '7', 'MUST', TOKEN_ONLY, ['Transfer-Encoding: \x0cchunked'], [reject400or501]),
    te('leading-nbsp', '7', 'MUST', TOKEN_ONLY, ['Transfer-Encoding: \xa0chunked'], [reject400or501]),
    te('trailing-nbsp', '7', 'MUST', TOKEN_ONLY, ['Transfer-Encoding: chunked\xa0'], [reject400or501]),
    te('leading-letter', '7', 'MUST', TOKEN_ONLY, ['Transfer-Encoding: xchunked'], [reject400or501]),
    te('trailing-letter', '7', 'MUST', TOKEN_ONLY, ['Transfer-Encoding: chunkedx'], [reject400or501]),
    te('double-quoted', '7', 'MUST', TOKEN_ONLY, ['Transfer-Encoding: "chunked"'], [reject400or501]),
    te('single-quoted', '7', 'MUST', TOKEN_ONLY, ["Transfer-Encoding: 'chunked'"], [reject400or501]),
    te('dotless-i', '7', 'MUST', TOKEN_ONLY, ['Transfer-Encoding: chunk\xc4\xb1ed'], [reject400or501]),
    te(
      'with-parameter',
      '7',
      'MUST',
      'chunked takes no parameters; "chunked;q=1" may be rejected or read as chunked, but must frame consistently.',
      ['Transfer-Encoding: chunked;q=1'],
      [reject400or501, accept({ body: 'hello' }, 'decoded as chunked')],
    ),
    wire({
      id: '9112-6.1/te-underscore-name-ignored',
      section: '6.1',
      level: 'MUST',
      requirement:
        'Transfer_Encoding is a different field: it frames nothing, so the chunked bytes after the head are the next (invalid) request.',
      send: head('POST / HTTP/1.1', 'Host: x', 'Transfer_Encoding: chunked') + BODY,
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
    te(
      'space-in-name',
      '5.1',
      'MUST',
      'A field name cannot contain a space, so "Transfer Encoding" is an invalid field line (400), never chunked framing.',
      ['Transfer Encoding: chunked'],
      [rejectFraming(400)],
    ),
    te(
      'cl-then-te',
      '6.3',
      'MUST',
      CL_TE,
      ['Content-Length: 5', 'Transfer-Encoding: chunked'],
      [rejectFraming(400), acceptThenClose({ body: 'hello' }, 'chunked won, then closed')],
    ),
    te(
      'te-then-cl',
      '6.3',
      'MUST',
      CL_TE,
      ['Transfer-Encoding: chunked', 'Content-Length: 5'],
      [rejectFraming(400), acceptThenClose({ body: 'hello' }, 'chunked won, then closed')],
    ),
    te(
      'cl-zero-with-te',
      '6.3',
      'MUST',
      CL_TE,
      ['Content-Length: 0', 'Transfer-Encoding: chunked'],
      [rejectFraming(400), acceptThenClose({ body: 'hello' }, 'chunked won, then closed')],
    ),
    te(
      'cl-large-with-te',
      '6.3',
      'MUST',
      CL_TE,
      ['Content-Length: 100', 'Transfer-Encoding: chunked'],
      [rejectFraming(400), acceptThenClose({ body: 'hello' }, 'chunked won, then closed')],
    ),
    te(
      'cl-smuggle',
      '6.3',
      'MUST',
      `${CL_TE} Here Content-Length covers only "0\\r\\n\\r\\n", and the bytes after it would be a smuggled request.`,
      ['Content-Length: 4', 'Transfer-Encoding: chunked'],
      [rejectFraming(400), acceptThenClose({ body: '' }, 'chunked won, then closed')],
      `0\r\n\r\n${'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n'}`,
    ),
    te(
      'bad-cl-with-te',
      '6.3',
      'MUST',
      CL_TE,
      ['Content-Length: abc', 'Transfer-Encoding: chunked'],
      [rejectFraming(400), acceptThenClose({ body: 'hello' }, 'chunked won, then closed')],
    ),
    wire({
      id: '9112-6.1/te-http10',
      section: '6.1',
      level: 'MUST',
      requirement:
        'An HTTP/1.0 message with Transfer-Encoding MUST be treated as having faulty framing, even with a Content-Length, and the connection MUST be closed after it.',
      send: head('POST / HTTP/1.0', 'Host: x', 'Transfer-Encoding: chunked') + BODY,
      outcomes: [
        rejectFraming(400),
        {
          ...acceptThenClose({ body: 'hello' }, 'processed, then closed'),
          warn: 'processed an HTTP/1.0 request with Transfer-Encoding instead of treating its framing as faulty',
        },
      ],
    }),
    wire({
      id: '9112-6.1/te-http10-with-cl',
      section: '6.1',
      level: 'MUST',
      requirement:
        'An HTTP/1.0 message with Transfer-Encoding MUST be treated as having faulty framing, even with a Content-Length, and the connection MUST be closed after it.',
      send: head('POST / HTTP/1.0', 'Host: x', 'Transfer-Encoding: chunked', 'Content-Length: 15') + BODY,
      outcomes: [
        rejectFraming(400),
        {
          ...acceptThenClose(undefined, 'processed, then closed'),
          warn: 'processed an HTTP/1.0 request with Transfer-Encoding instead of treating its framing as faulty',
        },
      ],
    }),
    wire({
      id: '9112-6.1/te-on-get',
      section: '6.1',
      level: 'MUST',
      requirement:
        'Transfer-Encoding frames a body on any method: a chunked GET body is read (or the request rejected), never left on the connection as a next request.',
      send: head('GET /g HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked') + BODY,
      outcomes: [accept({ body: 'hello', target: '/g' }), rejectFraming(400)],
    }),
    wire({
      id: '9112-6.1/te-on-head',
      section: '6.1',
      level: 'MUST',
      requirement:
        'A chunked HEAD request body is framed like any other (read or rejected), and the response has no body.',
      send: head('HEAD /h HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked') + BODY,
      methods: ['HEAD'],
      outcomes: [{ ...accept(), responses: [{ status: 'accepted', bodyEmpty: true }] }, rejectFraming(400)],
    }),
  ],
}
