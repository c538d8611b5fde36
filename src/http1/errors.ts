/**
 * Every protocol error the parser can raise. The codes are stable: tests, the conformance
 * reports and the fuzzer's classification match on them, so renaming one is a breaking change.
 */
export const PARSE_ERROR_STATUS = {
  /** RFC 9112 §2.2: only CRLF ends a line; a bare LF or CR is rejected unless a leniency allows it. */
  BARE_LF: 400,
  BARE_CR: 400,
  /** RFC 9112 §3: request-line = method SP request-target SP HTTP-version. */
  INVALID_METHOD: 400,
  INVALID_REQUEST_LINE: 400,
  INVALID_TARGET: 400,
  INVALID_VERSION: 400,
  /** RFC 9110 §6.2: a well-formed version we do not implement. */
  UNSUPPORTED_VERSION: 505,
  /** RFC 9112 §3: a request-target longer than we are willing to parse. */
  TARGET_TOO_LONG: 414,
  /** RFC 9110 §5.1, RFC 9112 §5: field-name is a token, no whitespace before the colon. */
  INVALID_HEADER_NAME: 400,
  INVALID_HEADER_VALUE: 400,
  /** RFC 9112 §5.2: obs-fold is rejected (leniency allowObsFold replaces it with SP). */
  OBS_FOLD: 400,
  /** RFC 9112 §2.2: whitespace between the start-line and the first field line. */
  LEADING_WHITESPACE: 400,
  /** RFC 6585 §5: the head or the field count is over the limit. */
  HEADERS_TOO_LARGE: 431,
  TOO_MANY_HEADERS: 431,
  /** RFC 9112 §3.2: an HTTP/1.1 request needs exactly one valid Host. */
  MISSING_HOST: 400,
  DUPLICATE_HOST: 400,
  INVALID_HOST: 400,
  /** RFC 9112 §6.3, RFC 9110 §8.6: Content-Length and its conflicts. */
  INVALID_CONTENT_LENGTH: 400,
  CONFLICTING_CONTENT_LENGTH: 400,
  /** RFC 9112 §6.1, §6.3: Transfer-Encoding rules. */
  CONTENT_LENGTH_WITH_TRANSFER_ENCODING: 400,
  INVALID_TRANSFER_ENCODING: 400,
  CHUNKED_NOT_FINAL: 400,
  TRANSFER_ENCODING_IN_HTTP10: 400,
  UNSUPPORTED_TRANSFER_CODING: 501,
  /** RFC 9112 §7.1: chunked framing. */
  INVALID_CHUNK_SIZE: 400,
  INVALID_CHUNK_EXTENSION: 400,
  CHUNK_EXTENSIONS_TOO_LARGE: 413,
  INVALID_CHUNK_DATA_END: 400,
  /** RFC 9110 §15.5.14: the body is larger than the configured maximum. */
  BODY_TOO_LARGE: 413,
  /** The stream ended (EOF) in the middle of a message. */
  INCOMPLETE_MESSAGE: 400,
} as const

export type ParseErrorCode = keyof typeof PARSE_ERROR_STATUS
export type ParseErrorStatus = (typeof PARSE_ERROR_STATUS)[ParseErrorCode]

/** A protocol error: the request is rejected with `statusHint` and the connection is closed. */
export class ParseError extends Error {
  override readonly name = 'ParseError'
  readonly code: ParseErrorCode
  readonly statusHint: ParseErrorStatus
  /** Offset in the stream (bytes fed so far) where the problem was found, for diagnostics. */
  readonly offset: number

  constructor(code: ParseErrorCode, message: string, offset = -1) {
    super(message)
    this.code = code
    this.statusHint = PARSE_ERROR_STATUS[code]
    this.offset = offset
  }
}
