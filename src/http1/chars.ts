/**
 * Byte classification tables, built once. The parser looks bytes up here instead of using
 * regular expressions, so every byte costs one array read.
 */

function table(accept: (byte: number) => boolean): Uint8Array {
  const t = new Uint8Array(256)
  for (let b = 0; b < 256; b++) t[b] = accept(b) ? 1 : 0
  return t
}

const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39
const isAlpha = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
const oneOf = (chars: string) => {
  const set = new Set([...chars].map((c) => c.charCodeAt(0)))
  return (b: number): boolean => set.has(b)
}

/** RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
export const TCHAR = table((b) => isDigit(b) || isAlpha(b) || oneOf("!#$%&'*+-.^_`|~")(b))

/**
 * RFC 9110 §5.5: field-value = *field-content; field-vchar = VCHAR / obs-text, plus SP and HTAB
 * inside. NUL, CR, LF and DEL (and every other CTL) are excluded.
 */
export const FIELD_VALUE_CHAR = table(
  (b) => (b >= 0x21 && b <= 0x7e) || b >= 0x80 || b === 0x20 || b === 0x09,
)

/** RFC 9110 §5.6.3: OWS = *( SP / HTAB ) */
export const OWS = table((b) => b === 0x20 || b === 0x09)

/** RFC 9110 §5.6.4: qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text */
export const QDTEXT = table(
  (b) =>
    b === 0x09 ||
    b === 0x20 ||
    b === 0x21 ||
    (b >= 0x23 && b <= 0x5b) ||
    (b >= 0x5d && b <= 0x7e) ||
    b >= 0x80,
)

/** RFC 9110 §5.6.4: quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) */
export const QUOTED_PAIR_CHAR = table(
  (b) => b === 0x09 || b === 0x20 || (b >= 0x21 && b <= 0x7e) || b >= 0x80,
)

/** Hex digit value, or 0xff for a byte that is not HEXDIG (RFC 5234 §B.1, case-insensitive). */
export const HEX_VALUE = (() => {
  const t = new Uint8Array(256).fill(0xff)
  for (let i = 0; i < 10; i++) t[0x30 + i] = i
  for (let i = 0; i < 6; i++) {
    t[0x41 + i] = 10 + i
    t[0x61 + i] = 10 + i
  }
  return t
})()

/**
 * RFC 3986 §2, §3.3, §3.4 as used by RFC 9112 §3.2: the bytes a request-target may contain:
 * unreserved, sub-delims, ":" "@" "/" "?", plus "[" "]" for IP-literals in absolute-form and
 * authority-form. "%" is left out: it starts a pct-encoded triple, which the scanner checks on
 * its own. "#" is excluded: a fragment is never sent (RFC 9110 §4.2.4).
 */
export const TARGET_CHAR = table((b) => isDigit(b) || isAlpha(b) || oneOf("-._~!$&'()*+,;=:@/?[]")(b))

/** RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
export const SCHEME_CHAR = table((b) => isDigit(b) || isAlpha(b) || oneOf('+-.')(b))

/** RFC 3986 §3.2.2: reg-name = *( unreserved / pct-encoded / sub-delims ), plus the IP-literal brackets and ":" port. */
export const HOST_CHAR = table((b) => isDigit(b) || isAlpha(b) || oneOf("-._~!$&'()*+,;=%:[]")(b))

/** RFC 3986 §3.2.2: the reg-name bytes that need no further look (unreserved and sub-delims). */
export const REG_NAME_CHAR = table((b) => isDigit(b) || isAlpha(b) || oneOf("-._~!$&'()*+,;=")(b))

/** An ASCII literal as bytes, to compare with received bytes without making strings of them. */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0))
}

export const IS_DIGIT = table(isDigit)
export const IS_ALPHA = table(isAlpha)

/** ASCII lower-casing for case-insensitive comparisons of names and tokens (RFC 9110 §5.1). */
export const LOWER = (() => {
  const t = new Uint8Array(256)
  for (let b = 0; b < 256; b++) t[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b
  return t
})()

export const CR = 0x0d
export const LF = 0x0a
export const SP = 0x20
export const HTAB = 0x09
export const COLON = 0x3a
export const SEMICOLON = 0x3b
export const EQUALS = 0x3d
export const DQUOTE = 0x22
export const BACKSLASH = 0x5c
export const PERCENT = 0x25
export const SLASH = 0x2f
export const ASTERISK = 0x2a
