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
}

interface RunState {
  readonly captures: Capture[]
  error: { code: string; offset?: number } | null
  /** Status codes of responses Node wrote on its own (our handler only ever answers 200). */
  readonly ownResponses: number[]
}

/** A socket stand-in: we push the request bytes in, responses written by Node are discarded. */
class FeedSocket extends Duplex {
  readonly run: RunState = { captures: [], error: null, ownResponses: [] }
  remoteAddress = '127.0.0.1'
  remotePort = 40000
  encrypted = false

  constructor() {
    super({ allowHalfOpen: true })
  }
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    // Node answers some rejections itself (a missing Host gets 400) without a clientError.
    const m = /^HTTP\/1\.[01] ([1-5]\d\d)/.exec(chunk.toString('latin1', 0, 16))
    if (m !== null && m[1] !== '200' && m[1] !== '100') this.run.ownResponses.push(Number(m[1]))
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
  const c: Capture = { req, chunks: [], ended: false, upgrade }
  run.captures.push(c)
  return c
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

function onUpgradeOrConnect(req: IncomingMessage): void {
  const c = capture(req, true)
  if (c !== null) c.ended = true
}

let shared: http.Server | null = null

/** One server for the whole process: creating one per input would dominate the run time. */
function server(): http.Server {
  if (shared !== null) return shared
  // Defaults on purpose: strict llhttp, requireHostHeader, 16 KiB head limit.
  const s = http.createServer()
  s.on('request', onRequest)
  s.on('checkContinue', onRequest)
  s.on('checkExpectation', onRequest)
  s.on('upgrade', onUpgradeOrConnect)
  s.on('connect', onUpgradeOrConnect)
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
  socket.push(null)
  // Body events and 'end' travel through stream ticks; wait until the picture stops changing.
  let stable = 0
  let last = ''
  for (let i = 0; i < 200 && stable < 3; i++) {
    await tick()
    const sig = `${endSeen}|${run.error?.code}|${run.captures.map((c) => `${c.ended}:${c.chunks.length}`).join(',')}`
    const quiet = endSeen || run.error !== null || socket.destroyed
    stable = sig === last && quiet ? stable + 1 : 0
    last = sig
  }
  socket.destroy()
  return toOutcome(run)
}

function toOutcome(run: RunState): ParseOutcome {
  const messages: ParsedMessage[] = []
  let partialHead = false
  for (const c of run.captures) {
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
  if (run.error !== null) end = { kind: 'error', ...run.error }
  else if (run.ownResponses.length > 0) end = { kind: 'error', code: `NODE_RESPONSE_${run.ownResponses[0]}` }
  else if (partialHead) end = { kind: 'error', code: 'INCOMPLETE' }
  return { messages, end, partialHead }
}
