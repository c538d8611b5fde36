import type { Request } from '../app/request.ts'
import { Response } from '../app/response.ts'
import { ANY_METHOD, type Routes } from '../app/router.ts'

function pairs(flat: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!])
  return out
}

/** The body of a reflect response: what the parser understood, for the conformance suite and the fuzzer (CONTRACTS.md §2). */
export interface ReflectedRequest {
  readonly method: string
  readonly target: string
  readonly version: '1.0' | '1.1'
  readonly headers: Array<[string, string]>
  readonly trailers: Array<[string, string]>
  /** The decoded body, base64. */
  readonly body: string
}

export function reflectRequest(request: Request): ReflectedRequest {
  return {
    method: request.method,
    target: request.target,
    version: request.version,
    headers: pairs(request.headers.raw),
    trailers: pairs(request.trailers),
    body: Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString(
      'base64',
    ),
  }
}

/** Every request, any method and target, gets 200 with its parsed form as JSON. */
export function reflectApp(): Routes {
  return {
    Reflect: {
      pattern: /^/,
      method: ANY_METHOD,
      handler: (request) => Response.json({ ...reflectRequest(request) }),
    },
  }
}
