/**
 * RFC 9110 §5.1: field names are case-insensitive. Comparing a name with a lower-case literal
 * without lower-casing it first, which would allocate a string for every field of every response.
 */
export function equalsIgnoreCase(name: string, lower: string): boolean {
  const length = lower.length
  if (name.length !== length) return false
  for (let i = 0; i < length; i++) {
    const c = name.charCodeAt(i)
    // ASCII upper-case letters fold to lower-case; every other code unit must match as it is.
    if ((c >= 0x41 && c <= 0x5a ? c + 0x20 : c) !== lower.charCodeAt(i)) return false
  }
  return true
}
