/**
 * The three requests the parser benchmark feeds every parser, with the information each parser
 * must extract from them (the equivalence check compares against `expected`).
 */

export interface ParsedRequest {
  readonly method: string
  readonly target: string
  readonly version: '1.0' | '1.1'
  /** Field lines in order, names as received, values without surrounding OWS. */
  readonly headers: readonly (readonly [string, string])[]
  /** The body after chunked decoding. */
  readonly body: Uint8Array
}

export type FixtureId = 'get' | 'post-cl' | 'post-chunked'

export interface Fixture {
  readonly id: FixtureId
  readonly label: string
  readonly bytes: Buffer
  readonly expected: ParsedRequest
}

export const FIXTURE_IDS: readonly FixtureId[] = ['get', 'post-cl', 'post-chunked']

function head(method: string, target: string, headers: readonly (readonly [string, string])[]): string {
  return `${method} ${target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`
}

/** A deterministic 1 KiB JSON-ish body (printable bytes, so every parser's string paths agree). */
function body1k(): Buffer {
  const unit = '{"symbol":"ACME","side":"buy","qty":100,"limit":123.45},'
  let s = '['
  while (s.length < 1023) s += unit
  return Buffer.from(`${s.slice(0, 1023)}]`, 'latin1')
}

// A browser navigating to a page: 8 field lines, ~440 bytes, the shape most requests have.
const GET_HEADERS: readonly (readonly [string, string])[] = [
  ['Host', 'market.example.com'],
  ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'],
  ['Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
  ['Accept-Language', 'en-US,en;q=0.5'],
  ['Accept-Encoding', 'gzip, deflate, br'],
  ['Referer', 'https://market.example.com/dashboard'],
  ['Cookie', 'session=6f1c2a9e0b7d4c3f8a5e; theme=dark'],
  ['Connection', 'keep-alive'],
]
const GET_TARGET = '/api/v1/stocks/ACME/quotes?range=1d&interval=5m'

function makeGet(): Fixture {
  return {
    id: 'get',
    label: 'GET, 8 header fields',
    bytes: Buffer.from(head('GET', GET_TARGET, GET_HEADERS), 'latin1'),
    expected: {
      method: 'GET',
      target: GET_TARGET,
      version: '1.1',
      headers: GET_HEADERS,
      body: new Uint8Array(0),
    },
  }
}

function makePostCl(): Fixture {
  const body = body1k()
  const headers: [string, string][] = [
    ['Host', 'orders.example.com'],
    ['User-Agent', 'stock-client/1.4'],
    ['Accept', 'application/json'],
    ['Content-Type', 'application/json'],
    ['Content-Length', String(body.length)],
  ]
  return {
    id: 'post-cl',
    label: 'POST, 1 KiB Content-Length body',
    bytes: Buffer.concat([Buffer.from(head('POST', '/orders', headers), 'latin1'), body]),
    expected: { method: 'POST', target: '/orders', version: '1.1', headers, body },
  }
}

function makePostChunked(): Fixture {
  const body = body1k()
  const headers: [string, string][] = [
    ['Host', 'orders.example.com'],
    ['User-Agent', 'stock-client/1.4'],
    ['Accept', 'application/json'],
    ['Content-Type', 'application/json'],
    ['Transfer-Encoding', 'chunked'],
  ]
  // Four 256-byte chunks, then the last-chunk and an empty trailer section (RFC 9112 §7.1).
  const parts: Buffer[] = [Buffer.from(head('POST', '/orders/batch', headers), 'latin1')]
  for (let i = 0; i < body.length; i += 256) {
    const c = body.subarray(i, i + 256)
    parts.push(Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n'))
  }
  parts.push(Buffer.from('0\r\n\r\n'))
  return {
    id: 'post-chunked',
    label: 'POST, 1 KiB chunked body (4 chunks)',
    bytes: Buffer.concat(parts),
    expected: { method: 'POST', target: '/orders/batch', version: '1.1', headers, body },
  }
}

export const FIXTURES: Readonly<Record<FixtureId, Fixture>> = {
  get: makeGet(),
  'post-cl': makePostCl(),
  'post-chunked': makePostChunked(),
}

/** Stable text form of what a parser extracted, for comparisons and diffs. */
export function canonical(r: ParsedRequest): string {
  return JSON.stringify({
    method: r.method,
    target: r.target,
    version: r.version,
    headers: r.headers,
    body: Buffer.from(r.body).toString('base64'),
  })
}
