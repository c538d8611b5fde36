import type { RequestHead } from '../http1/types.ts'
import { HttpError } from './errors.ts'

/** Read-only, case-insensitive view of the request's fields, keeping the raw ordered list. */
export class RequestHeaders {
  /** Field lines as received, flattened: name, value, name, value... */
  readonly raw: readonly string[]
  #index: Map<string, string[]> | null = null

  constructor(raw: readonly string[]) {
    this.raw = raw
  }

  #lookup(): Map<string, string[]> {
    if (this.#index === null) {
      const index = new Map<string, string[]>()
      for (let i = 0; i < this.raw.length; i += 2) {
        const name = this.raw[i]!.toLowerCase()
        const values = index.get(name)
        if (values === undefined) index.set(name, [this.raw[i + 1]!])
        else values.push(this.raw[i + 1]!)
      }
      this.#index = index
    }
    return this.#index
  }

  /** RFC 9110 §5.3: several field lines with the same name combine into one list, joined by ", ". */
  get(name: string): string | undefined {
    return this.#lookup().get(name.toLowerCase())?.join(', ')
  }

  getAll(name: string): string[] {
    return [...(this.#lookup().get(name.toLowerCase()) ?? [])]
  }

  has(name: string): boolean {
    return this.#lookup().has(name.toLowerCase())
  }

  /** [name, value] pairs in the order received, names as sent. */
  *entries(): IterableIterator<[string, string]> {
    for (let i = 0; i < this.raw.length; i += 2) yield [this.raw[i]!, this.raw[i + 1]!]
  }
}

const EMPTY_BODY = new Uint8Array(0)
const NO_STREAM: AsyncIterable<Uint8Array> = {
  async *[Symbol.asyncIterator]() {},
}

export interface RequestInit {
  readonly head: RequestHead
  readonly params: Readonly<Record<string, string>>
  readonly body?: Uint8Array
  readonly trailers?: readonly string[]
  /** For routes declared with `body: 'stream'`: the body as it arrives. */
  readonly stream?: AsyncIterable<Uint8Array>
  /** splitTarget(head), when the caller has it already. */
  readonly pathAndQuery?: readonly [path: string, query: string]
}

export class Request {
  readonly method: string
  /** The request-target exactly as received. */
  readonly target: string
  /** The path component of the target (RFC 9112 §3.2), without the query. */
  readonly path: string
  readonly version: '1.0' | '1.1'
  readonly params: Readonly<Record<string, string>>
  /** RFC 9112 §3.2.2: from an absolute-form target, else from Host. */
  readonly authority: string
  readonly head: RequestHead
  body: Uint8Array
  trailers: readonly string[]
  readonly #rawQuery: string
  readonly #stream: AsyncIterable<Uint8Array>
  #query: URLSearchParams | null = null
  #headers: RequestHeaders | null = null

  constructor(init: RequestInit) {
    const head = init.head
    this.head = head
    this.method = head.method
    this.target = head.target
    this.version = head.version
    this.authority = head.authority
    this.params = init.params
    const [path, query] = init.pathAndQuery ?? splitTarget(head)
    this.path = path
    this.#rawQuery = query
    this.body = init.body ?? EMPTY_BODY
    this.trailers = init.trailers ?? []
    this.#stream = init.stream ?? NO_STREAM
  }

  /** The fields, made on first use: many handlers never look. */
  get headers(): RequestHeaders {
    this.#headers ??= new RequestHeaders(this.head.rawHeaders)
    return this.#headers
  }

  get query(): URLSearchParams {
    this.#query ??= new URLSearchParams(this.#rawQuery)
    return this.#query
  }

  text(): string {
    return Buffer.from(this.body.buffer, this.body.byteOffset, this.body.byteLength).toString('utf8')
  }

  /** Parses the body as JSON; a body that is not JSON is the client's fault, answered 400. */
  json<T = unknown>(): T {
    try {
      return JSON.parse(this.text()) as T
    } catch (error) {
      throw new HttpError(400, `invalid JSON body: ${(error as Error).message}`)
    }
  }

  /** The body as it arrives, for routes declared with `body: 'stream'`; empty otherwise. */
  stream(): AsyncIterable<Uint8Array> {
    return this.#stream
  }
}

/** Splits the target into path and query for the four forms of RFC 9112 §3.2. */
export function splitTarget(head: Pick<RequestHead, 'target' | 'targetForm'>): [string, string] {
  const target = head.target
  if (head.targetForm === 'asterisk' || head.targetForm === 'authority') return [target, '']
  let start = 0
  if (head.targetForm === 'absolute') {
    const scheme = target.indexOf('://')
    if (scheme === -1) {
      start = target.indexOf(':') + 1
    } else {
      const slash = target.indexOf('/', scheme + 3)
      const question = target.indexOf('?', scheme + 3)
      start =
        slash === -1
          ? question === -1
            ? target.length
            : question
          : question !== -1 && question < slash
            ? question
            : slash
    }
  }
  const q = target.indexOf('?', start)
  const path = q === -1 ? target.slice(start) : target.slice(start, q)
  return [path === '' ? '/' : path, q === -1 ? '' : target.slice(q + 1)]
}
