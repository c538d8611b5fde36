/** Tokens, methods and versions: RFC 9110 §5.6.2, §9.1; RFC 9112 §2.3. */
import fc from 'fast-check'
import { DIGIT, stringOf, TCHAR } from './chars.ts'

/** RFC 9110 §5.6.2: token = 1*tchar */
export const token = (maxLength = 16): fc.Arbitrary<string> => stringOf(TCHAR, 1, maxLength)

/** The registered methods every parser knows (RFC 9110 §9.3, RFC 5789). */
export const COMMON_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE'] as const

/**
 * RFC 9110 §9.1: method = token. Mostly the common ones, sometimes an extension method (which
 * RFC 9110 §16.1 allows and llhttp refuses unless it is on its fixed list).
 */
export const method: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...COMMON_METHODS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('PROPFIND', 'MKCOL', 'PURGE', 'SEARCH', 'REPORT', 'LINK', 'QUERY'),
  },
  { weight: 1, arbitrary: token(10) },
)

/**
 * RFC 9112 §2.3: HTTP-version = HTTP-name "/" DIGIT "." DIGIT; HTTP-name = %s"HTTP".
 * The versions a server accepts: 1.1 mostly, sometimes 1.0.
 */
export const acceptedVersion: fc.Arbitrary<'1.0' | '1.1'> = fc.constantFrom<'1.0' | '1.1'>(
  '1.1',
  '1.1',
  '1.1',
  '1.0',
)

/** Any well-formed HTTP-version string (DIGIT "." DIGIT), for near-miss requests. */
export const anyVersion: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...DIGIT), fc.constantFrom(...DIGIT))
  .map(function versionString([major, minor]) {
    return `HTTP/${major}.${minor}`
  })
