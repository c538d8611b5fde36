/**
 * Turning a downstream service's reply, or its failure, into this service's response.
 */
import { Response } from '../../src/index.ts'
import { type Downstream, DownstreamError, type DownstreamReply } from './downstream.ts'
import { errorResponse, isErrorBody } from './json-response.ts'

/** Calls the downstream service; a failure to get a usable reply becomes a JSON 502/504 response. */
export async function callDownstream(
  downstream: Downstream,
  method: 'GET' | 'POST',
  path: string,
  json?: unknown,
): Promise<DownstreamReply | Response> {
  try {
    return await downstream.request(method, path, json)
  } catch (err) {
    if (err instanceof DownstreamError) return errorResponse(err.status, err.message)
    throw err
  }
}

function hasData(body: unknown): body is { data: unknown } {
  return typeof body === 'object' && body !== null && 'data' in body
}

/**
 * Passes a downstream reply through when it speaks our envelope: its errors (404 unknown stock,
 * 400 not enough shares, 502/504 from further down) reach the client unchanged. Anything else is
 * the downstream service misbehaving: 502.
 */
export function relayReply(service: string, reply: DownstreamReply): Response {
  const ok = reply.status >= 200 && reply.status < 300
  if ((ok && hasData(reply.body)) || (!ok && isErrorBody(reply.body))) {
    return new Response(reply.status, reply.text, { 'Content-Type': 'application/json' })
  }
  return errorResponse(502, `${service} service sent an unexpected response`)
}
