/**
 * The three parsers behind one interface, so the benchmark and the equivalence check drive them
 * identically. Every session extracts the same information: method, target, version, the header
 * pairs as strings, and the body bytes. In counting mode that information is only touched (its
 * lengths summed into `checksum`, so the JIT cannot drop the work); in recording mode it is
 * collected into ParsedRequest objects for the equivalence check.
 *
 * llhttp is reached through Node's own binding (`_http_common`'s HTTPParser), the object
 * node:http itself drives. It is used here and nowhere else: src/ never touches it.
 */
import { createRequire } from 'node:module'
import { RequestParser } from '../../src/http1/parser.ts'
import type { ParsedRequest } from './fixtures.ts'

export type ParserId = 'sockhttp' | 'llhttp' | 'http-parser-js'
export const PARSER_IDS: readonly ParserId[] = ['sockhttp', 'llhttp', 'http-parser-js']

export class ParserRejected extends Error {
  override readonly name = 'ParserRejected'
}

export interface ParserSession {
  /** Parses `chunk` (any slice of the stream). Throws ParserRejected on a protocol error. */
  feed(chunk: Buffer): void
  /** Completed requests so far. */
  readonly requests: number
  readonly checksum: number
}

export interface ParserAdapter {
  readonly id: ParserId
  readonly label: string
  /** How the parser is configured (strictness switches), for the report. */
  readonly configuration: string
  session(record?: (r: ParsedRequest) => void): ParserSession
}

type Record_ = ((r: ParsedRequest) => void) | undefined

function pairsOf(flat: readonly string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!])
  return out
}

// ---- sockhttp: the pull parser; every event is pulled until need-data -------------------------

class SockhttpSession implements ParserSession {
  readonly #parser = new RequestParser()
  readonly #record: Record_
  #current: {
    method: string
    target: string
    version: '1.0' | '1.1'
    headers: [string, string][]
    body: Buffer[]
  } | null = null
  requests = 0
  checksum = 0

  constructor(record: Record_) {
    this.#record = record
  }

  feed(chunk: Buffer): void {
    const p = this.#parser
    p.feed(chunk)
    for (;;) {
      const ev = p.next()
      switch (ev.type) {
        case 'need-data':
          return
        case 'head': {
          const h = ev.head
          this.checksum += h.method.length + h.target.length + h.version.length + h.rawHeaders.length
          if (this.#record) {
            this.#current = {
              method: h.method,
              target: h.target,
              version: h.version,
              headers: pairsOf(h.rawHeaders),
              body: [],
            }
          }
          break
        }
        case 'body':
          this.checksum += ev.data.length
          if (this.#current) this.#current.body.push(Buffer.from(ev.data))
          break
        case 'end':
          this.requests++
          if (this.#record && this.#current) {
            const c = this.#current
            this.#record({ ...c, body: Buffer.concat(c.body) })
            this.#current = null
          }
          break
        case 'error':
          throw new ParserRejected(ev.error.code)
      }
    }
  }
}

export const sockhttpAdapter: ParserAdapter = {
  id: 'sockhttp',
  label: 'sockhttp RequestParser',
  configuration: 'defaults (strict: CRLF only, no obs-fold, RFC 3986 target bytes, Host rules, CL/TE rules)',
  session: (record) => new SockhttpSession(record),
}

// ---- llhttp through node's binding, driven the way node:http drives it ------------------------

interface NodeParserBinding {
  new (): NodeParser
  REQUEST: number
  kOnHeaders: number
  kOnHeadersComplete: number
  kOnBody: number
  kOnMessageComplete: number
}
interface NodeParser {
  initialize(type: number, resource: object, maxHeaderSize?: number, lenient?: number): void
  execute(data: Buffer): number | Error
  [k: number]: unknown
}

const require = createRequire(import.meta.url)
const httpCommon = require('node:_http_common') as { HTTPParser: NodeParserBinding; methods: string[] }

class LlhttpSession implements ParserSession {
  readonly #parser: NodeParser
  readonly #record: Record_
  // node:http's own bookkeeping: headers that arrive before headers-complete are flushed in parts.
  #partHeaders: string[] = []
  #partUrl = ''
  #current: {
    method: string
    target: string
    version: '1.0' | '1.1'
    headers: [string, string][]
    body: Buffer[]
  } | null = null
  requests = 0
  checksum = 0

  constructor(record: Record_) {
    this.#record = record
    const H = httpCommon.HTTPParser
    const p = new H()
    // Lenient flags 0: llhttp's strict mode, node:http's default (insecureHTTPParser off).
    p.initialize(H.REQUEST, {}, 0, 0)
    p[H.kOnHeaders] = (headers: string[], url: string) => {
      for (const h of headers) this.#partHeaders.push(h)
      this.#partUrl += url
    }
    p[H.kOnHeadersComplete] = (
      versionMajor: number,
      versionMinor: number,
      headers: string[] | undefined,
      method: number,
      url: string | undefined,
    ) => {
      let hs = headers
      let u = url
      if (hs === undefined) {
        hs = this.#partHeaders
        u = this.#partUrl
        this.#partHeaders = []
        this.#partUrl = ''
      }
      const m = httpCommon.methods[method]!
      this.checksum += m.length + u!.length + versionMajor + versionMinor + hs.length
      if (this.#record) {
        this.#current = {
          method: m,
          target: u!,
          version: versionMinor === 0 ? '1.0' : '1.1',
          headers: pairsOf(hs),
          body: [],
        }
      }
      return 0
    }
    p[H.kOnBody] = (b: Buffer) => {
      this.checksum += b.length
      if (this.#current) this.#current.body.push(Buffer.from(b))
    }
    p[H.kOnMessageComplete] = () => {
      this.requests++
      if (this.#record && this.#current) {
        const c = this.#current
        this.#record({ ...c, body: Buffer.concat(c.body) })
        this.#current = null
      }
    }
    this.#parser = p
  }

  feed(chunk: Buffer): void {
    const r = this.#parser.execute(chunk)
    if (r instanceof Error) throw new ParserRejected((r as Error & { code?: string }).code ?? r.message)
  }
}

export const llhttpAdapter: ParserAdapter = {
  id: 'llhttp',
  label: `llhttp ${process.versions.llhttp ?? ''} (node:http's binding)`,
  configuration:
    'node:http defaults: lenient flags off (insecureHTTPParser false), no header-size limit in the binding',
  session: (record) => new LlhttpSession(record),
}

// ---- http-parser-js: the pure-JS drop-in for the binding ----------------------------------------

interface JsParserCtor {
  new (type: string): JsParser
  REQUEST: string
  kOnHeaders: number
  kOnHeadersComplete: number
  kOnBody: number
  kOnMessageComplete: number
}
interface JsParser {
  execute(data: Buffer): number | Error
  [k: number]: unknown
}
interface JsHeadInfo {
  versionMajor: number
  versionMinor: number
  headers: string[]
  method: number
  url: string
}

const jsParser = require('http-parser-js') as { HTTPParser: JsParserCtor; methods: string[] }

class JsSession implements ParserSession {
  readonly #parser: JsParser
  readonly #record: Record_
  #current: {
    method: string
    target: string
    version: '1.0' | '1.1'
    headers: [string, string][]
    body: Buffer[]
  } | null = null
  requests = 0
  checksum = 0

  constructor(record: Record_) {
    this.#record = record
    const H = jsParser.HTTPParser
    const p = new H(H.REQUEST)
    p[H.kOnHeadersComplete] = (info: JsHeadInfo) => {
      const m = jsParser.methods[info.method]!
      this.checksum +=
        m.length + info.url.length + info.versionMajor + info.versionMinor + info.headers.length
      if (this.#record) {
        this.#current = {
          method: m,
          target: info.url,
          version: info.versionMinor === 0 ? '1.0' : '1.1',
          headers: pairsOf(info.headers),
          body: [],
        }
      }
      return 0
    }
    p[H.kOnBody] = (b: Buffer, start: number, len: number) => {
      this.checksum += len
      if (this.#current) this.#current.body.push(Buffer.from(b.subarray(start, start + len)))
    }
    p[H.kOnMessageComplete] = () => {
      this.requests++
      if (this.#record && this.#current) {
        const c = this.#current
        this.#record({ ...c, body: Buffer.concat(c.body) })
        this.#current = null
      }
    }
    this.#parser = p
  }

  feed(chunk: Buffer): void {
    const r = this.#parser.execute(chunk)
    if (r instanceof Error) throw new ParserRejected(r.message)
  }
}

export const httpParserJsAdapter: ParserAdapter = {
  id: 'http-parser-js',
  label: 'http-parser-js 0.5',
  configuration: 'defaults (80 KiB header limit; lenient, see the strictness table)',
  session: (record) => new JsSession(record),
}

export const ADAPTERS: Readonly<Record<ParserId, ParserAdapter>> = {
  sockhttp: sockhttpAdapter,
  llhttp: llhttpAdapter,
  'http-parser-js': httpParserJsAdapter,
}
