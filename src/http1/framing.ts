import type { ParseErrorCode } from './errors.ts'
import type { BodyFraming } from './types.ts'

export const NO_BODY: BodyFraming = Object.freeze({ kind: 'none' })
export const CHUNKED: BodyFraming = Object.freeze({ kind: 'chunked' })

export interface FramingInput {
  readonly version: '1.0' | '1.1'
  /** The single agreed Content-Length, or -1 when the field is absent. Invalid values were rejected earlier. */
  readonly contentLength: number
  /** Transfer codings in order, lower-cased; null when no Transfer-Encoding field was present. */
  readonly transferCodings: readonly string[] | null
  readonly allowContentLengthWithTransferEncoding: boolean
}

/**
 * RFC 9112 §6.3, "Message Body Length", followed step by step for a request. Steps 1 and 2
 * concern responses only. Returns how the body is delimited, or the code of the error that the
 * server must answer with. Never picks one of two conflicting framings: that choice, made
 * differently by two servers in a chain, is what request smuggling exploits.
 */
export function decideRequestFraming(input: FramingInput): BodyFraming | ParseErrorCode {
  const codings = input.transferCodings

  if (codings !== null) {
    // §6.3 step 3: Transfer-Encoding with Content-Length is a likely smuggling attempt. The
    // server MAY reject it outright, and we always do, unless the unsafe leniency is named.
    if (input.contentLength !== -1 && !input.allowContentLengthWithTransferEncoding) {
      return 'CONTENT_LENGTH_WITH_TRANSFER_ENCODING'
    }
    // §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing, whatever else it says.
    if (input.version === '1.0') return 'TRANSFER_ENCODING_IN_HTTP10'
    // §6.1: Transfer-Encoding = #transfer-coding, so an empty list is not a valid value.
    if (codings.length === 0) return 'INVALID_TRANSFER_ENCODING'
    // §6.3 step 4: chunked must be the final coding of a request, or its length cannot be known (MUST 400).
    if (codings[codings.length - 1] !== 'chunked') return 'CHUNKED_NOT_FINAL'
    // §7: a sender MUST NOT apply chunked more than once, so a second one is a broken message.
    for (let k = 0; k < codings.length - 1; k++) {
      if (codings[k] === 'chunked') return 'INVALID_TRANSFER_ENCODING'
    }
    // §6.1: a coding we cannot decode; the server SHOULD answer 501 (Not Implemented).
    if (codings.length > 1) return 'UNSUPPORTED_TRANSFER_CODING'
    return CHUNKED
  }

  // §6.3 steps 5 and 6: a valid Content-Length gives the length; invalid values never get here.
  if (input.contentLength > 0) return { kind: 'length', length: input.contentLength }

  // §6.3 step 7: a request with neither field has no body.
  return NO_BODY
}
