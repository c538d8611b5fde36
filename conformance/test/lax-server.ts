/**
 * A deliberately lax HTTP/1.1 server for the suite's own tests. It speaks the reflect contract but
 * makes the classic mistakes: Content-Length wins over Transfer-Encoding (and the connection stays
 * open), a lone LF ends any line including chunked framing lines, and an obs-fold line is glued to
 * the previous value without a space. The catalog must FAIL it on exactly those points.
 */

import type { AddressInfo } from 'node:net'
import net from 'node:net'

export interface LaxServer {
  readonly host: string
  readonly port: number
  readonly connectionsAccepted: number
  close(): Promise<void>
}

export interface LaxOptions {
  /** Close the connection after every response (breaks keep-alive scenarios). */
  readonly closeEachResponse?: boolean
  /** Parse each TCP read on its own, dropping what was buffered before (breaks split mode). */
  readonly forgetfulReads?: boolean
}

interface Parsed {
  method: string
  target: string
  version: string
  headers: [string, string][]
  trailers: [string, string][]
  body: Buffer
  /** Bytes consumed from the buffer. */
  used: number
}

/** Reads one LF-terminated line (a preceding CR is dropped): the "bare LF is fine" mistake. */
function line(buf: Buffer, at: number): { text: string; next: number } | null {
  const lf = buf.indexOf(0x0a, at)
  if (lf < 0) return null
  const end = lf > at && buf[lf - 1] === 0x0d ? lf - 1 : lf
  return { text: buf.subarray(at, end).toString('latin1'), next: lf + 1 }
}

function parse(buf: Buffer): Parsed | 'need-more' | 'error' {
  let at = 0
  // Skip empty lines before the request line.
  for (;;) {
    const l = line(buf, at)
    if (!l) return 'need-more'
    if (l.text !== '') break
    at = l.next
  }
  const first = line(buf, at)!
  at = first.next
  const m = /^(\S+) (\S+) HTTP\/(\d\.\d)$/.exec(first.text)
  if (!m) return 'error'
  const headers: [string, string][] = []
  for (;;) {
    const l = line(buf, at)
    if (!l) return 'need-more'
    at = l.next
    if (l.text === '') break
    if ((l.text.startsWith(' ') || l.text.startsWith('\t')) && headers.length > 0) {
      // The obs-fold mistake: glue the continuation on without a space.
      const last = headers[headers.length - 1]!
      last[1] += l.text.trim()
      continue
    }
    const colon = l.text.indexOf(':')
    if (colon <= 0) return 'error'
    headers.push([l.text.slice(0, colon).trim(), l.text.slice(colon + 1).trim()])
  }
  const get = (n: string) => headers.find(([k]) => k.toLowerCase() === n)?.[1]
  const cl = get('content-length')
  const te = get('transfer-encoding')
  const trailers: [string, string][] = []
  let body: Buffer
  if (cl !== undefined) {
    // The CL+TE mistake: Content-Length wins.
    const n = Number.parseInt(cl, 10)
    if (!Number.isFinite(n) || n < 0) return 'error'
    if (buf.length < at + n) return 'need-more'
    body = buf.subarray(at, at + n)
    at += n
  } else if (te !== undefined && /chunked/i.test(te)) {
    const parts: Buffer[] = []
    for (;;) {
      const sizeLine = line(buf, at)
      if (!sizeLine) return 'need-more'
      const size = Number.parseInt(sizeLine.text, 16)
      if (!Number.isFinite(size)) return 'error'
      at = sizeLine.next
      if (size === 0) {
        for (;;) {
          const t = line(buf, at)
          if (!t) return 'need-more'
          at = t.next
          if (t.text === '') break
          const c = t.text.indexOf(':')
          trailers.push([t.text.slice(0, c), t.text.slice(c + 1).trim()])
        }
        break
      }
      if (buf.length < at + size + 1) return 'need-more'
      parts.push(buf.subarray(at, at + size))
      at += size
      const end = line(buf, at)
      if (!end) return 'need-more'
      at = end.next
    }
    body = Buffer.concat(parts)
  } else {
    body = Buffer.alloc(0)
  }
  return { method: m[1]!, target: m[2]!, version: m[3]!, headers, trailers, body, used: at }
}

export async function startLaxServer(opts: LaxOptions = {}): Promise<LaxServer> {
  let accepted = 0
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    accepted++
    sockets.add(socket)
    let buf: Buffer = Buffer.alloc(0)
    socket.on('error', () => socket.destroy())
    socket.on('close', () => sockets.delete(socket))
    socket.on('data', (chunk: Buffer) => {
      // The "one read is one message" mistake: an incomplete request is simply forgotten.
      buf = opts.forgetfulReads ? chunk : Buffer.concat([buf, chunk])
      for (;;) {
        const r = parse(buf)
        if (r === 'need-more') return
        if (r === 'error') {
          socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
          buf = Buffer.alloc(0)
          return
        }
        buf = buf.subarray(r.used)
        const json = JSON.stringify({
          method: r.method,
          target: r.target,
          version: r.version,
          headers: r.headers,
          trailers: r.trailers,
          body: r.body.toString('base64'),
        })
        const close = opts.closeEachResponse === true
        const head = r.method === 'HEAD'
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
            `${close ? 'Connection: close\r\n' : ''}\r\n${head ? '' : json}`,
        )
        if (close) {
          socket.end()
          return
        }
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { address, port } = server.address() as AddressInfo
  return {
    host: address,
    port,
    get connectionsAccepted() {
      return accepted
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
