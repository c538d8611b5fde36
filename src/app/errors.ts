/**
 * An error a handler throws on purpose: the client gets `status` and `message`. Anything else a
 * handler throws is a bug in the application and is answered 500 without details.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError'
  readonly status: number
  readonly headers: ReadonlyArray<readonly [string, string]>

  constructor(status: number, message?: string, headers: ReadonlyArray<readonly [string, string]> = []) {
    super(message ?? `HTTP ${status}`)
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError needs a 4xx or 5xx status, got ${String(status)}`)
    }
    this.status = status
    this.headers = headers
  }
}
