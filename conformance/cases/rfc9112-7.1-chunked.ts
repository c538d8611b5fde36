/** RFC 9112 §7.1 chunked transfer coding: chunk size, extensions (§7.1.1), data, trailers (§7.1.2). */
import type { CaseGroup, Outcome, WireCase } from '../types.ts'
import { accept, acceptWarn, chunkedPost, get, rejectFraming, send, shutdown, wire } from './dsl.ts'

const SIZE =
  'chunk-size is 1*HEXDIG. Anything else (a prefix like 0x or +, a sign, inner or leading whitespace, nothing at all) is invalid framing: 400 and close, never a guess at the size.'
const DATA =
  'Exactly chunk-size bytes of data follow the size line, and then CRLF. Data longer or shorter than declared, or a missing CRLF, is invalid framing: 400 and close.'
const EXT =
  'Chunk extensions (`;name[=value]`, value a token or quoted-string, BWS allowed around ; and =) are syntax the recipient must parse and MUST ignore when unrecognised.'
const TRAILERS =
  'The trailer section is field lines after the last chunk. A server may pass trailers on or discard them, but fields that frame the message (Content-Length, Transfer-Encoding) in a trailer must not change the framing.'

function chunked(
  slug: string,
  section: string,
  level: 'MUST' | 'SHOULD',
  requirement: string,
  body: string,
  outcomes: readonly (Outcome | readonly Outcome[])[],
): WireCase {
  return wire({
    id: `9112-${section}/${slug}`,
    section,
    level,
    requirement,
    send: chunkedPost(body),
    outcomes,
  })
}

const bad = (slug: string, body: string, requirement = SIZE) =>
  chunked(slug, '7.1', 'MUST', requirement, body, [rejectFraming(400)])
const good = (slug: string, body: string, decoded: string, requirement = SIZE, section = '7.1') =>
  chunked(slug, section, 'MUST', requirement, body, [accept({ body: decoded })])

function trailerOutcomes(trailers: [string, string][]): Outcome[] {
  return [
    accept({ body: 'hello', trailers }, 'trailers passed on'),
    accept({ body: 'hello', trailers: [] }, 'trailers discarded'),
  ]
}

export const chunkedCoding: CaseGroup = {
  title: 'RFC 9112 §7.1 Chunked transfer coding',
  cases: [
    good('two-chunks', '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n', 'hello world'),
    good('hex-upper', 'A\r\n0123456789\r\n0\r\n\r\n', '0123456789'),
    good('hex-lower', 'a\r\n0123456789\r\n0\r\n\r\n', '0123456789'),
    good(
      'hex-mixed',
      '1a\r\n' + 'abcdefghijklmnopqrstuvwxyz' + '\r\n0\r\n\r\n',
      'abcdefghijklmnopqrstuvwxyz',
    ),
    good('size-leading-zeros', '0005\r\nhello\r\n0\r\n\r\n', 'hello'),
    good('last-chunk-zeros', '5\r\nhello\r\n000\r\n\r\n', 'hello'),
    good('empty-body', '0\r\n\r\n', ''),
    good('one-byte-chunks', `${'1\r\nx\r\n'.repeat(64)}0\r\n\r\n`, 'x'.repeat(64)),
    good('binary-data', '6\r\n\r\n\x000\r\n\r\n0\r\n\r\n', '\r\n\x000\r\n'),
    good('crlf-looking-data', '6\r\n0\r\n\r\nX\r\n0\r\n\r\n', '0\r\n\r\nX'),
    good(
      'big-chunk',
      `${(64 * 1024).toString(16)}\r\n${'q'.repeat(64 * 1024)}\r\n0\r\n\r\n`,
      'q'.repeat(64 * 1024),
    ),
    bad('size-0x-prefix', '0x5\r\nhello\r\n0\r\n\r\n'),
    bad('size-plus', '+5\r\nhello\r\n0\r\n\r\n'),
    bad('size-minus', '-5\r\nhello\r\n0\r\n\r\n'),
    bad('size-leading-space', ' 5\r\nhello\r\n0\r\n\r\n'),
    bad('size-leading-htab', '\t5\r\nhello\r\n0\r\n\r\n'),
    bad('size-inner-space', '1 0\r\n0123456789abcdef\r\n0\r\n\r\n'),
    bad('size-empty', '\r\nhello\r\n0\r\n\r\n'),
    bad('size-not-hex', 'g\r\nhello\r\n0\r\n\r\n'),
    bad('size-underscore', '0_5\r\nhello\r\n0\r\n\r\n'),
    bad('size-last-0x0', '5\r\nhello\r\n0x0\r\n\r\n'),
    bad('size-last-plus-0', '5\r\nhello\r\n+0\r\n\r\n'),
    chunked(
      'size-trailing-space',
      '7.1',
      'MUST',
      `${SIZE} Whitespace after the size is allowed only as BWS before a ";" extension; without one, servers may reject or accept it, but must frame the same.`,
      '5 \r\nhello\r\n0\r\n\r\n',
      [rejectFraming(400), accept({ body: 'hello' }, 'trailing whitespace ignored')],
    ),
    chunked(
      'size-overflow-64',
      '7.1',
      'MUST',
      `${SIZE} A size that overflows 64 bits must not wrap (here to 5).`,
      '10000000000000005\r\nhello\r\n0\r\n\r\n',
      [rejectFraming([400, 413])],
    ),
    chunked(
      'size-overflow-long',
      '7.1',
      'MUST',
      `${SIZE} A size of 40 hex digits must be refused, not wrapped.`,
      `${'f'.repeat(40)}\r\nhello\r\n0\r\n\r\n`,
      [rejectFraming([400, 413])],
    ),
    wire({
      id: '9112-7.1/size-over-body-limit',
      section: '7.1',
      level: 'MAY',
      requirement:
        'A chunk larger than the server is willing to take (here 256 MiB) may be refused with 413 up front; otherwise the server waits for it.',
      steps: [send(chunkedPost('10000000\r\nhello')), shutdown],
      outcomes: [
        rejectFraming(413),
        { name: 'waited, then incomplete (400)', responses: [{ status: 400 }], connection: 'close' },
        { name: 'waited, then closed', responses: [], connection: 'close' },
      ],
    }),
    good('ext-name-value', '5;a=b\r\nhello\r\n0\r\n\r\n', 'hello', EXT, '7.1.1'),
    good('ext-name-only', '5;a\r\nhello\r\n0\r\n\r\n', 'hello', EXT, '7.1.1'),
    good('ext-quoted', '5;a="b c;d"\r\nhello\r\n0\r\n\r\n', 'hello', EXT, '7.1.1'),
    good('ext-quoted-escape', '5;a="b\\"c"\r\nhello\r\n0\r\n\r\n', 'hello', EXT, '7.1.1'),
    chunked(
      'ext-bws',
      '7.1.1',
      'SHOULD',
      `${EXT} BWS is allowed around ";" and "=" and recipients should remove it; rejecting it is a common hardening, reported as a warning.`,
      '5 ; a = b\r\nhello\r\n0\r\n\r\n',
      [
        accept({ body: 'hello' }),
        rejectFraming(400).map((o) => ({ ...o, warn: 'rejected BWS in a chunk extension' })),
      ],
    ),
    good('ext-several', '5;a=b;c;d="e"\r\nhello\r\n0\r\n\r\n', 'hello', EXT, '7.1.1'),
    good('ext-on-last-chunk', '5\r\nhello\r\n0;done=1\r\n\r\n', 'hello', EXT, '7.1.1'),
    chunked(
      'ext-cr-inside',
      '7.1.1',
      'MUST',
      `${EXT} A bare CR inside an extension is invalid (RFC 9112 §2.2) and must be rejected, never taken as the end of the line.`,
      '5;a=\rb\r\nhello\r\n0\r\n\r\n',
      [rejectFraming(400)],
    ),
    chunked(
      'ext-lf-inside',
      '7.1.1',
      'MUST',
      `${EXT} A LF inside an extension ends the line early: invalid framing.`,
      '5;a=b\nc\r\nhello\r\n0\r\n\r\n',
      [rejectFraming(400)],
    ),
    chunked(
      'ext-crlf-in-quoted',
      '7.1.1',
      'MUST',
      `${EXT} A quoted-string cannot contain CR or LF.`,
      '5;a="b\r\nc"\r\nhello\r\n0\r\n\r\n',
      [rejectFraming(400)],
    ),
    chunked(
      'ext-nul',
      '7.1.1',
      'MUST',
      `${EXT} NUL is not allowed in an extension.`,
      '5;a=b\x00\r\nhello\r\n0\r\n\r\n',
      [rejectFraming(400)],
    ),
    chunked(
      'ext-empty-name',
      '7.1.1',
      'SHOULD',
      `${EXT} ";" with no name is a syntax error and SHOULD be rejected; ignoring it is tolerated.`,
      '5;\r\nhello\r\n0\r\n\r\n',
      [rejectFraming(400), acceptWarn('accepted an extension without a name', { body: 'hello' })],
    ),
    chunked(
      'ext-bad-value-char',
      '7.1.1',
      'SHOULD',
      `${EXT} A value with a space outside quotes is a syntax error and SHOULD be rejected; ignoring it is tolerated.`,
      '5;a=b c\r\nhello\r\n0\r\n\r\n',
      [rejectFraming(400), acceptWarn('accepted an invalid extension value', { body: 'hello' })],
    ),
    chunked(
      'ext-oversized',
      '7.1.1',
      'SHOULD',
      'A server ought to bound the bytes it accepts in chunk extensions; 64 KiB of extension SHOULD be refused (413, or 400).',
      `5;a=${'e'.repeat(64 * 1024)}\r\nhello\r\n0\r\n\r\n`,
      [rejectFraming([413, 400]), acceptWarn('accepted 64 KiB of chunk extensions', { body: 'hello' })],
    ),
    chunked(
      'ext-many-small',
      '7.1.1',
      'SHOULD',
      'Extensions add up across chunks: 4000 chunks each with a 32-byte extension (128 KiB) SHOULD be refused (413, or 400).',
      `${`1;e=${'e'.repeat(28)}\r\nx\r\n`.repeat(4000)}0\r\n\r\n`,
      [
        rejectFraming([413, 400]),
        acceptWarn('accepted 128 KiB of chunk extensions', { body: 'x'.repeat(4000) }),
      ],
    ),
    bad('data-longer', '3\r\nhello\r\n0\r\n\r\n', DATA),
    bad('data-shorter', '7\r\nhello\r\n0\r\n\r\n', DATA),
    bad('data-no-crlf', '5\r\nhello0\r\n\r\n', DATA),
    bad('data-only-cr', '5\r\nhello\rX0\r\n\r\n', DATA),
    bad('data-extra-byte', '5\r\nhelloX\r\n0\r\n\r\n', DATA),
    wire({
      id: '9112-7.1/eof-mid-chunk',
      section: '7.1',
      level: 'MUST',
      requirement:
        'A stream that ends inside the chunked body is an incomplete message: it must not be delivered as complete.',
      steps: [send(chunkedPost('5\r\nhel')), shutdown],
      outcomes: [
        rejectFraming(400),
        { name: 'closed without a response', responses: [], connection: 'close' },
      ],
    }),
    wire({
      id: '9112-7.1/eof-before-last-crlf',
      section: '7.1',
      level: 'MUST',
      requirement: 'A stream that ends before the CRLF closing the trailer section is an incomplete message.',
      steps: [send(chunkedPost('5\r\nhello\r\n0\r\n')), shutdown],
      outcomes: [
        rejectFraming(400),
        { name: 'closed without a response', responses: [], connection: 'close' },
      ],
    }),
    wire({
      id: '9112-7.1/chunked-then-next-request',
      section: '7.1',
      level: 'MUST',
      requirement:
        'The chunked body ends at the empty line after the last chunk; the next request starts right after it.',
      send: chunkedPost('5\r\nhello\r\n0\r\n\r\n') + get('/next'),
      outcomes: [
        {
          name: 'both answered',
          responses: [
            { status: 'accepted', reflect: { body: 'hello' } },
            { status: 'accepted', reflect: { target: '/next' } },
          ],
          connection: 'open',
        },
      ],
    }),
    chunked(
      'trailer-one',
      '7.1.2',
      'MUST',
      TRAILERS,
      '5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n',
      trailerOutcomes([['X-T', '1']]),
    ),
    chunked(
      'trailer-two',
      '7.1.2',
      'MUST',
      TRAILERS,
      '5\r\nhello\r\n0\r\nX-T: 1\r\nX-U:  2 \r\n\r\n',
      trailerOutcomes([
        ['X-T', '1'],
        ['X-U', '2'],
      ]),
    ),
    chunked(
      'trailer-content-length',
      '7.1.2',
      'MUST',
      TRAILERS,
      '5\r\nhello\r\n0\r\nContent-Length: 10\r\n\r\n',
      [...trailerOutcomes([['Content-Length', '10']]), rejectFraming(400)],
    ),
    chunked(
      'trailer-transfer-encoding',
      '7.1.2',
      'MUST',
      TRAILERS,
      '5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n',
      [...trailerOutcomes([['Transfer-Encoding', 'chunked']]), rejectFraming(400)],
    ),
    chunked('trailer-host', '7.1.2', 'MUST', TRAILERS, '5\r\nhello\r\n0\r\nHost: evil\r\n\r\n', [
      ...trailerOutcomes([['Host', 'evil']]),
      rejectFraming(400),
    ]),
    chunked(
      'trailer-no-colon',
      '7.1.2',
      'MUST',
      'A trailer line must be a valid field line: one without a colon is invalid framing.',
      '5\r\nhello\r\n0\r\nbad trailer\r\n\r\n',
      [rejectFraming(400)],
    ),
    chunked(
      'trailer-space-before-colon',
      '7.1.2',
      'MUST',
      'No whitespace is allowed between a trailer field name and the colon (RFC 9112 §5.1): 400.',
      '5\r\nhello\r\n0\r\nX-T : 1\r\n\r\n',
      [rejectFraming(400)],
    ),
    chunked(
      'trailer-obs-fold',
      '7.1.2',
      'MUST',
      'obs-fold in a trailer is rejected or replaced by SP, like in the header section (RFC 9112 §5.2).',
      '5\r\nhello\r\n0\r\nX-T: a\r\n b\r\n\r\n',
      [
        rejectFraming(400),
        accept({ body: 'hello', trailers: [['X-T', 'a b']] }, 'obs-fold replaced by SP'),
        accept({ body: 'hello', trailers: [] }, 'trailers discarded'),
      ],
    ),
    chunked(
      'trailer-nul',
      '7.1.2',
      'MUST',
      'NUL in a trailer value must be rejected or replaced by SP (RFC 9110 §5.5).',
      '5\r\nhello\r\n0\r\nX-T: a\x00b\r\n\r\n',
      [
        rejectFraming(400),
        accept({ body: 'hello', trailers: [['X-T', 'a b']] }, 'replaced by SP'),
        accept({ body: 'hello', trailers: [] }, 'trailers discarded'),
      ],
    ),
    chunked(
      'trailer-many',
      '7.1.2',
      'SHOULD',
      'A trailer section of 2000 fields SHOULD be refused like an oversized header section (431/400/413), or be processed in full.',
      `5\r\nhello\r\n0\r\n${'X-T: 1\r\n'.repeat(2000)}\r\n`,
      [rejectFraming([431, 400, 413]), accept({ body: 'hello' }, 'processed')],
    ),
  ],
}
