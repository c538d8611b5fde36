/**
 * The lines of a request head (or trailer section), recognised one byte at a time.
 *
 * RFC 9112 §2.2: HTTP-message = start-line CRLF *( field-line CRLF ) CRLF
 *
 * One pass over each byte both finds the end of the line and checks its grammar, and the pass
 * can stop at the end of any chunk and resume with the next: its position inside the line is
 * kept as a phase plus offsets counted from the start of the line. So each byte is examined
 * once, the first invalid byte in stream order decides the error however the input was split,
 * and a line that spans chunks is copied once into a carry buffer bounded by the head limit.
 */
import { CR, FIELD_VALUE_CHAR, HEX_VALUE, HTAB, LF, SP, TARGET_CHAR, TCHAR } from './chars.ts'
import type { ParseErrorCode } from './errors.ts'

/** What the last complete line was. */
export const LINE_EMPTY = 0
export const LINE_REQUEST = 1
export const LINE_FIELD = 2
/** A line starting with SP or HTAB after a field: obs-fold (RFC 9112 §5.2), only with the leniency. */
export const LINE_FOLD = 3

/** Outcome of a scan() call. */
export const SCAN_DONE = 0
export const SCAN_MORE = 1
export const SCAN_ERROR = 2

// Where the scanner is inside the current line.
const P_START = 0
const P_METHOD = 1
const P_TARGET = 2
const P_PCT1 = 3
const P_PCT2 = 4
const P_VERSION = 5
const P_NAME = 6
const P_OWS = 7
const P_VALUE = 8
const P_FOLD = 9
const P_LF = 10
/** A CR where the grammar wanted something else: BARE_CR unless LF follows, then the grammar error. */
const P_CR_THEN_ERROR = 11

/** Shared by every idle scanner: an idle connection should cost no buffer of its own. */
const NO_BYTES = new Uint8Array(0)
const NO_WORDS = new Int32Array(0)
/** Below this many bytes a chunk's field values are checked a byte at a time. */
const WORDS_MIN_CHUNK = 128
const PERCENT = 0x25
const COLON = 0x3a
/** RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT; 0 marks the digit positions. */
const VERSION_PATTERN = [0x48, 0x54, 0x54, 0x50, 0x2f, 0, 0x2e, 0]

export interface LineContext {
  /** The next non-empty line is the request-line (false inside a trailer section). */
  readonly expectRequestLine: boolean
  /** A field line was already read in this section: a leading SP/HTAB is then obs-fold. */
  readonly afterField: boolean
  readonly allowBareLf: boolean
  readonly allowObsFold: boolean
  readonly maxTargetLength: number
}

export class HeadLineScanner {
  bytesExamined = 0

  // The last line, once SCAN_DONE: its bytes are lineArr[lineBase, lineBase + contentLength).
  kind = LINE_EMPTY
  lineArr: Uint8Array = NO_BYTES
  lineBase = 0
  /** Length of the line's content, without its line ending. */
  contentLength = 0
  /** Bytes of the line including its line ending (what counts toward the head limit). */
  lineLength = 0
  // Offsets from the start of the line.
  methodEnd = 0
  targetStart = 0
  targetEnd = 0
  versionMajor = 0
  versionMinor = 0
  nameEnd = 0
  valueStart = 0
  /** End of the value before trailing OWS is trimmed (the caller trims). */
  valueEnd = 0

  errorCode: ParseErrorCode = 'INVALID_REQUEST_LINE'
  errorMessage = ''

  #phase = P_START
  #pendingCode: ParseErrorCode = 'INVALID_REQUEST_LINE'
  #pendingMessage = ''
  /** Bytes of the current line scanned so far. */
  #length = 0
  #versionIndex = 0
  #carry: Uint8Array = NO_BYTES
  /** An Int32Array over the memory of the chunk being scanned, for #skipPlainWords. */
  #words: Int32Array = NO_WORDS
  #wordsSource: ArrayBufferLike | null = null
  /**
   * The chunk #wordsOffset belongs to. A typed array's `buffer` and `byteOffset` are accessor
   * calls V8 does not inline: read once per chunk, they cost nothing; once per line, they cost
   * more than the word loop saves (measured).
   */
  #wordsChunk: Uint8Array = NO_BYTES
  #wordsOffset = 0
  #carryLength = 0
  #inCarry = false

  /**
   * Scans buf[pos, end) for the rest of the current line, where `room` is how many more bytes the
   * line may take. Returns the new position; `status` tells whether the line is done (see the
   * fields), needs more bytes (they were copied aside), or broke the grammar (errorCode).
   */
  status = SCAN_MORE

  scan(buf: Uint8Array, pos: number, room: number, ctx: LineContext): number {
    const limitHit = buf.length - pos > room - this.#length
    const end = limitHit ? pos + Math.max(0, room - this.#length) : buf.length
    // Line-relative offset of buf[i] is i + delta.
    const delta = this.#length - pos
    let i = pos
    let phase = this.#phase
    // Local aliases: module bindings are re-checked on every read in a hot loop; locals are not.
    const tchar = TCHAR
    const fieldValueChar = FIELD_VALUE_CHAR
    const targetChar = TARGET_CHAR
    scan: while (i < end) {
      switch (phase) {
        case P_START: {
          const b = buf[i]!
          if (b === CR) {
            this.kind = LINE_EMPTY
            phase = P_LF
            i++
          } else if (b === LF) {
            return this.#bareLfOrEnd(buf, i, delta, ctx, LINE_EMPTY)
          } else if (ctx.expectRequestLine) {
            this.kind = LINE_REQUEST
            // As for field lines: a whole, well-formed line in one pass; else the phases.
            const next = this.#wholeRequestLine(buf, i, end, delta, ctx.maxTargetLength)
            if (next !== -1) return this.#complete(buf, next, delta, 2)
            phase = P_METHOD
          } else if (b === SP || b === HTAB) {
            // RFC 9112 §2.2: whitespace before the first field line; §5.2: obs-fold after one.
            if (!ctx.afterField)
              return this.#error(
                i,
                'LEADING_WHITESPACE',
                'whitespace between the start line and the first field',
              )
            if (!ctx.allowObsFold)
              return this.#error(i, 'OBS_FOLD', 'obsolete line folding (obs-fold) is not accepted')
            this.kind = LINE_FOLD
            this.valueStart = i + delta
            phase = P_FOLD
          } else {
            this.kind = LINE_FIELD
            // The common case: the whole line is here and well-formed. One straight pass, no
            // phase changes; anything unusual falls back to the byte-by-byte phases below.
            const next = this.#wholeFieldLine(buf, i, end, delta)
            if (next !== -1) return this.#complete(buf, next, delta, 2)
            phase = P_NAME
          }
          continue
        }
        // RFC 9112 §3: request-line = method SP request-target SP HTTP-version; method = token
        case P_METHOD: {
          while (i < end && tchar[buf[i]!] === 1) i++
          if (i === end) break scan
          if (buf[i] !== SP || i + delta === 0) {
            if (buf[i] === CR) {
              phase = this.#crThenError('INVALID_METHOD', 'the method is not a token followed by one SP')
              i++
              continue
            }
            return this.#lineError(
              buf,
              i,
              'INVALID_METHOD',
              'the method is not a token followed by one SP',
              ctx,
            )
          }
          this.methodEnd = i + delta
          this.targetStart = i + 1 + delta
          phase = P_TARGET
          i++
          continue
        }
        // RFC 9112 §3.2: the request-target, limited to the characters RFC 3986 allows.
        case P_TARGET: {
          while (i < end && targetChar[buf[i]!] === 1) i++
          if (i + delta - this.targetStart > ctx.maxTargetLength) {
            return this.#error(i, 'TARGET_TOO_LONG', 'the request-target is longer than the configured limit')
          }
          if (i === end) break scan
          const b = buf[i]!
          if (b === PERCENT) {
            phase = P_PCT1
            i++
            continue
          }
          if (b !== SP) {
            // "GET /" then CRLF is the HTTP/0.9 form, which we do not serve.
            if (b === CR) {
              phase = this.#crThenError('INVALID_REQUEST_LINE', 'the request line has no HTTP-version')
              i++
              continue
            }
            return this.#lineError(
              buf,
              i,
              'INVALID_TARGET',
              'the request-target contains a character RFC 3986 does not allow',
              ctx,
            )
          }
          this.targetEnd = i + delta
          if (this.targetEnd === this.targetStart) {
            return this.#error(
              i,
              'INVALID_REQUEST_LINE',
              'the request-target is empty or preceded by more than one SP',
            )
          }
          this.#versionIndex = 0
          phase = P_VERSION
          i++
          continue
        }
        // RFC 3986 §2.1: pct-encoded = "%" HEXDIG HEXDIG
        case P_PCT1:
        case P_PCT2: {
          if (HEX_VALUE[buf[i]!] === 0xff) {
            return this.#error(
              i,
              'INVALID_TARGET',
              'a "%" in the request-target is not followed by two hex digits',
            )
          }
          phase = phase === P_PCT1 ? P_PCT2 : P_TARGET
          i++
          continue
        }
        // RFC 9112 §2.3: HTTP-version = HTTP-name "/" DIGIT "." DIGIT; HTTP-name = %s"HTTP"
        case P_VERSION: {
          const b = buf[i]!
          const k = this.#versionIndex
          if (k === 8) {
            if (b === LF && ctx.allowBareLf) return this.#bareLfOrEnd(buf, i, delta, ctx, LINE_REQUEST)
            if (b !== CR)
              return this.#lineError(buf, i, 'INVALID_VERSION', 'the HTTP-version is malformed', ctx)
            phase = P_LF
            i++
            continue
          }
          const expected = VERSION_PATTERN[k]!
          if (expected === 0 ? b < 0x30 || b > 0x39 : b !== expected) {
            if (b === CR) {
              phase = this.#crThenError('INVALID_VERSION', 'the HTTP-version is malformed')
              i++
              continue
            }
            return this.#lineError(buf, i, 'INVALID_VERSION', 'the HTTP-version is malformed', ctx)
          }
          if (k === 5) this.versionMajor = b - 0x30
          else if (k === 7) this.versionMinor = b - 0x30
          this.#versionIndex = k + 1
          i++
          continue
        }
        // RFC 9110 §5.1: field-name = token; RFC 9112 §5.1: no whitespace before the colon.
        case P_NAME: {
          while (i < end && tchar[buf[i]!] === 1) i++
          if (i === end) break scan
          const b = buf[i]!
          if (b !== COLON) {
            if (b === SP || b === HTAB) {
              return this.#error(i, 'INVALID_HEADER_NAME', 'whitespace between the field name and the colon')
            }
            if (b === CR) {
              phase = this.#crThenError(
                'INVALID_HEADER_NAME',
                'the field name is not a token followed by a colon',
              )
              i++
              continue
            }
            return this.#lineError(
              buf,
              i,
              'INVALID_HEADER_NAME',
              'the field name is not a token followed by a colon',
              ctx,
            )
          }
          if (i + delta === 0) return this.#error(i, 'INVALID_HEADER_NAME', 'the field name is empty')
          this.nameEnd = i + delta
          phase = P_OWS
          i++
          continue
        }
        // RFC 9112 §5: field-line = field-name ":" OWS field-value OWS
        case P_OWS: {
          while (i < end && (buf[i] === SP || buf[i] === HTAB)) i++
          if (i === end) break scan
          this.valueStart = i + delta
          phase = P_VALUE
          continue
        }
        // RFC 9110 §5.5: field-value = *field-content, field-vchar = VCHAR / obs-text, with SP and HTAB inside.
        case P_VALUE:
        case P_FOLD: {
          while (i < end && fieldValueChar[buf[i]!] === 1) i++
          if (i === end) break scan
          const b = buf[i]!
          if (b === CR) {
            this.valueEnd = i + delta
            phase = P_LF
            i++
            continue
          }
          if (b === LF) {
            this.valueEnd = i + delta
            return this.#bareLfOrEnd(buf, i, delta, ctx, this.kind)
          }
          return this.#error(i, 'INVALID_HEADER_VALUE', 'the field value contains a control character')
        }
        case P_CR_THEN_ERROR: {
          if (buf[i] === LF) return this.#error(i, this.#pendingCode, this.#pendingMessage)
          return this.#error(i, 'BARE_CR', 'CR not followed by LF')
        }
        // RFC 9112 §2.2: a CR must be followed by LF.
        case P_LF: {
          if (buf[i] !== LF) return this.#error(i, 'BARE_CR', 'CR not followed by LF')
          return this.#complete(buf, i + 1, delta, 2)
        }
      }
    }
    this.bytesExamined += i - pos
    this.#phase = phase
    if (limitHit) {
      this.#save(buf, pos, i)
      this.status = SCAN_ERROR
      this.errorCode = 'HEADERS_TOO_LARGE'
      this.errorMessage = 'the request head is larger than the configured limit'
      return i
    }
    this.#save(buf, pos, i)
    this.status = SCAN_MORE
    return i
  }

  /**
   * RFC 9112 §3: request-line = method SP request-target SP HTTP-version, then CRLF, all within
   * buf[start, end) and the target within its limit. Returns the index after the LF, or -1 when
   * the line is incomplete or irregular; the bytes it looked at are then counted, since the
   * phases look at them again and decide which error it is.
   */
  #wholeRequestLine(buf: Uint8Array, start: number, end: number, delta: number, maxTarget: number): number {
    const tchar = TCHAR
    const targetChar = TARGET_CHAR
    let i = start
    while (i < end && tchar[buf[i]!] === 1) i++
    if (i === start || i >= end || buf[i] !== SP) return this.#notWhole(start, i)
    const methodEnd = i
    i++
    const targetStart = i
    for (;;) {
      while (i < end && targetChar[buf[i]!] === 1) i++
      // RFC 3986 §2.1: pct-encoded = "%" HEXDIG HEXDIG
      if (
        i + 2 < end &&
        buf[i] === PERCENT &&
        HEX_VALUE[buf[i + 1]!] !== 0xff &&
        HEX_VALUE[buf[i + 2]!] !== 0xff
      ) {
        i += 3
        continue
      }
      break
    }
    const targetEnd = i
    // RFC 9112 §2.3: SP "HTTP/" DIGIT "." DIGIT, then CRLF: eleven bytes.
    if (targetEnd === targetStart || targetEnd - targetStart > maxTarget || i + 11 > end)
      return this.#notWhole(start, i)
    const major = buf[i + 6]! - 0x30
    const minor = buf[i + 8]! - 0x30
    if (
      buf[i] !== SP ||
      buf[i + 1] !== 0x48 ||
      buf[i + 2] !== 0x54 ||
      buf[i + 3] !== 0x54 ||
      buf[i + 4] !== 0x50 ||
      buf[i + 5] !== 0x2f ||
      major < 0 ||
      major > 9 ||
      buf[i + 7] !== 0x2e ||
      minor < 0 ||
      minor > 9 ||
      buf[i + 9] !== CR ||
      buf[i + 10] !== LF
    ) {
      return this.#notWhole(start, i)
    }
    this.methodEnd = methodEnd + delta
    this.targetStart = targetStart + delta
    this.targetEnd = targetEnd + delta
    this.versionMajor = major
    this.versionMinor = minor
    return i + 11
  }

  /**
   * RFC 9112 §5: field-line = field-name ":" OWS field-value OWS, then CRLF, all within
   * buf[start, end). Returns the index after the LF, or -1 when the line is incomplete or
   * irregular; the bytes it looked at are counted, since the phases then look at them again.
   */
  #wholeFieldLine(buf: Uint8Array, start: number, end: number, delta: number): number {
    const tchar = TCHAR
    const fieldValueChar = FIELD_VALUE_CHAR
    let i = start
    while (i < end && tchar[buf[i]!] === 1) i++
    if (i === start || i >= end || buf[i] !== COLON) return this.#notWhole(start, i)
    const nameEnd = i
    i++
    while (i < end && (buf[i] === SP || buf[i] === HTAB)) i++
    const valueStart = i
    // Words first, even for short values (measured faster from 1 byte up, in chunks of 128 bytes
    // or more); bytes for the rest.
    i = this.#skipPlainWords(buf, i, end)
    while (i < end && fieldValueChar[buf[i]!] === 1) i++
    if (i + 1 >= end || buf[i] !== CR || buf[i + 1] !== LF) return this.#notWhole(start, i)
    this.nameEnd = nameEnd + delta
    this.valueStart = valueStart + delta
    this.valueEnd = i + delta
    return i + 2
  }

  /**
   * Skips whole 4-byte words of buf[i, end) in which every byte is a plain field-vchar or SP
   * (no control byte and no DEL, RFC 9110 §5.5), four bytes per step. It stops before the
   * first word that might hold anything else; the byte loop then decides that word exactly.
   */
  #skipPlainWords(buf: Uint8Array, i: number, end: number): number {
    if (buf !== this.#wordsChunk) {
      // A small chunk holds short values only: setting up a view would cost more than it saves.
      if (buf.length < WORDS_MIN_CHUNK) return i
      this.#viewWords(buf)
    }
    const offset = this.#wordsOffset
    // Words are read from the chunk's own memory, aligned; a partial first word is left to the byte loop.
    let at = offset + i
    const misaligned = at & 3
    if (misaligned !== 0) at += 4 - misaligned
    const stop = offset + end
    if (at + 4 > stop) return i
    const words = this.#words
    // Byte-wise loop up to the first aligned word, then word-wise.
    while (i < at - offset) {
      if (FIELD_VALUE_CHAR[buf[i]!] !== 1) return i
      i++
    }
    let w = at >> 2
    const lastWord = (stop >> 2) - 1
    for (; w <= lastWord; w++) {
      const x = words[w]!
      // SWAR: a byte below 0x20 sets its high bit in (x - 0x20..) & ~x; 0x7F (DEL) in the same
      // test on x ^ 0x7F7F7F7F against 0x01. Bytes >= 0x80 (obs-text) are allowed and never flag.
      const low = (x - 0x20202020) & ~x & 0x80808080
      const d = x ^ 0x7f7f7f7f
      const del = (d - 0x01010101) & ~d & 0x80808080
      if ((low | del) !== 0) break
    }
    return w * 4 - offset
  }

  #viewWords(buf: Uint8Array): void {
    const memory = buf.buffer
    this.#wordsChunk = buf
    this.#wordsOffset = buf.byteOffset
    if (memory !== this.#wordsSource) {
      this.#wordsSource = memory
      this.#words = new Int32Array(memory, 0, memory.byteLength >> 2)
    }
  }

  #notWhole(start: number, stoppedAt: number): number {
    this.bytesExamined += stoppedAt - start
    return -1
  }

  /** Drops references to chunk memory and the carry buffer, for a parser going idle. */
  releaseMemory(): void {
    this.#words = NO_WORDS
    this.#wordsSource = null
    this.#wordsChunk = NO_BYTES
    if (this.#length === 0) this.#carry = NO_BYTES
    this.lineArr = NO_BYTES
  }

  /** No byte of a line is pending. */
  get atLineStart(): boolean {
    return this.#phase === P_START && this.#length === 0
  }

  /** No byte of a line is pending, or only the CR of an empty line: nothing of a request has begun. */
  get betweenLines(): boolean {
    return (
      (this.#phase === P_START && this.#length === 0) || (this.#phase === P_LF && this.kind === LINE_EMPTY)
    )
  }

  /** Keeps buf[pos, i) of an unfinished line, so that the whole line is contiguous when it ends. */
  #save(buf: Uint8Array, pos: number, i: number): void {
    if (!this.#inCarry) {
      this.#carryLength = 0
      this.#inCarry = true
    }
    this.#append(buf, pos, i)
    this.#length += i - pos
  }

  #append(buf: Uint8Array, from: number, to: number): void {
    const needed = this.#carryLength + (to - from)
    if (needed > this.#carry.length) {
      let size = Math.max(256, this.#carry.length * 2)
      while (size < needed) size *= 2
      // A Buffer like the fed chunks, so the byte loops see one kind of array.
      const grown = Buffer.allocUnsafe(size)
      grown.set(this.#carry.subarray(0, this.#carryLength))
      this.#carry = grown
    }
    this.#carry.set(buf.subarray(from, to), this.#carryLength)
    this.#carryLength = needed
  }

  /** The line ended at buf[next - 1]; `ending` is the length of its line ending (2 for CRLF). */
  #complete(buf: Uint8Array, next: number, delta: number, ending: number): number {
    const lineLength = next + delta
    if (this.#inCarry) {
      this.#append(buf, this.#length - delta, next)
      this.lineArr = this.#carry
      this.lineBase = 0
    } else {
      this.lineArr = buf
      this.lineBase = next - lineLength
    }
    this.bytesExamined += lineLength - this.#length
    this.lineLength = lineLength
    this.contentLength = lineLength - ending
    this.#phase = P_START
    this.#length = 0
    this.#inCarry = false
    this.status = SCAN_DONE
    return next
  }

  /** A LF without CR at buf[i]: an error, unless the leniency lets it end the line. */
  #bareLfOrEnd(buf: Uint8Array, i: number, delta: number, ctx: LineContext, kind: number): number {
    if (!ctx.allowBareLf) return this.#error(i, 'BARE_LF', 'a line ends with LF without CR')
    this.kind = kind
    if (kind === LINE_EMPTY) this.valueEnd = 0
    return this.#complete(buf, i + 1, delta, 1)
  }

  #crThenError(code: ParseErrorCode, message: string): number {
    this.#pendingCode = code
    this.#pendingMessage = message
    return P_CR_THEN_ERROR
  }

  /** An unexpected byte: a LF there is a line-ending error (unless lenient), anything else `code`. */
  #lineError(buf: Uint8Array, i: number, code: ParseErrorCode, message: string, ctx: LineContext): number {
    if (buf[i] === LF && !ctx.allowBareLf) return this.#error(i, 'BARE_LF', 'a line ends with LF without CR')
    return this.#error(i, code, message)
  }

  #error(i: number, code: ParseErrorCode, message: string): number {
    this.status = SCAN_ERROR
    this.errorCode = code
    this.errorMessage = message
    this.#phase = P_START
    return i
  }
}
