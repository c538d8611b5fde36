/**
 * What each parser accepts. Speed is only comparable between parsers doing comparable checks, so
 * the report prints, next to the throughput, which of these malformed requests each one rejects.
 * (RFC 9112 sections beside each probe; every one of them is a MUST-reject or a smuggling vector.)
 */
import { type ParserAdapter, ParserRejected } from './adapters.ts'

export interface StrictnessProbe {
  readonly id: string
  readonly rule: string
  readonly bytes: string
}

export const PROBES: readonly StrictnessProbe[] = [
  { id: 'bare-lf', rule: 'RFC 9112 §2.2 bare LF line ending', bytes: 'GET / HTTP/1.1\nHost: x\n\n' },
  {
    id: 'obs-fold',
    rule: 'RFC 9112 §5.2 obs-fold',
    bytes: 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n',
  },
  {
    id: 'space-before-colon',
    rule: 'RFC 9112 §5.1 whitespace before colon',
    bytes: 'GET / HTTP/1.1\r\nHost : x\r\n\r\n',
  },
  { id: 'missing-host', rule: 'RFC 9112 §3.2 Host missing in HTTP/1.1', bytes: 'GET / HTTP/1.1\r\n\r\n' },
  {
    id: 'double-host',
    rule: 'RFC 9112 §3.2 two Host fields',
    bytes: 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
  },
  {
    id: 'cl-te',
    rule: 'RFC 9112 §6.3 Content-Length with Transfer-Encoding',
    bytes: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  },
  {
    id: 'cl-conflict',
    rule: 'RFC 9112 §6.3 differing Content-Length values',
    bytes: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
  },
  {
    id: 'cl-plus',
    rule: 'RFC 9110 §8.6 Content-Length is 1*DIGIT',
    bytes: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\na',
  },
  { id: 'target-pipe', rule: 'RFC 3986 target character `|`', bytes: 'GET /a|b HTTP/1.1\r\nHost: x\r\n\r\n' },
  {
    id: 'target-8bit',
    rule: 'RFC 3986 target byte >= 0x80',
    bytes: 'GET /\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n',
  },
  {
    id: 'chunk-size-ws',
    rule: 'RFC 9112 §7.1 whitespace after chunk-size',
    bytes: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1 \r\na\r\n0\r\n\r\n',
  },
  {
    id: 'te-not-chunked-final',
    rule: 'RFC 9112 §6.3 TE not ending in chunked',
    bytes: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n',
  },
  { id: 'http-2.0', rule: 'RFC 9110 §6.2 unsupported version', bytes: 'GET / HTTP/2.0\r\nHost: x\r\n\r\n' },
  {
    id: 'ctl-in-value',
    rule: 'RFC 9110 §5.5 control byte in a field value',
    bytes: 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n',
  },
]

export type Verdict = 'rejects' | 'accepts'

/** Feeds each probe to a fresh session; `accepts` means a complete request came out without an error. */
export function probe(adapter: ParserAdapter): Record<string, Verdict> {
  const out: Record<string, Verdict> = {}
  for (const p of PROBES) {
    const session = adapter.session()
    let verdict: Verdict
    try {
      session.feed(Buffer.from(p.bytes, 'latin1'))
      verdict = session.requests > 0 ? 'accepts' : 'rejects'
    } catch (err) {
      if (!(err instanceof ParserRejected)) throw err
      verdict = 'rejects'
    }
    out[p.id] = verdict
  }
  return out
}
