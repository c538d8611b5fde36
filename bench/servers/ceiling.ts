/**
 * The physical ceiling of a JavaScript HTTP server on node:net: no parsing at all. It counts
 * `\r\n\r\n` (the end of each bodiless request head) and writes one fixed response per count.
 * Usage: node --import tsx bench/servers/ceiling.ts [--port 0] [--host 127.0.0.1]
 */
import net from 'node:net'
import { parseArgs } from 'node:util'
import { countHeads, nextTail } from './count-heads.ts'

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } },
})

// Shaped like node:http's hello response (same header set and similar size) so the bytes on the wire compare.
const RESPONSE = Buffer.from(
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n' +
    'Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\nHello World',
)
const batches: Buffer[] = [Buffer.alloc(0), RESPONSE]

function responses(n: number): Buffer {
  let b = batches[n]
  if (b === undefined) {
    b = Buffer.concat(Array.from({ length: n }, () => RESPONSE))
    if (n < 64) batches[n] = b
  }
  return b
}

const server = net.createServer((socket) => {
  let tail: Buffer = Buffer.alloc(0)
  socket.on('error', () => socket.destroy())
  socket.on('data', (chunk: Buffer) => {
    const n = countHeads(tail, chunk)
    tail = nextTail(tail, chunk)
    if (n > 0) socket.write(responses(n))
  })
})
server.listen({ port: Number(values.port), host: values.host, backlog: 511 }, () => {
  const addr = server.address() as net.AddressInfo
  process.stdout.write(`listening on http://${addr.address}:${addr.port}\n`)
})
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => server.close(() => process.exit(0)))
// Started by the bench with a stdin pipe: when the harness goes away, so does the server.
if (!process.stdin.isTTY) process.stdin.on('end', () => process.exit(0)).resume()
