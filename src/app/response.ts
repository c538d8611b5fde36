import { equalsIgnoreCase } from '../http1/names.ts'
import type { HeaderPairs } from '../http1/serialize.ts'

/** A value JSON.stringify turns into JSON text. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined }

export type ResponseBody =
  | string
  | Uint8Array
  | AsyncIterable<Uint8Array | string>
  | JsonValue
  | { toJSON(): unknown }
  | null
  | undefined

export type HeadersInit = Readonly<Record<string, string | number | readonly string[]>> | HeaderPairs

/** The body as the connection writes it: whole bytes, a stream of chunks, or nothing. */
export type PreparedBody =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'stream'; readonly chunks: AsyncIterable<Uint8Array | string> }
  | { readonly kind: 'empty' }

const EMPTY_BODY: PreparedBody = Object.freeze({ kind: 'empty' })

/**
 * What a handler returns: `new Response(status, body?, headers?)`. Strings are sent as UTF-8
 * text, bytes as octets, an async iterable chunked, and any other value as JSON. A
 * Content-Type the handler sets wins over these defaults.
 */
export class Response {
  readonly status: number
  readonly headers: Array<[string, string]>
  readonly body: PreparedBody

  constructor(status = 200, body: ResponseBody = null, headers: HeadersInit = []) {
    if (!Number.isInteger(status) || status < 200 || status > 999) {
      throw new RangeError(`a Response status must be an integer from 200 to 999, got ${String(status)}`)
    }
    this.status = status
    this.headers = toPairs(headers)
    this.body = prepareBody(body)
    if (body !== null && body !== undefined && !hasContentType(this.headers))
      this.headers.push(['Content-Type', defaultContentType(body)])
  }

  static json(value: JsonValue | { toJSON(): unknown }, status = 200, headers: HeadersInit = []): Response {
    return new Response(status, Buffer.from(JSON.stringify(value) ?? 'null'), [
      ['Content-Type', 'application/json'],
      ...toPairs(headers),
    ])
  }

  static text(text: string, status = 200, headers: HeadersInit = []): Response {
    return new Response(status, text, headers)
  }
}

function hasContentType(headers: ReadonlyArray<readonly [string, string]>): boolean {
  for (const [name] of headers) if (equalsIgnoreCase(name, 'content-type')) return true
  return false
}

function toPairs(headers: HeadersInit): Array<[string, string]> {
  // A shallow copy: the caller's array is never changed, and its pairs are only read.
  if (Array.isArray(headers)) return (headers as Array<[string, string]>).slice()
  const pairs: Array<[string, string]> = []
  for (const [name, value] of Object.entries(
    headers as Readonly<Record<string, string | number | readonly string[]>>,
  )) {
    if (Array.isArray(value)) for (const v of value as readonly string[]) pairs.push([name, v])
    else pairs.push([name, String(value)])
  }
  return pairs
}

function isAsyncIterable(value: object): value is AsyncIterable<Uint8Array | string> {
  return Symbol.asyncIterator in value
}

function prepareBody(body: ResponseBody): PreparedBody {
  if (body === null || body === undefined) return EMPTY_BODY
  if (typeof body === 'string') return { kind: 'bytes', bytes: Buffer.from(body, 'utf8') }
  if (body instanceof Uint8Array) return { kind: 'bytes', bytes: body }
  if (typeof body === 'object' && isAsyncIterable(body)) return { kind: 'stream', chunks: body }
  return { kind: 'bytes', bytes: Buffer.from(JSON.stringify(body) ?? 'null', 'utf8') }
}

/** The Content-Type a body gets when the handler sets none. */
function defaultContentType(body: NonNullable<ResponseBody>): string {
  if (typeof body === 'string') return 'text/plain; charset=utf-8'
  if (body instanceof Uint8Array) return 'application/octet-stream'
  if (typeof body === 'object' && isAsyncIterable(body)) return 'application/octet-stream'
  return 'application/json'
}
