import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { equalsIgnoreCase } from './names.ts'

describe('RFC 9110 §5.1: equalsIgnoreCase', () => {
  it('matches any ASCII case of the literal, and nothing else', () => {
    for (const name of ['content-type', 'Content-Type', 'CONTENT-TYPE', 'cOnTeNt-TyPe']) {
      expect(equalsIgnoreCase(name, 'content-type')).toBe(true)
    }
    for (const name of [
      'content-typ',
      'content-types',
      'content_type',
      'content-type ',
      'contenT-tipe',
      '',
    ]) {
      expect(equalsIgnoreCase(name, 'content-type')).toBe(false)
    }
  })

  it('folds ASCII letters only: characters that lower-case outside ASCII do not match', () => {
    // U+212A KELVIN SIGN lower-cases to "k" with toLowerCase(); a field name is ASCII, so it must not match.
    expect('\u212aeep-alive'.toLowerCase()).toBe('keep-alive')
    expect(equalsIgnoreCase('\u212aeep-alive', 'keep-alive')).toBe(false)
    // "@" and "[" sit next to the letters: no folding may reach them.
    expect(equalsIgnoreCase('@', '`')).toBe(false)
    expect(equalsIgnoreCase('[', '{')).toBe(false)
  })

  it('agrees with toLowerCase() on ASCII strings (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary-ascii', maxLength: 12 }),
        fc.constantFrom('date', 'connection', 'content-type'),
        (name, lower) => {
          expect(equalsIgnoreCase(name, lower)).toBe(name.toLowerCase() === lower)
        },
      ),
      { seed: 20261125, numRuns: 2000 },
    )
  })
})
