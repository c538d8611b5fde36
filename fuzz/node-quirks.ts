/**
 * Known, explained disagreements between sockhttp's parser and Node's (llhttp, default strict
 * mode). Node is a second opinion, not ground truth: each entry names who deviates, quotes the
 * RFC text involved, and carries a predicate that recognises the disagreement precisely. The
 * differential property fails on any disagreement no entry explains.
 *
 * Every entry was observed empirically on Node 20.20 / llhttp 9.3 (see node-quirks.test.ts,
 * which replays one example per entry against the live Node oracle).
 *
 * Two kinds:
 * - `node`: Node deviates from RFC 9110/9112 (it accepts what the grammar excludes, or rejects
 *   what the grammar allows);
 * - `ours`: the RFC allows either behaviour and sockhttp documents a stricter (or different) choice.
 */
import { METHODS } from 'node:http'
import type { Disagreement } from './differential/compare.ts'
import {
  chunkLineHasBws,
  isValidChunkLine,
  isValidHostField,
  isValidTarget,
} from './differential/rfc-checks.ts'
import { latin1, type ParsedMessage, type ParseOutcome, pairs } from './outcome.ts'

export interface QuirkContext {
  readonly bytes: Uint8Array
  readonly ours: ParseOutcome
  readonly node: ParseOutcome
  readonly disagreement: Disagreement
  /** Our message at the disagreement index, if our parser produced one. */
  readonly ourMsg: ParsedMessage | undefined
  readonly nodeMsg: ParsedMessage | undefined
  /** Our error code when our parser rejected the stream. */
  readonly ourCode: string | null
  readonly nodeCode: string | null
  /** The line (without its line ending) holding the byte our parser rejected, as latin1. */
  readonly errorLine: string | null
  /** The stream as latin1 text, for searches. */
  readonly text: string
  /** Our parser (the same configuration) run again over other bytes, as one write. */
  readonly reparse: (bytes: Uint8Array) => ParseOutcome
}

export interface Quirk {
  readonly id: string
  readonly kind: 'node' | 'ours'
  readonly summary: string
  /** The RFC text the behaviour breaks (kind node) or the latitude it uses (kind ours). */
  readonly rfc: string
  /** One input that shows the disagreement, replayed by the tests. */
  readonly example: string
  readonly explains: (c: QuirkContext) => boolean
}

const header = (m: ParsedMessage | undefined, name: string): string[] =>
  m === undefined ? [] : pairs(m.headers).flatMap(([n, v]) => (n.toLowerCase() === name ? [v] : []))

/** RFC 9110 §5.6.3: OWS is SP / HTAB only (String.prototype.trim would also eat NBSP and VT). */
const owsTrim = (s: string): string => s.replace(/^[ \t]+|[ \t]+$/g, '')

const nodeAccepts = (c: QuirkContext): boolean => c.disagreement.detail === 'node accepts, ours rejects'
const oursAccepts = (c: QuirkContext): boolean => c.disagreement.detail === 'ours accepts, node rejects'
const KNOWN_METHODS = new Set(METHODS)

/** Every chunk-size line of the stream (heuristic: lines that start with a hex digit after a CRLF). */
const chunkLines = (text: string): string[] =>
  [...text.matchAll(/\r\n([0-9A-Fa-f][^\r\n]*)\r\n/g)].map((m) => m[1]!)

export const QUIRKS: readonly Quirk[] = [
  {
    id: 'node-method-list',
    kind: 'node',
    summary: 'llhttp only accepts the methods on its fixed list; any other token is HPE_INVALID_METHOD.',
    rfc: 'RFC 9110 §9.1: "method = token" and §16.1: "additional methods ... can be defined"; an unknown method deserves 501, not a parse error.',
    example: 'FROB / HTTP/1.1\r\nHost: a\r\n\r\n',
    explains: (c) =>
      c.disagreement.class === 'type' &&
      oursAccepts(c) &&
      c.ourMsg !== undefined &&
      !KNOWN_METHODS.has(c.ourMsg.method) &&
      (c.nodeCode === 'HPE_INVALID_METHOD' || (c.ourMsg.method === 'PRI' && c.nodeCode !== null)),
  },
  {
    id: 'node-http09-request-line',
    kind: 'node',
    summary:
      'A request line without a version (`GET /x`) is taken as HTTP/0.9 and its header lines are still parsed.',
    rfc: 'RFC 9112 §3: "request-line = method SP request-target SP HTTP-version"; HTTP/0.9 has no header section.',
    example: 'GET /x\r\nHost: a\r\n\r\n',
    explains: (c) => c.disagreement.class === 'type' && nodeAccepts(c) && c.nodeMsg?.version === '0.9',
  },
  {
    id: 'node-other-major-versions',
    kind: 'node',
    summary: 'llhttp parses `HTTP/2.0` (and `HTTP/0.9`) request lines as if they were HTTP/1.x messages.',
    rfc: 'RFC 9110 §6.2 and §15.6.6: a server rejects a major version it does not implement (505); HTTP/2 does not use this framing.',
    example: 'GET / HTTP/2.0\r\nHost: a\r\n\r\n',
    explains: (c) =>
      c.disagreement.class === 'type' &&
      nodeAccepts(c) &&
      c.nodeMsg !== undefined &&
      !['1.0', '1.1'].includes(c.nodeMsg.version) &&
      c.ourCode === 'UNSUPPORTED_VERSION',
  },
  {
    id: 'ours-single-sp-request-line',
    kind: 'ours',
    summary: 'We require exactly one SP between the parts of the request line; llhttp accepts several.',
    rfc: 'RFC 9112 §3: "request-line = method SP request-target SP HTTP-version"; "recipients MAY instead parse on whitespace-delimited word boundaries" — Node uses that latitude, we do not.',
    example: 'GET  / HTTP/1.1\r\nHost: a\r\n\r\n',
    explains: (c) => {
      if (c.disagreement.class !== 'type' || !nodeAccepts(c) || c.nodeMsg === undefined) return false
      const m = c.nodeMsg
      // A request line of Node's message with at least one run of two or more SPs in it.
      const spaced = new RegExp(
        `${escapeRe(m.method)}( +)${escapeRe(m.target)}( +)HTTP/${escapeRe(m.version)}\\r\\n`,
        'g',
      )
      return [...c.text.matchAll(spaced)].some((x) => x[1]!.length > 1 || x[2]!.length > 1)
    },
  },
  {
    id: 'node-lax-target',
    kind: 'node',
    summary:
      'llhttp accepts request-targets outside RFC 3986: the bytes `"` `#` `<` `>` `\\` `^` `` ` `` `{` `|` `}` and a lone or malformed `%` (obs-text and CTLs it does refuse), empty hosts, bad ports and userinfo in absolute-form, `*` for methods other than OPTIONS, origin-form for CONNECT.',
    rfc: 'RFC 9112 §3.2: request-target forms built from RFC 3986 (origin-form = absolute-path [ "?" query ]; asterisk-form only for OPTIONS; authority-form only for CONNECT); RFC 9110 §4.2.4: fragments are not sent, and a recipient "SHOULD parse for userinfo and treat its presence as an error".',
    example: 'GET /a|{}"^ HTTP/1.1\r\nHost: a\r\n\r\n',
    explains: (c) =>
      c.disagreement.class === 'type' &&
      nodeAccepts(c) &&
      c.ourCode === 'INVALID_TARGET' &&
      c.nodeMsg !== undefined &&
      !isValidTarget(c.nodeMsg.method, c.nodeMsg.target),
  },
  {
    id: 'node-absolute-form-scheme',
    kind: 'node',
    summary:
      'llhttp only accepts absolute-form targets whose scheme is letters and that continue with "//"; RFC 3986 allows digits, "+", "-" and "." in a scheme and a rootless hier-part.',
    rfc: 'RFC 3986 §3.1: "scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )"; RFC 9112 §3.2.2: "absolute-form = absolute-URI".',
    example: 'GET a.b:80 HTTP/1.1\r\nHost: a\r\n\r\n',
    explains: (c) =>
      c.disagreement.class === 'type' &&
      oursAccepts(c) &&
      c.nodeCode === 'HPE_INVALID_URL' &&
      c.ourMsg !== undefined &&
      c.ourMsg.method !== 'CONNECT' &&
      /^[A-Za-z][A-Za-z0-9+.-]*:/.test(c.ourMsg.target) &&
      !/^[A-Za-z]+:\/\//.test(c.ourMsg.target),
  },
  {
    id: 'node-host-not-validated',
    kind: 'node',
    summary:
      'Node does not check the Host field value, nor that Host appears only once, and does not require Host on CONNECT.',
    rfc: 'RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request message that lacks a Host header field and to any request message that contains more than one Host header field line or a Host header field with an invalid field value."',
    example: 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
    explains: (c) => {
      if (c.disagreement.class !== 'type' || !nodeAccepts(c)) return false
      const hosts = header(c.nodeMsg, 'host')
      if (c.ourCode === 'DUPLICATE_HOST') return hosts.length > 1
      if (c.ourCode === 'INVALID_HOST') return hosts.some((h) => !isValidHostField(h)) || hosts.length > 1
      // Node's requireHostHeader check is skipped for CONNECT.
      if (c.ourCode === 'MISSING_HOST')
        return hosts.length === 0 && c.nodeMsg?.method === 'CONNECT' && c.nodeMsg.version === '1.1'
      return false
    },
  },
  {
    id: 'ours-crlf-only-between-messages',
    kind: 'ours',
    summary:
      'Between messages (before a request line or at the end of the stream) we only skip CRLF; llhttp also skips bare LFs and CRs.',
    rfc: 'RFC 9112 §2.2: a server "SHOULD ignore at least one empty line (CRLF) received prior to the request-line"; "a recipient MAY recognize a single LF as a line terminator" (Node does, we do not); a bare CR "MUST" be treated as invalid or replaced by SP.',
    example: '\nGET / HTTP/1.1\r\nHost: a\r\n\r\n',
    explains: (c) => {
      if (c.disagreement.class !== 'type' || !nodeAccepts(c)) return false
      if (c.ourCode !== 'BARE_LF' && c.ourCode !== 'BARE_CR') return false
      // At the very end of the stream: without its trailing run of CR/LF bytes, we accept
      // exactly the messages Node accepted.
      if (c.nodeMsg === undefined) {
        const tail = /[\r\n]+$/.exec(c.text)
        if (tail === null) return false
        for (let cut = c.bytes.length - 1; cut >= Math.max(tail.index, c.bytes.length - 16); cut--) {
          const again = c.reparse(c.bytes.subarray(0, cut))
          if (again.end.kind === 'clean' && again.messages.length === c.node.messages.length) return true
        }
        return false
      }
      // Before a request line: the rejected bare CR/LF sits where the next message starts
      // (possibly right after a body, so look around our error offset rather than at line starts).
      const offset = c.ours.end.kind === 'error' ? (c.ours.end.offset ?? -1) : -1
      const next = new RegExp(`^[\\r\\n]*(\\n|\\r(?!\\n))[\\r\\n]*${escapeRe(c.nodeMsg.method)} `)
      for (let at = Math.max(0, offset - 2); at <= offset && at < c.text.length; at++) {
        if (next.test(c.text.slice(at))) return true
      }
      return false
    },
  },
  {
    id: 'node-chunk-ext-bws',
    kind: 'node',
    summary: 'llhttp rejects whitespace (BWS) around ";" and "=" in chunk extensions.',
    rfc: 'RFC 9112 §7.1.1: "chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )".',
    example: 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3 ;a\r\nabc\r\n0\r\n\r\n',
    explains: (c) =>
      c.disagreement.class === 'type' &&
      oursAccepts(c) &&
      (c.nodeCode === 'HPE_STRICT' || c.nodeCode === 'HPE_INVALID_CHUNK_SIZE') &&
      chunkLines(c.text).some(chunkLineHasBws),
  },
  {
    id: 'node-lax-chunk-ext',
    kind: 'node',
    summary: 'llhttp accepts chunk extensions outside the grammar (an empty name, stray bytes).',
    rfc: 'RFC 9112 §7.1.1: "chunk-ext-name = token", "chunk-ext-val = token / quoted-string".',
    example: 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;=x\r\nabc\r\n0\r\n\r\n',
    explains: (c) =>
      c.disagreement.class === 'type' &&
      nodeAccepts(c) &&
      c.ourCode === 'INVALID_CHUNK_EXTENSION' &&
      c.errorLine !== null &&
      !isValidChunkLine(c.errorLine),
  },
  {
    id: 'node-lax-transfer-encoding',
    kind: 'node',
    summary:
      'llhttp only looks at whether Transfer-Encoding ends in "chunked"; codings that are not tokens (`c\\xbdunked, chunked`) pass.',
    rfc: 'RFC 9112 §6.1: "Transfer-Encoding = #transfer-coding"; RFC 9110 §10.1.4: "transfer-coding = token *( OWS ";" OWS transfer-parameter )".',
    example: 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ch\xe0, chunked\r\n\r\n0\r\n\r\n',
    explains: (c) =>
      c.disagreement.class === 'type' &&
      nodeAccepts(c) &&
      c.ourCode === 'INVALID_TRANSFER_ENCODING' &&
      header(c.nodeMsg, 'transfer-encoding')
        .flatMap((v) => v.split(','))
        .some((x) => owsTrim(x) !== '' && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+([ \t]*;.*)?$/.test(owsTrim(x))),
  },
  {
    id: 'node-te-empty-list-element',
    kind: 'node',
    summary:
      'llhttp rejects a Transfer-Encoding list with empty elements (`chunked,` or `, chunked`) that still ends in chunked.',
    rfc: 'RFC 9110 §5.6.1: "a recipient MUST parse and ignore a reasonable number of empty list elements".',
    example: 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked,\r\n\r\n0\r\n\r\n',
    explains: (c) => {
      if (
        c.disagreement.class !== 'type' ||
        !oursAccepts(c) ||
        c.nodeCode !== 'HPE_INVALID_TRANSFER_ENCODING'
      )
        return false
      const elements = header(c.ourMsg, 'transfer-encoding').flatMap((v) => v.split(',').map(owsTrim))
      const codings = elements.filter((e) => e !== '')
      return elements.length > codings.length && codings.at(-1)?.toLowerCase() === 'chunked'
    },
  },
  {
    id: 'node-trailing-htab-in-framing-value',
    kind: 'node',
    summary:
      'llhttp rejects a Content-Length or Transfer-Encoding value followed by HTAB (trailing SP is fine).',
    rfc: 'RFC 9112 §5: "field-line = field-name ":" OWS field-value OWS"; RFC 9110 §5.6.3: "OWS = *( SP / HTAB )".',
    example: 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\t\r\n\r\nx',
    explains: (c) =>
      c.disagreement.class === 'type' &&
      oursAccepts(c) &&
      (c.nodeCode === 'HPE_INVALID_CONTENT_LENGTH' || c.nodeCode === 'HPE_INVALID_TRANSFER_ENCODING') &&
      // Never for a message that carries both (that is the smuggling case, not this quirk).
      !(header(c.ourMsg, 'content-length').length > 0 && header(c.ourMsg, 'transfer-encoding').length > 0) &&
      /(^|\n)(content-length|transfer-encoding):[^\r\n]*\t\r\n/i.test(c.text),
  },
  {
    id: 'node-upgrade-skips-framing',
    kind: 'node',
    summary:
      'For CONNECT, and for a request offering Upgrade (`Connection: upgrade`), llhttp skips the Transfer-Encoding checks and may hand the declared body to the new protocol (CONNECT: every byte after the head goes to the connect handler).',
    rfc: 'RFC 9112 §6.3: the request body length is set by Transfer-Encoding or Content-Length; RFC 9110 §7.8: the protocol switch happens after the request, and the server "MUST NOT switch protocols unless the received message semantics can be honored".',
    example:
      'GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: x\r\nTransfer-Encoding: identity\r\n\r\n',
    explains: (c) => {
      const m = c.nodeMsg
      if (m === undefined || !m.upgrade) return false
      const declaresBody = header(m, 'content-length').length > 0 || header(m, 'transfer-encoding').length > 0
      if (!declaresBody) return false
      return c.disagreement.class === 'request'
        ? c.disagreement.field === 'body' || c.disagreement.field === 'trailers'
        : nodeAccepts(c)
    },
  },
  {
    id: 'ours-framing-field-in-trailer-ignored',
    kind: 'ours',
    summary:
      'We pass a Content-Length / Transfer-Encoding trailer field through (it frames nothing); llhttp applies its framing checks to it and rejects the message.',
    rfc: 'RFC 9110 §6.5.1: framing fields are not allowed in trailers and a recipient that cannot merge a trailer field simply does not; RFC 9112 §7.1.2: "A recipient MUST ... ignore (or consider as an error) any fields that are forbidden to be sent in a trailer" — rejecting is allowed, but Node does it with a framing error after the body.',
    example: 'GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 5\r\n\r\n',
    explains: (c) =>
      c.disagreement.class === 'type' &&
      oursAccepts(c) &&
      c.ourMsg !== undefined &&
      pairs(c.ourMsg.trailers).some(([n]) =>
        ['content-length', 'transfer-encoding'].includes(n.toLowerCase()),
      ),
  },
  {
    id: 'node-header-line-cap',
    kind: 'node',
    summary:
      'Node silently keeps only the first 1023 field lines of a head (rawHeaders is truncated, no error).',
    rfc: 'RFC 9110 §5.4: a server that receives a field section "larger than it wishes to process MUST respond with an appropriate 4xx (Client Error) status code"; dropping fields changes the message.',
    example: `GET / HTTP/1.1\r\nHost: a\r\n${'a:\r\n'.repeat(1100)}\r\n`,
    explains: (c) =>
      (c.disagreement.class === 'type' && nodeAccepts(c) && (c.nodeMsg?.headers.length ?? 0) >= 2 * 1023) ||
      (c.disagreement.class === 'request' &&
        c.disagreement.field === 'headers' &&
        (c.nodeMsg?.headers.length ?? 0) === 2 * 1023),
  },
  {
    id: 'ours-header-count-limit',
    kind: 'ours',
    summary:
      'We answer 431 past 100 field lines (Apache LimitRequestFields); Node has no count limit below its 16 KiB head size.',
    rfc: 'RFC 9110 §5.4: a server "MUST respond with an appropriate 4xx (Client Error) status code" to a field section larger than it wishes to process; RFC 6585 §5: 431.',
    example: `GET / HTTP/1.1\r\nHost: a\r\n${'a:\r\n'.repeat(120)}\r\n`,
    explains: (c) =>
      c.disagreement.class === 'type' &&
      nodeAccepts(c) &&
      c.ourCode === 'TOO_MANY_HEADERS' &&
      c.nodeMsg !== undefined &&
      (c.nodeMsg.headers.length > 200 || c.nodeMsg.trailers.length > 200),
  },
  {
    id: 'ours-identical-content-lengths',
    kind: 'ours',
    summary:
      'We accept several Content-Length lines or a list when every value is the same; llhttp rejects them.',
    rfc: 'RFC 9110 §8.6: a recipient of "Content-Length: 42, 42" or duplicated lines "MAY either reject the message as invalid or replace the duplicated field values with a single valid Content-Length field".',
    example: 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nz',
    explains: (c) => {
      if (c.disagreement.class !== 'type' || !oursAccepts(c) || c.ourMsg === undefined) return false
      if (header(c.ourMsg, 'transfer-encoding').length > 0) return false
      const values = header(c.ourMsg, 'content-length').flatMap((v) => v.split(',').map((x) => x.trim()))
      return values.length > 1 && values.every((v) => v === values[0])
    },
  },
  {
    id: 'ours-te-in-http10',
    kind: 'ours',
    summary: 'We reject Transfer-Encoding in an HTTP/1.0 request (400); Node decodes it as chunked.',
    rfc: 'RFC 9112 §6.1: a server that receives an HTTP/1.0 message with Transfer-Encoding "MUST treat the message as if the framing is faulty, even if a Content-Length is present, and close the connection after processing the message" — rejecting it is our reading of faulty framing.',
    example: 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    explains: (c) =>
      c.disagreement.class === 'type' &&
      nodeAccepts(c) &&
      c.ourCode === 'TRANSFER_ENCODING_IN_HTTP10' &&
      c.nodeMsg?.version === '1.0',
  },
  {
    id: 'ours-501-unknown-transfer-coding',
    kind: 'ours',
    summary:
      'We answer 501 to a transfer coding other than chunked (e.g. `gzip, chunked`); Node decodes chunked and passes the coded body on.',
    rfc: 'RFC 9112 §6.1: "A server that receives a request message with a transfer coding it does not understand SHOULD respond with 501 (Not Implemented)."',
    example: 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
    explains: (c) =>
      c.disagreement.class === 'type' &&
      nodeAccepts(c) &&
      c.ourCode === 'UNSUPPORTED_TRANSFER_CODING' &&
      header(c.nodeMsg, 'transfer-encoding').some((v) =>
        v.split(',').some((x) => !['chunked', ''].includes(x.trim().toLowerCase())),
      ),
  },
  {
    id: 'ours-higher-minor-version',
    kind: 'ours',
    summary: 'We process HTTP/1.2 … HTTP/1.9 as HTTP/1.1; llhttp rejects them.',
    rfc: 'RFC 9110 §6.2: "A recipient that receives a message with a major version number that it implements and a minor version number higher than what it implements SHOULD process the message as if it were in the highest minor version within that major version to which the recipient is conformant."',
    example: 'GET / HTTP/1.2\r\nHost: a\r\n\r\n',
    explains: (c) =>
      c.disagreement.class === 'type' &&
      oursAccepts(c) &&
      c.nodeCode === 'HPE_INVALID_VERSION' &&
      c.ourMsg?.version === '1.1' &&
      c.text.includes(`${c.ourMsg.method} ${c.ourMsg.target} HTTP/1.`) &&
      new RegExp(`${escapeRe(`${c.ourMsg.method} ${c.ourMsg.target}`)} HTTP/1\\.[2-9]\\r\\n`).test(c.text),
  },
]

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The line holding byte `offset` (latin1, without CR/LF), or null without an offset. */
export function lineAt(bytes: Uint8Array, offset: number | undefined): string | null {
  if (offset === undefined || offset < 0) return null
  const at = Math.min(offset, bytes.length - 1)
  let start = at
  while (start > 0 && bytes[start - 1] !== 0x0a) start--
  let end = at
  while (end < bytes.length && bytes[end] !== 0x0a) end++
  let line = latin1(bytes.subarray(start, end))
  if (line.endsWith('\r')) line = line.slice(0, -1)
  return line
}

export function quirkContext(
  bytes: Uint8Array,
  ours: ParseOutcome,
  node: ParseOutcome,
  d: Disagreement,
  reparse: (bytes: Uint8Array) => ParseOutcome,
): QuirkContext {
  return {
    reparse,
    bytes,
    ours,
    node,
    disagreement: d,
    ourMsg: ours.messages[d.index],
    nodeMsg: node.messages[d.index],
    ourCode: ours.end.kind === 'error' ? ours.end.code : null,
    nodeCode: node.end.kind === 'error' ? node.end.code : null,
    errorLine: ours.end.kind === 'error' ? lineAt(bytes, ours.end.offset) : null,
    text: latin1(bytes),
  }
}

/** The quirks that explain a disagreement (empty: unexplained). */
export function explain(c: QuirkContext): Quirk[] {
  return QUIRKS.filter((q) => q.explains(c))
}
