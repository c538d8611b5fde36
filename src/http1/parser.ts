/**
 * An incremental, pull-based HTTP/1.1 request parser (RFC 9112), with no I/O and no timers.
 *
 * Invariants, which the fuzzer checks:
 * - `feed()` only stores bytes; `next()` returns exactly one event and never throws. Every
 *   protocol problem is a `ParseError` event, after which the parser is dead.
 * - Each input byte is examined a bounded number of times, however the input is split: the
 *   newline search resumes where it stopped, and a partial line is copied once into a
 *   carry buffer whose size the head limit bounds.
 * - Messages come out one at a time. The caller holds back the next pipelined request simply by
 *   not calling `next()` after an 'end' event.
 * - Body bytes are handed out as subarrays of the fed chunks: nothing is copied.
 */
import {
  asciiBytes,
  CR,
  HEX_VALUE,
  HTAB,
  IS_ALPHA,
  LF,
  QDTEXT,
  QUOTED_PAIR_CHAR,
  SCHEME_CHAR,
  SP,
  TCHAR,
} from './chars.ts'
import { ParseError, type ParseErrorCode } from './errors.ts'
import {
  CONNECTION_CLOSE,
  CONNECTION_KEEP_ALIVE,
  CONNECTION_UPGRADE,
  equalsLower,
  INVALID,
  isValidHost,
  readConnectionOptions,
  readContentLength,
  readTransferCodings,
} from './field-values.ts'
import { decideRequestFraming } from './framing.ts'
import {
  HeadLineScanner,
  LINE_EMPTY,
  LINE_FIELD,
  LINE_REQUEST,
  type LineContext,
  SCAN_ERROR,
  SCAN_MORE,
} from './head-lines.ts'
import type {
  BodyFraming,
  ParserEvent,
  ParserLeniency,
  ParserLimits,
  ParserOptions,
  RequestHead,
  TargetForm,
} from './types.ts'

/**
 * Defaults follow Node's where Node has one: a 16 KiB head (Node's --max-http-header-size),
 * Apache's 100 fields (LimitRequestFields), an 8 KiB target (the smallest request-line length
 * RFC 9112 §3 asks every server to support), no body limit in the parser itself (the server sets
 * one), and 16 KiB of chunk extensions per message, like Node's guard against extension floods.
 */
export const DEFAULT_LIMITS: ParserLimits = Object.freeze({
  maxHeadSize: 16 * 1024,
  maxHeaderCount: 100,
  maxTargetLength: 8 * 1024,
  maxBodySize: Number.POSITIVE_INFINITY,
  maxChunkExtensionsSize: 16 * 1024,
})

/** Room for the method, two SPs and the version around a target of the maximum length. */
const REQUEST_LINE_SLACK = 1024
/** RFC 9112 §7.1 sizes are hex; 2^53-1 needs 14 digits, so more significant digits can only overflow. */
const MAX_CHUNK_SIZE_DIGITS = 64

/** The parser's only need-data event: consumers may compare by identity. */
export const NEED_DATA: ParserEvent = Object.freeze({ type: 'need-data' })
const NO_FIELDS: readonly string[] = Object.freeze([])
/**
 * Shared by every message without trailers. Not frozen: a frozen object has a shape of its own,
 * and one more shape at `event.type` makes that read megamorphic for every consumer.
 */
const END_NO_TRAILERS: ParserEvent = { type: 'end', trailers: NO_FIELDS }
const EMPTY = new Uint8Array(0)

// Parser states. Plain numbers keep the switch in `next()` monomorphic and cheap.
const S_HEAD = 0
const S_BODY_LENGTH = 1
const S_CHUNK_SIZE = 2
const S_CHUNK_DATA = 3
const S_CHUNK_DATA_CR = 4
const S_CHUNK_DATA_LF = 5
const S_TRAILERS = 6
const S_MESSAGE_END = 7
const S_UPGRADED = 8
const S_DEAD = 9

// Sub-states of the chunk-size line (RFC 9112 §7.1.1), one byte at a time.
const C_SIZE_FIRST = 0
const C_SIZE = 1
const C_SIZE_BWS = 2
const C_EXT_BWS_NAME = 3
const C_EXT_NAME = 4
const C_EXT_AFTER_NAME = 5
const C_EXT_BWS_VALUE = 6
const C_EXT_TOKEN = 7
const C_EXT_QUOTED = 8
const C_EXT_QUOTED_PAIR = 9
const C_EXT_AFTER_VALUE = 10
/** Whitespace after an extension value: RFC 9112 §7.1.1 allows BWS there only before another ";". */
const C_EXT_VALUE_BWS = 11
const C_LF = 12

// Fields that change how the message is framed or handled, recognised by name.
const F_OTHER = 0
const F_HOST = 1
const F_CONTENT_LENGTH = 2
const F_TRANSFER_ENCODING = 3
const F_CONNECTION = 4
const F_EXPECT = 5
const F_UPGRADE = 6

// Names and tokens compared case-insensitively (equalsLower), as bytes.
const L_HTTP = asciiBytes('http')
const L_HTTPS = asciiBytes('https')
const L_CONTINUE_100 = asciiBytes('100-continue')
const L_HOST = asciiBytes('host')
const L_EXPECT = asciiBytes('expect')
const L_UPGRADE = asciiBytes('upgrade')
const L_CONNECTION = asciiBytes('connection')
const L_CONTENT_LENGTH = asciiBytes('content-length')
const L_TRANSFER_ENCODING = asciiBytes('transfer-encoding')

/** Bytes of head text decoded per native call: a typical head in one go, without pinning much memory. */
const DECODE_AHEAD = 2048

type MutableLineContext = { -readonly [K in keyof LineContext]: LineContext[K] }

export class RequestParser {
  /** Byte examinations so far: each scan or validation pass adds the bytes it looked at. */
  get bytesExamined(): number {
    return this.#examined + this.#lines.bytesExamined
  }
  #examined = 0

  readonly #limits: ParserLimits
  readonly #allowBareLf: boolean
  readonly #allowObsFold: boolean
  readonly #allowClWithTe: boolean

  // Input: the chunk being read, the read position, and chunks fed behind it.
  #buf: Uint8Array = EMPTY
  #pos = 0
  #pending: Uint8Array[] = []
  /** Stream offset of #buf[0], for error offsets. */
  #base = 0

  #state = S_HEAD
  #error: ParseError | null = null

  /** Recognises head and trailer lines byte by byte, across chunk boundaries. */
  readonly #lines = new HeadLineScanner()
  readonly #lineContext: MutableLineContext
  /** End of the current line's content in its array: how far text may be decoded ahead there. */
  #lineContentEnd = 0
  /**
   * Head text decoded from the bytes in one native call per head rather than one per field:
   * names and values are then cheap slices of it. #textSource is the buffer it came from.
   */
  #decoded = ''
  #decodedStart = 0
  #textSource: Uint8Array | null = null

  // The head (or trailer section) being read.
  #sectionBytes = 0
  #requestLineSeen = false
  #method = ''
  #target = ''
  #targetForm: TargetForm = 'origin'
  #targetAuthority = ''
  #version: '1.0' | '1.1' = '1.1'
  /** The section's fields as name, value pairs; the shared empty NO_FIELDS until the first one. */
  #fields: readonly string[] = NO_FIELDS
  #hostCount = 0
  #host = ''
  #contentLength = -1
  #transferCodings: string[] | null = null
  #connection = 0
  #expectContinue = false
  #unsupportedExpect: string | null = null
  #upgradeValue: string | null = null
  #upgrading = false

  // The body being read.
  #remaining = 0
  #bodyBytes = 0
  #chunkState = C_SIZE_FIRST
  #chunkSize = 0
  #chunkDigits = 0
  #extensionBytes = 0

  constructor(options: ParserOptions = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits }
    const leniency: ParserLeniency = options.leniency ?? {}
    this.#allowBareLf = leniency.allowBareLf === true
    this.#allowObsFold = leniency.allowObsFold === true
    this.#allowClWithTe = leniency.allowContentLengthWithTransferEncoding === true
    this.#lineContext = {
      expectRequestLine: true,
      afterField: false,
      allowBareLf: this.#allowBareLf,
      allowObsFold: this.#allowObsFold,
      maxTargetLength: this.#limits.maxTargetLength,
    }
  }

  /** Appends bytes to the stream. The parser keeps a reference: the caller must not reuse the memory. */
  feed(chunk: Uint8Array): void {
    if (chunk.length === 0) return
    if (this.#pos >= this.#buf.length && this.#pending.length === 0) {
      this.#base += this.#buf.length
      this.#buf = chunk
      this.#pos = 0
    } else {
      this.#pending.push(chunk)
    }
  }

  /** Bytes fed but not consumed yet (for example the bytes after an upgrade request). */
  get bufferedBytes(): number {
    let n = this.#buf.length - this.#pos
    for (const chunk of this.#pending) n += chunk.length
    return n
  }

  /** True between messages: no byte of a request line has been received (empty lines aside). */
  get isIdle(): boolean {
    return this.#state === S_HEAD && !this.#requestLineSeen && this.#lines.betweenLines
  }

  /**
   * The peer closed its side. Call it once `next()` has returned need-data. Ending between
   * messages is normal; ending inside one is an INCOMPLETE_MESSAGE error.
   */
  finish(): ParserEvent {
    if (this.#error !== null) return { type: 'error', error: this.#error }
    if (this.#state === S_UPGRADED) return NEED_DATA
    const event = this.next()
    if (event.type !== 'need-data') return event
    if (this.isIdle) return NEED_DATA
    return this.#fail('INCOMPLETE_MESSAGE', 'the connection closed in the middle of a request')
  }

  next(): ParserEvent {
    for (;;) {
      switch (this.#state) {
        case S_HEAD:
        case S_TRAILERS: {
          const event = this.#readSection()
          if (event !== null) return event
          continue
        }
        case S_BODY_LENGTH: {
          if (this.#remaining === 0) {
            this.#state = S_MESSAGE_END
            continue
          }
          if (!this.#hasData()) return NEED_DATA
          return { type: 'body', data: this.#takeBody() }
        }
        case S_CHUNK_SIZE: {
          if (!this.#hasData()) return NEED_DATA
          const error = this.#readChunkSize()
          if (error !== null) return error
          continue
        }
        case S_CHUNK_DATA: {
          if (!this.#hasData()) return NEED_DATA
          const data = this.#takeBody()
          if (this.#remaining === 0) this.#state = S_CHUNK_DATA_CR
          return { type: 'body', data }
        }
        case S_CHUNK_DATA_CR: {
          if (!this.#hasData()) return NEED_DATA
          const b = this.#buf[this.#pos]!
          this.#examined++
          // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
          if (b === CR) {
            this.#pos++
            this.#state = S_CHUNK_DATA_LF
          } else if (b === LF && this.#allowBareLf) {
            this.#pos++
            this.#startChunk()
          } else {
            return this.#fail('INVALID_CHUNK_DATA_END', 'chunk data is not followed by CRLF')
          }
          continue
        }
        case S_CHUNK_DATA_LF: {
          if (!this.#hasData()) return NEED_DATA
          this.#examined++
          if (this.#buf[this.#pos] !== LF) {
            return this.#fail('INVALID_CHUNK_DATA_END', 'chunk data is followed by a CR without LF')
          }
          this.#pos++
          this.#startChunk()
          continue
        }
        case S_MESSAGE_END: {
          const trailers = this.#fields
          this.#resetSection()
          this.#state = this.#upgrading ? S_UPGRADED : S_HEAD
          // Most messages have no trailers: they share one event, one allocation fewer each.
          return trailers.length === 0 ? END_NO_TRAILERS : { type: 'end', trailers }
        }
        case S_UPGRADED:
          return NEED_DATA
        default:
          return { type: 'error', error: this.#error! }
      }
    }
  }

  /** Up to #remaining body bytes from the current chunk, without copying them. */
  #takeBody(): Uint8Array {
    const take = Math.min(this.#buf.length - this.#pos, this.#remaining)
    const data = this.#buf.subarray(this.#pos, this.#pos + take)
    this.#pos += take
    this.#remaining -= take
    return data
  }

  /** Makes #buf hold unread bytes if any were fed; false when there are none. */
  #hasData(): boolean {
    if (this.#pos < this.#buf.length) return true
    const next = this.#pending.shift()
    if (next === undefined) return false
    this.#base += this.#buf.length
    this.#buf = next
    this.#pos = 0
    return true
  }

  /**
   * Readies an idle parser for another connection: true when no byte of a request is held and
   * no error happened, after dropping what it kept between requests. False leaves it as it was.
   */
  recycle(): boolean {
    if (this.#state !== S_HEAD || this.#requestLineSeen || this.#error !== null) return false
    if (!this.#lines.atLineStart || this.#pending.length > 0 || this.#pos < this.#buf.length) return false
    this.#releaseBuffers()
    this.#lines.releaseMemory()
    this.#sectionBytes = 0
    return true
  }

  /**
   * Between requests nothing read so far is needed: dropping the last chunk and the decoded head
   * text keeps an idle keep-alive connection down to the parser's own fields.
   */
  #releaseBuffers(): void {
    this.#base += this.#buf.length
    this.#buf = EMPTY
    this.#pos = 0
    this.#decoded = ''
    this.#textSource = null
  }

  #fail(code: ParseErrorCode, message: string): ParserEvent {
    const error = new ParseError(code, message, this.#base + this.#pos)
    this.#error = error
    this.#state = S_DEAD
    return { type: 'error', error }
  }

  // ---------------------------------------------------------------------------------------
  // Lines: the head and the trailer section are read a line at a time.

  /** buf[start, end) as a string, one code unit per byte (latin1), so obs-text survives intact. */
  #text(buf: Uint8Array, start: number, end: number): string {
    const offset = this.#decodedStart
    if (buf !== this.#textSource || start < offset || end > offset + this.#decoded.length) {
      // Decode ahead so that one native call serves the rest of a typical head; bounded, since
      // short slices of the text keep all of it alive.
      const limit = buf === this.#buf ? Math.min(buf.length, start + DECODE_AHEAD) : this.#lineContentEnd
      this.#decoded = latin1(buf, start, Math.max(end, limit))
      this.#decodedStart = start
      this.#textSource = buf
      return this.#decoded.slice(0, end - start)
    }
    return this.#decoded.slice(start - offset, end - offset)
  }

  /** Reads lines of the head or the trailer section until the section ends or data runs out. */
  #readSection(): ParserEvent | null {
    const inHead = this.#state === S_HEAD
    const limits = this.#limits
    const lines = this.#lines
    const context = this.#lineContext
    for (;;) {
      if (!this.#hasData()) {
        if (this.isIdle) this.#releaseBuffers()
        return NEED_DATA
      }
      const expectRequestLine = inHead && !this.#requestLineSeen
      const headRoom = limits.maxHeadSize - this.#sectionBytes
      // RFC 9112 §3: a request-line longer than we parse is answered 414 (RFC 9110 §15.5.15).
      const lineRoom = expectRequestLine ? limits.maxTargetLength + REQUEST_LINE_SLACK : headRoom
      context.expectRequestLine = expectRequestLine
      context.afterField = this.#fields.length > 0
      this.#pos = lines.scan(this.#buf, this.#pos, Math.min(headRoom, lineRoom), context)
      if (lines.status === SCAN_MORE) continue
      if (lines.status === SCAN_ERROR) {
        const code =
          lines.errorCode === 'HEADERS_TOO_LARGE' && lineRoom < headRoom ? 'TARGET_TOO_LONG' : lines.errorCode
        return this.#fail(code, lines.errorMessage)
      }

      this.#sectionBytes += lines.lineLength
      const arr = lines.lineArr
      const base = lines.lineBase
      this.#lineContentEnd = base + lines.contentLength
      // A line gathered across chunks sits in the scanner's reused carry buffer: old text is stale.
      if (arr !== this.#buf) this.#textSource = null
      let error: ParserEvent | null = null
      switch (lines.kind) {
        case LINE_EMPTY:
          // RFC 9112 §2.2: a server SHOULD ignore at least one empty line received before the request-line.
          if (expectRequestLine) continue
          return inHead ? this.#completeHead() : this.#completeTrailers()
        case LINE_REQUEST:
          error = this.#onRequestLine(arr, base)
          break
        case LINE_FIELD:
          error = this.#onFieldLine(arr, base, inHead)
          break
        default:
          this.#onFoldedLine(arr, base)
      }
      if (error !== null) return error
    }
  }

  // ---------------------------------------------------------------------------------------
  // The request line, RFC 9112 §3: request-line = method SP request-target SP HTTP-version.
  // Its grammar was checked byte by byte by the scanner; what is left is its meaning.

  #onRequestLine(arr: Uint8Array, base: number): ParserEvent | null {
    const lines = this.#lines
    const major = lines.versionMajor
    const minor = lines.versionMinor
    // RFC 9110 §6.2: we implement major version 1 only. RFC 9110 §2.5: a higher minor version
    // is processed as the highest minor version we implement, 1.1.
    if (major !== 1) return this.#fail('UNSUPPORTED_VERSION', `HTTP/${major}.${minor} is not supported`)
    this.#version = minor === 0 ? '1.0' : '1.1'
    const method =
      knownMethod(arr, base, base + lines.methodEnd) ?? this.#text(arr, base, base + lines.methodEnd)
    const targetStart = base + lines.targetStart
    const targetEnd = base + lines.targetEnd
    const error = this.#classifyTarget(method, arr, targetStart, targetEnd)
    if (error !== null) return error
    this.#method = method
    this.#target = this.#text(arr, targetStart, targetEnd)
    this.#requestLineSeen = true
    return null
  }

  /** RFC 9112 §3.2.1-§3.2.4: which form the target takes, and whether this method may use it. */
  #classifyTarget(method: string, buf: Uint8Array, start: number, end: number): ParserEvent | null {
    const first = buf[start]!
    const isConnect = method === 'CONNECT'
    if (first === 0x2f && !isConnect) {
      this.#targetForm = 'origin'
      this.#targetAuthority = ''
      return null
    }
    // §3.2.4: asterisk-form is only for a server-wide OPTIONS.
    if (first === 0x2a && end - start === 1) {
      if (method !== 'OPTIONS')
        return this.#fail('INVALID_TARGET', 'the "*" target is only valid for OPTIONS')
      this.#targetForm = 'asterisk'
      this.#targetAuthority = ''
      return null
    }
    // §3.2.3: authority-form = uri-host ":" port, and only for CONNECT, which must use it.
    if (isConnect) {
      const colon = lastIndexOfByte(buf, 0x3a, start, end)
      let portDigits = colon !== -1 && colon + 1 < end
      for (let k = colon + 1; portDigits && k < end; k++) portDigits = isDigit(buf[k]!)
      if (
        !portDigits ||
        colon === start ||
        !isValidHost(buf, start, end) ||
        indexOfByteIn(buf, 0x2f, start, end) !== -1
      ) {
        return this.#fail('INVALID_TARGET', 'CONNECT needs an authority-form target, host:port')
      }
      this.#targetForm = 'authority'
      this.#targetAuthority = this.#text(buf, start, end)
      return null
    }
    // §3.2.2: absolute-form = absolute-URI; scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    if (IS_ALPHA[first] === 1) {
      let i = start + 1
      while (i < end && SCHEME_CHAR[buf[i]!] === 1) i++
      if (i < end && buf[i] === 0x3a) {
        return this.#readAbsoluteAuthority(buf, start, i, end)
      }
    }
    return this.#fail('INVALID_TARGET', 'the request-target is in no form RFC 9112 §3.2 allows')
  }

  /** The authority of an absolute-form target, which overrides Host (RFC 9112 §3.2.2). */
  #readAbsoluteAuthority(buf: Uint8Array, start: number, colon: number, end: number): ParserEvent | null {
    this.#targetForm = 'absolute'
    let i = colon + 1
    const isHttp = equalsLower(buf, start, colon, L_HTTP) || equalsLower(buf, start, colon, L_HTTPS)
    if (i + 1 < end && buf[i] === 0x2f && buf[i + 1] === 0x2f) {
      i += 2
      const authorityStart = i
      while (i < end && buf[i] !== 0x2f && buf[i] !== 0x3f) i++
      // RFC 3986 §3.2.1: userinfo@ is deprecated for http(s) and RFC 9110 §4.2.4 forbids sending it.
      if (indexOfByteIn(buf, 0x40, authorityStart, i) !== -1 || !isValidHost(buf, authorityStart, i)) {
        return this.#fail('INVALID_TARGET', 'the authority of the absolute-form target is invalid')
      }
      // RFC 9110 §4.2.1: an http URI with an empty host MUST be rejected as invalid.
      if (isHttp && (i === authorityStart || buf[authorityStart] === 0x3a)) {
        return this.#fail('INVALID_TARGET', 'an http(s) URI needs a host')
      }
      this.#targetAuthority = this.#text(buf, authorityStart, i)
      return null
    }
    if (isHttp) return this.#fail('INVALID_TARGET', 'an http(s) URI needs "//" and a host')
    this.#targetAuthority = ''
    return null
  }

  // ---------------------------------------------------------------------------------------
  // Field lines, RFC 9112 §5: field-line = field-name ":" OWS field-value OWS

  #onFieldLine(arr: Uint8Array, base: number, inHead: boolean): ParserEvent | null {
    const lines = this.#lines
    const nameEnd = base + lines.nameEnd
    const valueStart = base + lines.valueStart
    // RFC 9110 §5.5: OWS around the value is not part of it.
    let valueEnd = base + lines.valueEnd
    while (valueEnd > valueStart && (arr[valueEnd - 1] === SP || arr[valueEnd - 1] === HTAB)) valueEnd--

    let fields = this.#fields as string[]
    if (fields.length >= this.#limits.maxHeaderCount * 2) {
      return this.#fail('TOO_MANY_HEADERS', 'more field lines than the configured limit')
    }
    // Sections without fields (most trailer sections) never allocate an array.
    if (fields === NO_FIELDS) {
      fields = []
      this.#fields = fields
    }
    fields.push(this.#text(arr, base, nameEnd), this.#text(arr, valueStart, valueEnd))
    // Trailer fields never decide framing (RFC 9110 §6.5.1); they are passed on as they are.
    if (!inHead) return null
    return this.#noteField(arr, base, nameEnd, valueStart, valueEnd)
  }

  /**
   * RFC 9112 §5.2: obs-fold, reached only with the allowObsFold leniency (the scanner rejects it
   * otherwise), is replaced with SP. RFC 9112 §5 then trims OWS around the whole value, so an
   * empty side adds no SP. A folded framing field is not re-read: leniency users accept that.
   */
  #onFoldedLine(arr: Uint8Array, base: number): void {
    const lines = this.#lines
    let start = base + lines.valueStart
    let end = base + lines.valueEnd
    while (start < end && (arr[start] === SP || arr[start] === HTAB)) start++
    while (end > start && (arr[end - 1] === SP || arr[end - 1] === HTAB)) end--
    // A fold follows a field line, so the array is the section's own, not NO_FIELDS.
    const fields = this.#fields as string[]
    const last = fields.length - 1
    const previous = fields[last]!
    const folded = this.#text(arr, start, end)
    fields[last] = previous === '' ? folded : folded === '' ? previous : `${previous} ${folded}`
  }

  /** Records the fields that affect framing, persistence, Expect and Upgrade. */
  #noteField(buf: Uint8Array, nameStart: number, nameEnd: number, valueStart: number, valueEnd: number) {
    const fields = this.#fields
    switch (fieldId(fields[fields.length - 2]!, buf, nameStart, nameEnd)) {
      case F_HOST:
        // RFC 9112 §3.2: more than one Host, or an invalid one, is answered 400.
        this.#hostCount++
        if (!isValidHost(buf, valueStart, valueEnd))
          return this.#fail('INVALID_HOST', 'the Host value is not a valid authority')
        this.#host = fields[fields.length - 1]!
        return null
      case F_CONTENT_LENGTH: {
        // RFC 9110 §8.6: differing values, or a non-numeric one, make the framing unknowable.
        const length = readContentLength(buf, valueStart, valueEnd)
        if (length === INVALID) return this.#fail('INVALID_CONTENT_LENGTH', 'Content-Length is not 1*DIGIT')
        if (this.#contentLength !== -1 && this.#contentLength !== length) {
          return this.#fail('CONFLICTING_CONTENT_LENGTH', 'Content-Length fields disagree')
        }
        this.#contentLength = length
        return null
      }
      case F_TRANSFER_ENCODING: {
        this.#transferCodings ??= []
        if (!readTransferCodings(buf, valueStart, valueEnd, this.#transferCodings)) {
          return this.#fail(
            'INVALID_TRANSFER_ENCODING',
            'Transfer-Encoding is not a list of transfer codings',
          )
        }
        return null
      }
      case F_CONNECTION: {
        // The two usual values are one string comparison each; anything else is parsed as a list.
        const value = fields[fields.length - 1]
        this.#connection |=
          value === 'keep-alive'
            ? CONNECTION_KEEP_ALIVE
            : value === 'close'
              ? CONNECTION_CLOSE
              : readConnectionOptions(buf, valueStart, valueEnd)
        return null
      }
      case F_EXPECT:
        // RFC 9110 §10.1.1: 100-continue is the only expectation defined; others get 417.
        if (equalsLower(buf, valueStart, valueEnd, L_CONTINUE_100)) this.#expectContinue = true
        else this.#unsupportedExpect = fields[fields.length - 1]!
        return null
      case F_UPGRADE:
        this.#upgradeValue = fields[fields.length - 1]!
        return null
      default:
        return null
    }
  }

  #completeHead(): ParserEvent {
    const version = this.#version
    // RFC 9112 §3.2: an HTTP/1.1 request without Host, or any request with two, gets 400.
    if (this.#hostCount > 1) return this.#fail('DUPLICATE_HOST', 'more than one Host field')
    if (this.#hostCount === 0 && version === '1.1')
      return this.#fail('MISSING_HOST', 'an HTTP/1.1 request needs Host')

    const framing = decideRequestFraming({
      version,
      contentLength: this.#contentLength,
      transferCodings: this.#transferCodings,
      allowContentLengthWithTransferEncoding: this.#allowClWithTe,
    })
    if (typeof framing === 'string') return this.#fail(framing, framingMessage(framing))
    if (framing.kind === 'length' && framing.length > this.#limits.maxBodySize) {
      // RFC 9110 §15.5.14: refused from the head alone, before any body byte is read.
      return this.#fail('BODY_TOO_LARGE', 'Content-Length is over the configured body limit')
    }

    // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
    const connection = this.#connection
    const keepAlive =
      (connection & CONNECTION_CLOSE) === 0 &&
      (version === '1.1' || (connection & CONNECTION_KEEP_ALIVE) !== 0)

    // RFC 9110 §9.3.6 and §7.8: CONNECT, or Upgrade named in Connection, leaves HTTP/1.1 after this
    // request. §7.8: a server MUST ignore Upgrade in an HTTP/1.0 request.
    let upgrade: string | null = null
    if (this.#method === 'CONNECT') upgrade = 'CONNECT'
    else if (version === '1.1' && (connection & CONNECTION_UPGRADE) !== 0 && this.#upgradeValue !== null)
      upgrade = this.#upgradeValue
    // Only CONNECT leaves HTTP/1.1 for certain. An Upgrade is an offer the server may decline
    // (RFC 9110 §7.8), so the stream goes on being parsed as HTTP/1.1 until the server accepts.
    this.#upgrading = upgrade === 'CONNECT'

    const head: RequestHead = {
      method: this.#method,
      target: this.#target,
      targetForm: this.#targetForm,
      version,
      rawHeaders: this.#fields,
      authority:
        this.#targetForm === 'absolute' || this.#targetForm === 'authority'
          ? this.#targetAuthority
          : this.#host,
      framing: upgrade === 'CONNECT' ? { kind: 'none' } : framing,
      keepAlive,
      // RFC 9110 §10.1.1: a server MUST ignore a 100-continue expectation in an HTTP/1.0 request.
      expectContinue: version === '1.1' && this.#expectContinue,
      unsupportedExpect: version === '1.1' ? this.#unsupportedExpect : null,
      upgrade,
    }
    this.#startBody(head.framing)
    return { type: 'head', head }
  }

  #startBody(framing: BodyFraming): void {
    this.#fields = NO_FIELDS
    this.#sectionBytes = 0
    this.#bodyBytes = 0
    this.#extensionBytes = 0
    if (framing.kind === 'length') {
      this.#remaining = framing.length
      this.#state = S_BODY_LENGTH
    } else if (framing.kind === 'chunked') {
      this.#startChunk()
    } else {
      this.#remaining = 0
      this.#state = S_BODY_LENGTH
    }
  }

  #completeTrailers(): ParserEvent | null {
    this.#state = S_MESSAGE_END
    return null
  }

  /** Forgets the message that just ended, ready for the next request line. */
  #resetSection(): void {
    this.#fields = NO_FIELDS
    this.#sectionBytes = 0
    this.#requestLineSeen = false
    this.#hostCount = 0
    this.#host = ''
    this.#contentLength = -1
    this.#transferCodings = null
    this.#connection = 0
    this.#expectContinue = false
    this.#unsupportedExpect = null
    this.#upgradeValue = null
  }

  // ---------------------------------------------------------------------------------------
  // Chunked framing, RFC 9112 §7.1:
  //   chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
  //   chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
  //   chunk-ext-val = token / quoted-string

  #startChunk(): void {
    this.#state = S_CHUNK_SIZE
    this.#chunkState = C_SIZE_FIRST
    this.#chunkSize = 0
    this.#chunkDigits = 0
  }

  /** Consumes chunk-size line bytes from #buf; returns an error event, or null to continue. */
  #readChunkSize(): ParserEvent | null {
    const buf = this.#buf
    let i = this.#pos
    const end = buf.length
    let state = this.#chunkState
    const extensionStart = i
    let extensionCount = 0
    for (; i < end; i++) {
      const b = buf[i]!
      // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" ... ), so the BWS after the size is extension
      // bytes too; counting it keeps a line of endless whitespace under the limit.
      if (state >= C_SIZE_BWS && state <= C_EXT_VALUE_BWS) extensionCount++
      switch (state) {
        case C_SIZE_FIRST:
        case C_SIZE: {
          const digit = HEX_VALUE[b]!
          if (digit !== 0xff) {
            if (
              ++this.#chunkDigits > MAX_CHUNK_SIZE_DIGITS ||
              this.#chunkSize > (Number.MAX_SAFE_INTEGER - digit) / 16
            ) {
              this.#pos = i
              return this.#fail('INVALID_CHUNK_SIZE', 'the chunk size overflows')
            }
            this.#chunkSize = this.#chunkSize * 16 + digit
            state = C_SIZE
            continue
          }
          if (state === C_SIZE_FIRST) {
            this.#pos = i
            return this.#fail('INVALID_CHUNK_SIZE', 'the chunk size is not a hex number')
          }
          if (b === CR) state = C_LF
          else if (b === 0x3b) state = C_EXT_BWS_NAME
          else if (b === SP || b === HTAB) state = C_SIZE_BWS
          else if (b === LF && this.#allowBareLf) {
            i++
            return this.#chunkSizeDone(i, extensionCount)
          } else {
            this.#pos = i
            return this.#fail(
              b === LF ? 'BARE_LF' : 'INVALID_CHUNK_SIZE',
              'the chunk size is followed by an unexpected byte',
            )
          }
          continue
        }
        case C_SIZE_BWS:
          // BWS is allowed only before ";": "5 \r\n" is not a valid chunk-size line.
          if (b === SP || b === HTAB) continue
          if (b === 0x3b) {
            state = C_EXT_BWS_NAME
            continue
          }
          this.#pos = i
          return this.#fail('INVALID_CHUNK_SIZE', 'whitespace after the chunk size without an extension')
        case C_EXT_BWS_NAME:
          if (b === SP || b === HTAB) continue
          if (TCHAR[b] === 1) {
            state = C_EXT_NAME
            continue
          }
          break
        case C_EXT_NAME:
          if (TCHAR[b] === 1) continue
          if (b === 0x3d) state = C_EXT_BWS_VALUE
          else if (b === 0x3b) state = C_EXT_BWS_NAME
          else if (b === SP || b === HTAB) state = C_EXT_AFTER_NAME
          else if (b === CR) state = C_LF
          else break
          continue
        case C_EXT_AFTER_NAME:
          if (b === SP || b === HTAB) continue
          if (b === 0x3d) state = C_EXT_BWS_VALUE
          else if (b === 0x3b) state = C_EXT_BWS_NAME
          else break
          continue
        case C_EXT_BWS_VALUE:
          if (b === SP || b === HTAB) continue
          if (b === 0x22) state = C_EXT_QUOTED
          else if (TCHAR[b] === 1) state = C_EXT_TOKEN
          else break
          continue
        case C_EXT_TOKEN:
          if (TCHAR[b] === 1) continue
          if (b === 0x3b) state = C_EXT_BWS_NAME
          else if (b === SP || b === HTAB) state = C_EXT_VALUE_BWS
          else if (b === CR) state = C_LF
          else break
          continue
        case C_EXT_QUOTED:
          if (b === 0x22) state = C_EXT_AFTER_VALUE
          else if (b === 0x5c) state = C_EXT_QUOTED_PAIR
          else if (QDTEXT[b] !== 1) break
          continue
        case C_EXT_QUOTED_PAIR:
          if (QUOTED_PAIR_CHAR[b] !== 1) break
          state = C_EXT_QUOTED
          continue
        case C_EXT_AFTER_VALUE:
          if (b === SP || b === HTAB) state = C_EXT_VALUE_BWS
          else if (b === 0x3b) state = C_EXT_BWS_NAME
          else if (b === CR) state = C_LF
          else break
          continue
        case C_EXT_VALUE_BWS:
          if (b === SP || b === HTAB) continue
          if (b === 0x3b) state = C_EXT_BWS_NAME
          else break
          continue
        case C_LF:
          if (b !== LF) {
            this.#pos = i
            return this.#fail('BARE_CR', 'the chunk-size line has a CR without LF')
          }
          i++
          return this.#chunkSizeDone(i, extensionCount)
      }
      // RFC 9112 §2.2 leniency: a bare LF may end the line wherever CR could.
      if (
        b === LF &&
        this.#allowBareLf &&
        (state === C_EXT_NAME || state === C_EXT_TOKEN || state === C_EXT_AFTER_VALUE)
      ) {
        return this.#chunkSizeDone(i + 1, extensionCount)
      }
      // Every `break` above is a byte the extension grammar does not allow.
      this.#pos = i
      if (b === LF) return this.#fail('BARE_LF', 'a chunk extension ends with LF without CR')
      return this.#fail('INVALID_CHUNK_EXTENSION', 'the chunk extension is malformed')
    }
    this.#examined += i - extensionStart
    this.#pos = i
    this.#chunkState = state
    return this.#addExtensionBytes(extensionCount)
  }

  #addExtensionBytes(count: number): ParserEvent | null {
    this.#extensionBytes += count
    if (this.#extensionBytes > this.#limits.maxChunkExtensionsSize) {
      return this.#fail('CHUNK_EXTENSIONS_TOO_LARGE', 'chunk extensions are larger than the configured limit')
    }
    return null
  }

  #chunkSizeDone(i: number, extensionCount: number): ParserEvent | null {
    this.#examined += i - this.#pos
    this.#pos = i
    const tooMany = this.#addExtensionBytes(extensionCount)
    if (tooMany !== null) return tooMany
    const size = this.#chunkSize
    if (size === 0) {
      // RFC 9112 §7.1.2: last-chunk, then the trailer section and a final CRLF.
      this.#state = S_TRAILERS
      this.#fields = NO_FIELDS
      this.#sectionBytes = 0
      return null
    }
    if (this.#bodyBytes + size > this.#limits.maxBodySize) {
      return this.#fail('BODY_TOO_LARGE', 'the chunked body is larger than the configured limit')
    }
    this.#bodyBytes += size
    this.#remaining = size
    this.#state = S_CHUNK_DATA
    return null
  }
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39
}

/**
 * Node's latin1 decoder maps each byte to the code point of the same value, which keeps obs-text
 * bytes intact; TextDecoder('latin1') would apply windows-1252 instead.
 */
const latin1Slice = (
  Buffer.prototype as unknown as { latin1Slice: (this: Uint8Array, start: number, end: number) => string }
).latin1Slice

function latin1(buf: Uint8Array, start: number, end: number): string {
  return latin1Slice.call(buf, start, end)
}

function indexOfByteIn(buf: Uint8Array, byte: number, start: number, end: number): number {
  const i = buf.indexOf(byte, start)
  return i !== -1 && i < end ? i : -1
}

function lastIndexOfByte(buf: Uint8Array, byte: number, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) if (buf[i] === byte) return i
  return -1
}

/**
 * Recognises the fields the parser acts on. The usual spelling of the two that nearly every
 * request has is one string comparison; otherwise by length first, so most names cost one
 * byte comparison, then case-insensitively.
 */
function fieldId(name: string, buf: Uint8Array, start: number, end: number): number {
  if (name === 'Host') return F_HOST
  if (name === 'Connection') return F_CONNECTION
  switch (end - start) {
    case 4:
      return equalsLower(buf, start, end, L_HOST) ? F_HOST : F_OTHER
    case 6:
      return equalsLower(buf, start, end, L_EXPECT) ? F_EXPECT : F_OTHER
    case 7:
      return equalsLower(buf, start, end, L_UPGRADE) ? F_UPGRADE : F_OTHER
    case 10:
      return equalsLower(buf, start, end, L_CONNECTION) ? F_CONNECTION : F_OTHER
    case 14:
      return equalsLower(buf, start, end, L_CONTENT_LENGTH) ? F_CONTENT_LENGTH : F_OTHER
    case 17:
      return equalsLower(buf, start, end, L_TRANSFER_ENCODING) ? F_TRANSFER_ENCODING : F_OTHER
    default:
      return F_OTHER
  }
}

/**
 * RFC 9110 §9.1: the method token is case-sensitive. The common methods are returned as the
 * literal strings, so no string is made for them and comparing them downstream is cheap.
 */
function knownMethod(buf: Uint8Array, start: number, end: number): string | null {
  const b = buf[start]
  switch (end - start) {
    case 3:
      if (b === 0x47 && buf[start + 1] === 0x45 && buf[start + 2] === 0x54) return 'GET'
      if (b === 0x50 && buf[start + 1] === 0x55 && buf[start + 2] === 0x54) return 'PUT'
      return null
    case 4:
      if (equalsBytes(buf, start, L_POST)) return 'POST'
      if (equalsBytes(buf, start, L_HEAD)) return 'HEAD'
      return null
    case 5:
      return equalsBytes(buf, start, L_PATCH) ? 'PATCH' : null
    case 6:
      return equalsBytes(buf, start, L_DELETE) ? 'DELETE' : null
    case 7:
      return equalsBytes(buf, start, L_OPTIONS) ? 'OPTIONS' : null
    default:
      return null
  }
}

/** buf[start, start + literal.length) is exactly the literal's bytes. */
function equalsBytes(buf: Uint8Array, start: number, literal: Uint8Array): boolean {
  for (let k = 0; k < literal.length; k++) if (buf[start + k] !== literal[k]) return false
  return true
}

const L_POST = asciiBytes('POST')
const L_HEAD = asciiBytes('HEAD')
const L_PATCH = asciiBytes('PATCH')
const L_DELETE = asciiBytes('DELETE')
const L_OPTIONS = asciiBytes('OPTIONS')

function framingMessage(code: ParseErrorCode): string {
  switch (code) {
    case 'CONTENT_LENGTH_WITH_TRANSFER_ENCODING':
      return 'Content-Length and Transfer-Encoding together'
    case 'TRANSFER_ENCODING_IN_HTTP10':
      return 'Transfer-Encoding in an HTTP/1.0 request'
    case 'CHUNKED_NOT_FINAL':
      return 'chunked is not the final transfer coding'
    case 'UNSUPPORTED_TRANSFER_CODING':
      return 'a transfer coding other than chunked is not supported'
    default:
      return 'Transfer-Encoding is invalid'
  }
}
