/**
 * Readers for the field values that decide framing and connection handling. Each works on the
 * raw bytes of one already-validated field value and never allocates on the common path.
 */
import {
  asciiBytes,
  HEX_VALUE,
  HOST_CHAR,
  IS_DIGIT,
  LOWER,
  OWS,
  REG_NAME_CHAR,
  SEMICOLON,
  TCHAR,
} from './chars.ts'

/** Returned by the readers when the value does not follow its grammar. */
export const INVALID = -1

const COMMA = 0x2c
const DQUOTE = 0x22
const BACKSLASH = 0x5c
const EQUALS = 0x3d
const LBRACKET = 0x5b
const RBRACKET = 0x5d
const COLON = 0x3a

/**
 * RFC 9110 §8.6: Content-Length = 1*DIGIT. A recipient may accept a list of identical values
 * ("5, 5") as one value; anything else, including "+1", "0x10", "1.0", an empty value or a
 * value past 2^53-1, is invalid. Returns the length, or INVALID. Leading zeros are digits.
 */
export function readContentLength(buf: Uint8Array, start: number, end: number): number {
  let value = INVALID
  let i = start
  for (;;) {
    while (i < end && OWS[buf[i]!] === 1) i++
    const digitsStart = i
    let n = 0
    while (i < end && IS_DIGIT[buf[i]!] === 1) {
      const digit = buf[i]! - 0x30
      if (n > (Number.MAX_SAFE_INTEGER - digit) / 10) return INVALID
      n = n * 10 + digit
      i++
    }
    if (i === digitsStart) return INVALID
    if (value !== INVALID && value !== n) return INVALID
    value = n
    while (i < end && OWS[buf[i]!] === 1) i++
    if (i === end) return value
    if (buf[i] !== COMMA) return INVALID
    i++
  }
}

/**
 * RFC 9112 §6.1: Transfer-Encoding = #transfer-coding; transfer-coding = token *( OWS ";" OWS
 * transfer-parameter ); transfer-parameter = token BWS "=" BWS ( token / quoted-string ).
 * Appends each coding name, lower-cased, to `codings`. Empty list elements are skipped, as
 * RFC 9110 §5.6.1 requires of a recipient. Returns false when the value breaks the grammar.
 */
export function readTransferCodings(buf: Uint8Array, start: number, end: number, codings: string[]): boolean {
  let i = start
  while (i < end) {
    while (i < end && (OWS[buf[i]!] === 1 || buf[i] === COMMA)) i++
    if (i === end) break
    const nameStart = i
    let name = ''
    while (i < end && TCHAR[buf[i]!] === 1) {
      name += String.fromCharCode(LOWER[buf[i]!]!)
      i++
    }
    if (i === nameStart) return false
    codings.push(name)
    i = skipParameters(buf, i, end)
    if (i === INVALID) return false
    while (i < end && OWS[buf[i]!] === 1) i++
    if (i < end && buf[i] !== COMMA) return false
  }
  return true
}

/** Skips `*( OWS ";" OWS token BWS "=" BWS ( token / quoted-string ) )`; returns the next index or INVALID. */
function skipParameters(buf: Uint8Array, i: number, end: number): number {
  for (;;) {
    let j = i
    while (j < end && OWS[buf[j]!] === 1) j++
    if (j === end || buf[j] !== SEMICOLON) return i
    j++
    while (j < end && OWS[buf[j]!] === 1) j++
    const nameStart = j
    while (j < end && TCHAR[buf[j]!] === 1) j++
    if (j === nameStart) return INVALID
    while (j < end && OWS[buf[j]!] === 1) j++
    if (j === end || buf[j] !== EQUALS) return INVALID
    j++
    while (j < end && OWS[buf[j]!] === 1) j++
    j = skipTokenOrQuotedString(buf, j, end)
    if (j === INVALID) return INVALID
    i = j
  }
}

function skipTokenOrQuotedString(buf: Uint8Array, j: number, end: number): number {
  if (j < end && buf[j] === DQUOTE) {
    j++
    while (j < end) {
      const b = buf[j]!
      if (b === DQUOTE) return j + 1
      j += b === BACKSLASH ? 2 : 1
    }
    return INVALID
  }
  const start = j
  while (j < end && TCHAR[buf[j]!] === 1) j++
  return j === start ? INVALID : j
}

/**
 * Case-insensitive comparison of buf[start, end) with a lower-case literal, given as asciiBytes():
 * charCodeAt on a string literal in this loop cost more than the rest of it (measured).
 */
export function equalsLower(buf: Uint8Array, start: number, end: number, lower: Uint8Array): boolean {
  const length = lower.length
  if (end - start !== length) return false
  for (let k = 0; k < length; k++) {
    if (LOWER[buf[start + k]!] !== lower[k]) return false
  }
  return true
}

/**
 * RFC 9110 §7.6.1: Connection = #connection-option. Reports the options that matter to
 * HTTP/1.1 persistence and upgrades as bit flags.
 */
export const CONNECTION_CLOSE = 1
export const CONNECTION_KEEP_ALIVE = 2
export const CONNECTION_UPGRADE = 4

const CLOSE = asciiBytes('close')
const KEEP_ALIVE = asciiBytes('keep-alive')
const UPGRADE = asciiBytes('upgrade')

export function readConnectionOptions(buf: Uint8Array, start: number, end: number): number {
  let flags = 0
  let i = start
  while (i < end) {
    // Each list element, trimmed of OWS, is compared whole: "! keep-alive" is not "keep-alive".
    while (i < end && (OWS[buf[i]!] === 1 || buf[i] === COMMA)) i++
    const elementStart = i
    while (i < end && buf[i] !== COMMA) i++
    let elementEnd = i
    while (elementEnd > elementStart && OWS[buf[elementEnd - 1]!] === 1) elementEnd--
    if (equalsLower(buf, elementStart, elementEnd, CLOSE)) flags |= CONNECTION_CLOSE
    else if (equalsLower(buf, elementStart, elementEnd, KEEP_ALIVE)) flags |= CONNECTION_KEEP_ALIVE
    else if (equalsLower(buf, elementStart, elementEnd, UPGRADE)) flags |= CONNECTION_UPGRADE
  }
  return flags
}

/**
 * RFC 9110 §7.2, RFC 9112 §3.2: Host = uri-host [ ":" port ], where uri-host is an IP-literal
 * in brackets, an IPv4 address or a reg-name (unreserved / pct-encoded / sub-delims). An empty
 * value is valid: it is what a client sends when the target has no authority.
 */
export function isValidHost(buf: Uint8Array, start: number, end: number): boolean {
  let i = start
  if (i < end && buf[i] === LBRACKET) {
    i++
    while (i < end && buf[i] !== RBRACKET) {
      const b = buf[i]!
      if (HOST_CHAR[b] !== 1 || b === LBRACKET) return false
      i++
    }
    if (i === end) return false
    i++
  } else {
    const regName = REG_NAME_CHAR
    while (i < end) {
      // Most bytes are plain reg-name characters; the rest are decided one by one below.
      while (i < end && regName[buf[i]!] === 1) i++
      if (i === end || buf[i] === COLON) break
      const b = buf[i]!
      if (HOST_CHAR[b] !== 1 || b === LBRACKET || b === RBRACKET) return false
      if (
        b === 0x25 &&
        !(i + 2 < end && HEX_VALUE[buf[i + 1]!] !== 0xff && HEX_VALUE[buf[i + 2]!] !== 0xff)
      ) {
        return false
      }
      i++
    }
  }
  if (i === end) return true
  if (buf[i] !== COLON) return false
  for (i++; i < end; i++) if (IS_DIGIT[buf[i]!] !== 1) return false
  return true
}
