/**
 * Character sets of the HTTP grammar, as strings of single-byte (latin1) characters, and a
 * helper that turns one into a fast-check string arbitrary.
 */
import fc from 'fast-check'

const range = (from: number, to: number): string => {
  let s = ''
  for (let b = from; b <= to; b++) s += String.fromCharCode(b)
  return s
}

export const DIGIT = range(0x30, 0x39)
export const ALPHA = range(0x41, 0x5a) + range(0x61, 0x7a)
export const HEXDIG = `${DIGIT}ABCDEFabcdef`
/** RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
export const TCHAR = `!#$%&'*+-.^_\`|~${DIGIT}${ALPHA}`
/** RFC 5234 §B.1: VCHAR = %x21-7E */
export const VCHAR = range(0x21, 0x7e)
/** RFC 9110 §5.5: obs-text = %x80-FF */
export const OBS_TEXT = range(0x80, 0xff)
/** RFC 3986 §2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~" */
export const UNRESERVED = `${ALPHA}${DIGIT}-._~`
/** RFC 3986 §2.2: sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "=" */
export const SUB_DELIMS = "!$&'()*+,;="
/** RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@" (pct-encoded generated apart) */
export const PCHAR = `${UNRESERVED}${SUB_DELIMS}:@`
/** RFC 9110 §5.6.4: qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text */
export const QDTEXT = `\t !${range(0x23, 0x5b)}${range(0x5d, 0x7e)}${OBS_TEXT}`

/** A string of 1 to `max` characters drawn from `chars`. */
export function stringOf(chars: string, minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...chars), minLength, maxLength })
}
