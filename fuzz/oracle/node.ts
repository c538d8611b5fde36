/**
 * The Node oracle: feeds bytes to a real `node:http` server in-process, through a Duplex we
 * control, and records what llhttp (default strict mode) made of them. Node is a second opinion,
 * not ground truth: disagreements are explained or not by fuzz/node-quirks.ts.
 */

import type { IncomingMessage, ServerResponse } from 'node:http'
import http from 'node:http'
import { Duplex } from 'node:stream'
import type { ParsedMessage, ParseOutcome, StreamEnd } from '../outcome.ts'

interface Capture {
  readonly req: IncomingMessage
  readonly chunks: Buffer[]
  ended: boolean
  readonly upgrade: boolean
  /** Node's requireHostHeader rule refuses this request (see server()). */
  readonly missingHost: boolean
}

interface RunState {
  readonly captures: Capture[]
  error: { code: string; offset?: number } | null
  /**
   * Status codes of the responses written, in order. Our handler only ever answers 200; any
   * other status is Node rejecting a request on its own (a missing Host gets 400) without a
   * clientError, after which it still parses and emits the pipelined requests behind it.
   */
  readonly statuses: number[]
}

/** A socket stand-in: we push the request bytes in, responses written by Node are discarded. */
class FeedSocket extends Duplex {
  readonly run: RunState = { captures: [], error: null, statuses: [] }
  remoteAddress = '127.0.0.1'
  remotePort = 40000
  encrypted = false

  constructor() {
    super({ allowHalfOpen: true })
  }
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    // Node answers some rejections itself (a missing Host gets 400) without a clientError.
    // Bodies are empty, so every status line found is the start of a response.
    for (const m of chunk.toString('latin1').matchAll(/(?:^|\r\n)HTTP\/1\.[01] ([1-5]\d\d) /g)) {
      if (m[1] !== '100') this.run.statuses.push(Number(m[1]))
    }
    cb()
  }
  setTimeout(): this {
    return this
  }
  setNoDelay(): this {
    return this
  }
  setKeepAlive(): this {
    return this
  }
}

function runOf(socket: unknown): RunState | null {
  return socket instanceof FeedSocket ? socket.run : null
}

function capture(req: IncomingMessage, upgrade: boolean): Capture | null {
  const run = runOf(req.socket)
  if (run === null) return null
  const missingHost = !upgrade && req.httpVersion === '1.1' && req.headers.host === undefined
  // Without an 'upgrade' listener Node answers an Upgrade offer as a plain request (reading its
  // body), as sockhttp does, but llhttp still stops parsing the stream after it.
  const c: Capture = { req, chunks: [], ended: false, upgrade: upgrade || isUpgradeOffer(req), missingHost }
  run.captures.push(c)
  return c
}

/** RFC 9110 §7.8: an HTTP/1.1 request with Upgrade and the `upgrade` connection option. */
function isUpgradeOffer(req: IncomingMessage): boolean {
  const connection = req.headers.connection ?? ''
  return (
    req.httpVersion === '1.1' &&
    req.headers.upgrade !== undefined &&
    /(^|,)[ \t]*upgrade[ \t]*(,|$)/i.test(connection)
  )
}

function onRequest(req: IncomingMessage, res: ServerResponse): void {
  const c = capture(req, false)
  if (c === null) return
  req.on('data', (chunk: Buffer) => c.chunks.push(chunk))
  req.on('end', () => {
    c.ended = true
    res.end()
  })
  req.on('error', () => {})
}

function onConnect(req: IncomingMessage): void {
  const c = capture(req, true)
  if (c !== null) c.ended = true
}

let shared: http.Server | null = null

/** One server for the whole process: creating one per input would dominate the run time. */
function server(): http.Server {
  if (shared !== null) return shared
  // Defaults on purpose (strict llhttp, 16 KiB head limit), except one: Node's default
  // requireHostHeader answers 400 itself, without a clientError, and then keeps parsing the
  // pipeline; the 400 can even stay unwritten when a later parse error comes first. So the rule
  // is applied here instead, exactly as Node states it (an HTTP/1.1 request that is not an
  // upgrade and has no Host field is refused with 400), where we can see which request it hits.
  const s = http.createServer({ requireHostHeader: false })
  s.on('request', onRequest)
  // No 'checkContinue' listener: Node then writes 100 Continue itself and emits 'request'.
  // (Answering from checkContinue without 100 would make Node close after that response.)
  s.on('checkExpectation', onRequest)
  // No 'upgrade' listener: sockhttp declines Upgrade offers, and so does Node without one.
  s.on('connect', onConnect)
  s.on('clientError', (err: NodeJS.ErrnoException & { bytesParsed?: number }, socket) => {
    const run = runOf(socket)
    if (run !== null && run.error === null) {
      run.error = { code: err.code ?? 'UNKNOWN' }
      if (typeof err.bytesParsed === 'number') run.error.offset = err.bytesParsed
    }
  })
  shared = s
  return s
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const statusesSig = (run: RunState): string => `${run.captures.length}:${run.statuses.join(',')}`

/** Waits until `signature()` stays the same for a few event-loop turns (bounded). */
async function settle(signature: () => string): Promise<void> {
  let last = ''
  let stable = 0
  for (let i = 0; i < 200 && stable < 3; i++) {
    await tick()
    const sig = signature()
    stable = sig === last ? stable + 1 : 0
    last = sig
  }
}

/**
 * Parse `bytes` (optionally in the given write segments) with node:http. Resolves once Node has
 * seen the end of the stream and every body event has been delivered.
 */
export async function parseWithNode(bytes: Uint8Array, segments?: readonly number[]): Promise<ParseOutcome> {
  const socket = new FeedSocket()
  const run = socket.run
  let endSeen = false
  server().emit('connection', socket)
  socket.on('end', () => {
    endSeen = true
  })
  socket.on('error', () => {})
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 0
  for (const len of segments ?? [bytes.length]) {
    if (len <= 0) continue
    socket.push(buf.subarray(at, at + len))
    at += len
  }
  if (at < buf.length) socket.push(buf.subarray(at))
  // Let Node answer what it parsed before the stream ends: the responses it writes on its own
  // (in request order) are how we learn which request it refused without a clientError.
  await settle(() => `${statusesSig(run)}|${run.error?.code}`)
  socket.push(null)
  await settle(() => {
    const sig = `${statusesSig(run)}|${run.error?.code}|${run.captures.map((c) => `${c.ended}:${c.chunks.length}`).join(',')}`
    // Until Node has seen the end, make the signature unstable so that we keep waiting.
    return endSeen || run.error !== null || socket.destroyed ? sig : `${sig}|${Math.random()}`
  })
  socket.destroy()
  return toOutcome(run)
}

function toOutcome(run: RunState): ParseOutcome {
  const messages: ParsedMessage[] = []
  let partialHead = false
  // Responses come out in request order, so the k-th status belongs to the k-th request.
  const rejectedAt = run.statuses.findIndex((s) => s !== 200)
  const hostAt = run.captures.findIndex((c) => c.missingHost)
  const cut = [rejectedAt, hostAt].filter((i) => i >= 0)
  const captures = cut.length === 0 ? run.captures : run.captures.slice(0, Math.min(...cut))
  for (const c of captures) {
    if (!(c.ended && (c.upgrade || c.req.complete))) {
      partialHead = true
      break
    }
    messages.push({
      method: c.req.method ?? '',
      target: c.req.url ?? '',
      version: c.req.httpVersion,
      headers: c.req.rawHeaders,
      body: new Uint8Array(Buffer.concat(c.chunks)),
      trailers: c.req.rawTrailers,
      keepAlive: true,
      upgrade: c.upgrade,
    })
  }
  let end: StreamEnd = { kind: 'clean' }
  if (hostAt >= 0 && (rejectedAt < 0 || hostAt <= rejectedAt))
    end = { kind: 'error', code: 'NODE_MISSING_HOST_400' }
  else if (run.error !== null) end = { kind: 'error', ...run.error }
  else if (rejectedAt >= 0) end = { kind: 'error', code: `NODE_RESPONSE_${run.statuses[rejectedAt]}` }
  else if (partialHead) end = { kind: 'error', code: 'INCOMPLETE' }
  return { messages, end, partialHead }
}
