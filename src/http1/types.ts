import type { ParseError } from './errors.ts'

/** How the body of a request is delimited, decided once from the head (RFC 9112 §6.3). */
export type BodyFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }

/** RFC 9112 §3.2: the four forms of request-target. */
export type TargetForm = 'origin' | 'absolute' | 'authority' | 'asterisk'

export interface RequestHead {
  readonly method: string
  /** The request-target exactly as received. */
  readonly target: string
  readonly targetForm: TargetForm
  readonly version: '1.0' | '1.1'
  /** Field lines in order, flattened: name, value, name, value... Names as received; values trimmed of OWS. */
  readonly rawHeaders: readonly string[]
  /**
   * The authority the request is for: from an absolute-form or authority-form target, which
   * overrides Host (RFC 9112 §3.2.2), otherwise the Host field value ('' when absent in HTTP/1.0).
   */
  readonly authority: string
  readonly framing: BodyFraming
  /** RFC 9112 §9.3: whether the connection may persist after this request, judged from the request alone. */
  readonly keepAlive: boolean
  /** RFC 9110 §10.1.1: `Expect: 100-continue` was sent. */
  readonly expectContinue: boolean
  /** An Expect value other than 100-continue (the server answers 417), or null. */
  readonly unsupportedExpect: string | null
  /**
   * RFC 9110 §7.8 and §9.3.6: the request asks to leave HTTP/1.1: 'CONNECT' for a CONNECT
   * request, the Upgrade field value when `Connection: upgrade` is present (HTTP/1.1 only),
   * otherwise null. After CONNECT the parser stops parsing the stream; an Upgrade is only an
   * offer, which a server may ignore, so parsing goes on.
   */
  readonly upgrade: string | null
}

export type ParserEvent =
  | { readonly type: 'head'; readonly head: RequestHead }
  | { readonly type: 'body'; readonly data: Uint8Array }
  | { readonly type: 'end'; readonly trailers: readonly string[] }
  | { readonly type: 'error'; readonly error: ParseError }
  | { readonly type: 'need-data' }

export interface ParserLimits {
  /** Bytes in the request line plus the field lines, CRLFs included. Past it: 431 (414 while still in the request line). */
  readonly maxHeadSize: number
  /** Number of field lines in the head, and separately in the trailer section. Past it: 431. */
  readonly maxHeaderCount: number
  /** Length of the request-target. Past it: 414. */
  readonly maxTargetLength: number
  /** Decoded body bytes. Past it: 413. */
  readonly maxBodySize: number
  /** Total bytes of chunk extensions in one message. Past it: 413. */
  readonly maxChunkExtensionsSize: number
}

/**
 * Deviations from the RFCs that some deployments ask for. Each is off by default; each is a
 * named door that a security review can see being opened. The fuzzer plants them to prove it
 * can detect a lax parser.
 */
export interface ParserLeniency {
  /** Accept a bare LF as a line ending in the head and in chunked framing (RFC 9112 §2.2 permits, we do not). */
  readonly allowBareLf?: boolean
  /** Replace obs-fold with a single SP instead of rejecting it (RFC 9112 §5.2). */
  readonly allowObsFold?: boolean
  /** Accept Content-Length together with Transfer-Encoding, letting chunked win (unsafe: request smuggling, RFC 9112 §6.3). */
  readonly allowContentLengthWithTransferEncoding?: boolean
}

export interface ParserOptions {
  readonly limits?: Partial<ParserLimits>
  readonly leniency?: ParserLeniency
}
