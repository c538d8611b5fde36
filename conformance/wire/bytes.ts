/** Byte helpers shared by the catalog, the clients and the reporters. */

/** Latin-1 text to bytes, one byte per char code, so cases can spell any byte as `\xNN`. */
export function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff
  return out
}

export function toLatin1(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 4096)))
  }
  return s
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/**
 * Printable form of raw bytes for failure messages: CR, LF, TAB as \r \n \t, other control and
 * non-ASCII bytes as \xNN, long runs of one byte shortened so a 20 KiB header stays readable.
 */
export function escapeBytes(bytes: Uint8Array, max = 600): string {
  let out = ''
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    let run = 1
    while (i + run < bytes.length && bytes[i + run] === b) run++
    const one = escapeByte(b)
    if (run > 12) {
      out += `${one}{×${run}}`
      i += run
    } else {
      out += one
      i++
    }
    if (out.length > max) return `${out.slice(0, max)}… (${bytes.length} bytes)`
  }
  return out
}

function escapeByte(b: number): string {
  if (b === 0x0d) return '\\r'
  if (b === 0x0a) return '\\n'
  if (b === 0x09) return '\\t'
  if (b === 0x5c) return '\\\\'
  if (b < 0x20 || b >= 0x7f) return `\\x${b.toString(16).padStart(2, '0')}`
  return String.fromCharCode(b)
}
