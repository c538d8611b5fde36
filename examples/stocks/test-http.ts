/** Small HTTP helpers shared by the stocks tests: undici for most calls, curl for the CLI path. */
import { execFile } from 'node:child_process'
import { type Dispatcher, Pool, request } from 'undici'

export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly text: string
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** One request; `body` objects are sent as JSON, strings as they are. Bounded by a 15 s deadline. */
export async function call(
  dispatcher: Dispatcher,
  origin: string,
  method: string,
  path: string,
  body?: string | object,
): Promise<Reply> {
  const payload = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body)
  const res = await request(new URL(path, origin), {
    dispatcher,
    method,
    headers: payload === null ? {} : { 'content-type': 'application/json' },
    body: payload,
    signal: AbortSignal.timeout(15_000),
  })
  const text = await res.body.text()
  return { status: res.statusCode, headers: res.headers, text, json: parse(text) }
}

export interface CurlReply {
  readonly status: number
  readonly text: string
  readonly json: unknown
}

/** Runs curl with `args` (URL included) and returns the status and body it printed. */
export function curl(args: readonly string[]): Promise<CurlReply> {
  return new Promise((resolve, reject) => {
    execFile(
      'curl',
      ['--silent', '--show-error', '--max-time', '15', '--write-out', '\n%{http_code}', ...args],
      { timeout: 20_000 },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`curl ${args.join(' ')} failed: ${stderr || err.message}`))
          return
        }
        const cut = stdout.lastIndexOf('\n')
        const text = stdout.slice(0, cut)
        resolve({ status: Number(stdout.slice(cut + 1)), text, json: parse(text) })
      },
    )
  })
}

/**
 * Fires `count` buys of 1 share at once, each on its own connection so the gateway sees them all
 * together, and returns every outcome.
 */
export async function concurrentBuys(
  origin: string,
  name: string,
  count: number,
): Promise<{ status: number; json: unknown }[]> {
  const pool = new Pool(origin, { connections: count, pipelining: 1 })
  try {
    return await Promise.all(
      Array.from({ length: count }, async () => {
        const reply = await call(pool, origin, 'POST', '/orders', { name, quantity: 1, type: 'buy' })
        return { status: reply.status, json: reply.json }
      }),
    )
  } finally {
    await pool.close()
  }
}
