/** RFC 9112 §2.2 (message parsing, line terminators) and the chunked framing's CRLFs (§7.1). */
import type { CaseGroup } from '../types.ts'
import { accept, chunkedPost, reject, rejectFraming, wire } from './dsl.ts'

const LF_MAY =
  'Field and start lines end in CRLF; a recipient MAY also accept a lone LF as the terminator, but must then parse the rest exactly as if CRLF had been sent.'
const CR_MUST =
  'A bare CR (not followed by LF) is invalid: the recipient MUST reject the message or replace each bare CR with SP before using the element.'
const CHUNK_CRLF =
  'Chunked framing lines (chunk-size, the CRLF after chunk data, the last chunk) end in CRLF; the lone-LF allowance of §2.2 covers only the start line and fields, so a chunk line ending in LF is malformed and must not be framed.'

export const lineEndings: CaseGroup = {
  title: 'RFC 9112 §2.2 Line endings',
  cases: [
    wire({
      id: '9112-2.2/lf-request-line',
      section: '2.2',
      level: 'MUST',
      requirement: LF_MAY,
      send: 'GET /lf HTTP/1.1\nHost: x\r\n\r\n',
      outcomes: [
        reject(400),
        accept({ method: 'GET', target: '/lf', version: '1.1', headers: [['Host', 'x']] }),
      ],
    }),
    wire({
      id: '9112-2.2/lf-header-line',
      section: '2.2',
      level: 'MUST',
      requirement: LF_MAY,
      send: 'GET / HTTP/1.1\r\nHost: x\nX-A: b\r\n\r\n',
      outcomes: [
        reject(400),
        accept({
          headers: [
            ['Host', 'x'],
            ['X-A', 'b'],
          ],
        }),
      ],
    }),
    wire({
      id: '9112-2.2/lf-empty-line',
      section: '2.2',
      level: 'MUST',
      requirement: LF_MAY,
      send: 'GET / HTTP/1.1\r\nHost: x\r\n\n',
      outcomes: [reject(400), accept({ headers: [['Host', 'x']] })],
    }),
    wire({
      id: '9112-2.2/lf-everywhere',
      section: '2.2',
      level: 'MUST',
      requirement: LF_MAY,
      send: 'GET /all HTTP/1.1\nHost: x\nX-A: b\n\n',
      outcomes: [
        reject(400),
        accept({
          target: '/all',
          headers: [
            ['Host', 'x'],
            ['X-A', 'b'],
          ],
        }),
      ],
    }),
    wire({
      id: '9112-2.2/lf-body-after-lf-head',
      section: '2.2',
      level: 'MUST',
      requirement: `${LF_MAY} The body then starts right after the lone LF of the empty line.`,
      send: 'POST / HTTP/1.1\nHost: x\nContent-Length: 5\n\nhello',
      outcomes: [reject(400), accept({ body: 'hello' })],
    }),
    wire({
      id: '9112-2.2/lf-inside-request-line',
      section: '2.2',
      level: 'MUST',
      requirement:
        'A request line cut by a lone LF (`GET /\\nHTTP/1.1`) leaves `GET /`, the obsolete HTTP/0.9 form, followed by garbage: it must be rejected, never answered as HTTP/0.9 or as a full request.',
      send: 'GET /\nHTTP/1.1\r\nHost: x\r\n\r\n',
      outcomes: [reject([400, 505])],
    }),
    wire({
      id: '9112-2.2/leading-lf',
      section: '2.2',
      level: 'SHOULD',
      requirement:
        'A server SHOULD ignore at least one empty line before the request line; with lone LF accepted as a terminator that includes a lone LF.',
      send: '\nGET /lead HTTP/1.1\r\nHost: x\r\n\r\n',
      outcomes: [accept({ target: '/lead' }), reject(400)],
    }),
    wire({
      id: '9112-2.2/bare-cr-request-line',
      section: '2.2',
      level: 'MUST',
      requirement: CR_MUST,
      send: 'GET / HTTP/1.1\rHost: x\r\n\r\n',
      outcomes: [reject(400)],
    }),
    wire({
      id: '9112-2.2/bare-cr-in-value',
      section: '2.2',
      level: 'MUST',
      requirement: CR_MUST,
      send: 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n',
      outcomes: [reject(400), accept({ fields: { 'x-a': 'a b' } }, 'bare CR replaced by SP')],
    }),
    wire({
      id: '9112-2.2/bare-cr-line-start',
      section: '2.2',
      level: 'MUST',
      requirement: `${CR_MUST} (\`\\r\\n\\rX\`: a CR opening a line must not be taken as the end of the head.)`,
      send: 'GET / HTTP/1.1\r\nHost: x\r\n\rX-A: b\r\n\r\n',
      outcomes: [reject(400)],
    }),
    wire({
      id: '9112-2.2/bare-cr-empty-line',
      section: '2.2',
      level: 'MUST',
      requirement: CR_MUST,
      send: 'GET / HTTP/1.1\r\nHost: x\r\n\r\r\n',
      outcomes: [reject(400)],
    }),
    wire({
      id: '9112-2.2/cr-cr-lf',
      section: '2.2',
      level: 'MUST',
      requirement: CR_MUST,
      send: 'GET / HTTP/1.1\r\nHost: x\r\nX-A: b\r\r\n\r\n',
      outcomes: [reject(400), accept({ fields: { 'x-a': 'b' } }, 'bare CR replaced by SP (then trimmed)')],
    }),
    wire({
      id: '9112-2.2/bare-cr-in-name',
      section: '2.2',
      level: 'MUST',
      requirement: CR_MUST,
      send: 'GET / HTTP/1.1\r\nHost: x\r\nX\rA: b\r\n\r\n',
      outcomes: [reject(400)],
    }),
    wire({
      id: '9112-7.1/lf-after-chunk-size',
      section: '7.1',
      level: 'MUST',
      requirement: CHUNK_CRLF,
      send: chunkedPost('5\nhello\r\n0\r\n\r\n'),
      outcomes: [rejectFraming(400)],
    }),
    wire({
      id: '9112-7.1/lf-after-chunk-data',
      section: '7.1',
      level: 'MUST',
      requirement: CHUNK_CRLF,
      send: chunkedPost('5\r\nhello\n0\r\n\r\n'),
      outcomes: [rejectFraming(400)],
    }),
    wire({
      id: '9112-7.1/lf-last-chunk',
      section: '7.1',
      level: 'MUST',
      requirement: CHUNK_CRLF,
      send: chunkedPost('5\r\nhello\r\n0\n\r\n'),
      outcomes: [rejectFraming(400)],
    }),
    wire({
      id: '9112-7.1/cr-after-chunk-data',
      section: '7.1',
      level: 'MUST',
      requirement: CHUNK_CRLF,
      send: chunkedPost('5\r\nhello\r0\r\n\r\n'),
      outcomes: [rejectFraming(400)],
    }),
    wire({
      id: '9112-7.1/lf-ends-trailer-section',
      section: '7.1.2',
      level: 'MUST',
      requirement: `${LF_MAY} The trailer section is made of field lines, so a lone LF may end it if parsed consistently.`,
      send: chunkedPost('5\r\nhello\r\n0\r\n\n'),
      outcomes: [rejectFraming(400), accept({ body: 'hello' })],
    }),
    wire({
      id: '9112-7.1/lf-in-trailer-field',
      section: '7.1.2',
      level: 'MUST',
      requirement: LF_MAY,
      send: chunkedPost('5\r\nhello\r\n0\r\nX-T: 1\n\r\n'),
      outcomes: [rejectFraming(400), accept({ body: 'hello' })],
    }),
  ],
}
