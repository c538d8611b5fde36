/**
 * A small raw-TCP client for property 5: writes a stream in the given segments and reads the
 * responses back with a strict-enough HTTP/1.1 response reader. Bounded in time: every exchange
 * has a deadline and resolves (never rejects) with what it saw.
 */
import net from 'node:net'

export interface WireResponse {
  readonly status: number
  readonly headers: readonly [string, string][]
  readonly body: Buffer
}

export interface Exchange {
  readonly responses: WireResponse[]
  /** The server closed the connection (FIN or reset) before the deadline. */
  readonly closed: boolean
  readonly timedOut: boolean
  /** Bytes that could not be read as a response. */
  readonly garbage: string | null
}

export interface ExchangeOptions {
  /** Request methods in order, so HEAD responses are read without a body. */
  readonly methods: readonly string[]
  /** Stop as soon as this many final responses arrived (otherwise wait for close/deadline). */
  readonly expect?: number
  /** Half-close our side after writing (the server then sees EOF). */
  readonly halfClose: boolean
  readonly timeoutMs: number
}

/** Most segments written one by one; past it the rest goes in one write (keeps dribbles bounded). */
const MAX_WRITES = 200

const header = (r: { headers: readonly [string, string][] }, name: string): string | undefined =>
  r.headers.find(([n]) => n.toLowerCase() === name)?.[1]

/** Parses as many complete responses as `buf` holds; returns them and the bytes consumed. */
export function readResponses(
  buf: Buffer,
  methods: readonly string[],
  firstIndex: number,
  eof: boolean,
): { responses: WireResponse[]; used: number; error: string | null } {
  const responses: WireResponse[] = []
  let at = 0
  let index = firstIndex
  for (;;) {
    const headEnd = buf.indexOf('\r\n\r\n', at, 'latin1')
    if (headEnd < 0)
      return { responses, used: at, error: eof && at < buf.length ? 'truncated response head' : null }
    const lines = buf.toString('latin1', at, headEnd).split('\r\n')
    const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0] ?? '')
    if (m === null) return { responses, used: at, error: `bad status line ${JSON.stringify(lines[0])}` }
    const status = Number(m[1])
    const headers: [string, string][] = []
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':')
      if (colon <= 0) return { responses, used: at, error: `bad header line ${JSON.stringify(line)}` }
      headers.push([line.slice(0, colon), line.slice(colon + 1).trim()])
    }
    let p = headEnd + 4
    let body: Buffer = Buffer.alloc(0)
    const method = methods[index]
    const bodiless = status < 200 || status === 204 || status === 304 || method === 'HEAD'
    if (!bodiless) {
      const te = header({ headers }, 'transfer-encoding')
      const cl = header({ headers }, 'content-length')
      if (te !== undefined && /chunked\s*$/i.test(te)) {
        const parts: Buffer[] = []
        for (;;) {
          const lineEnd = buf.indexOf('\r\n', p, 'latin1')
          if (lineEnd < 0) return { responses, used: at, error: null }
          const size = Number.parseInt(buf.toString('latin1', p, lineEnd).split(';')[0] ?? '', 16)
          if (!Number.isFinite(size)) return { responses, used: at, error: 'bad chunk size in response' }
          p = lineEnd + 2
          if (size === 0) {
            const end = buf.indexOf('\r\n\r\n', p - 2, 'latin1')
            if (end < 0) return { responses, used: at, error: null }
            p = end + 4
            break
          }
          if (buf.length < p + size + 2) return { responses, used: at, error: null }
          parts.push(buf.subarray(p, p + size))
          p += size + 2
        }
        body = Buffer.concat(parts)
      } else if (cl !== undefined) {
        const n = Number(cl)
        if (buf.length < p + n) return { responses, used: at, error: eof ? 'truncated response body' : null }
        body = buf.subarray(p, p + n)
        p += n
      } else {
        if (!eof) return { responses, used: at, error: null }
        body = buf.subarray(p)
        p = buf.length
      }
    }
    responses.push({ status, headers, body })
    if (status >= 200) index++
    at = p
  }
}

export function exchange(
  host: string,
  port: number,
  bytes: Uint8Array,
  segments: readonly number[],
  opts: ExchangeOptions,
): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port })
    socket.setNoDelay(true)
    const responses: WireResponse[] = []
    let pending: Buffer = Buffer.alloc(0)
    let finalCount = 0
    let garbage: string | null = null
    let done = false
    const finish = (closed: boolean, timedOut: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ responses, closed, timedOut, garbage })
    }
    const timer = setTimeout(() => finish(false, true), opts.timeoutMs)
    const consume = (eof: boolean) => {
      const r = readResponses(pending, opts.methods, finalCount, eof)
      for (const res of r.responses) {
        responses.push(res)
        if (res.status >= 200) finalCount++
      }
      pending = pending.subarray(r.used)
      if (r.error !== null && garbage === null) garbage = r.error
      if (opts.expect !== undefined && finalCount >= opts.expect) finish(false, false)
    }
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      consume(false)
    })
    socket.on('end', () => {
      consume(true)
      finish(true, false)
    })
    socket.on('close', () => {
      consume(true)
      finish(true, false)
    })
    socket.on('error', () => {
      // A reset after the server's last response is a close as far as we are concerned.
    })
    socket.on('connect', async () => {
      let at = 0
      let writes = 0
      for (const n of segments) {
        if (done || socket.destroyed) return
        const piece = writes < MAX_WRITES ? bytes.subarray(at, at + n) : bytes.subarray(at)
        at += piece.length
        writes++
        if (piece.length > 0) await new Promise<void>((ok) => socket.write(piece, () => ok()))
        // Give the server a turn between writes, so it really sees them one at a time.
        await new Promise((ok) => setImmediate(ok))
        if (at >= bytes.length) break
      }
      if (at < bytes.length && !socket.destroyed) socket.write(bytes.subarray(at))
      if (opts.halfClose && !socket.destroyed) socket.end()
    })
  })
}
