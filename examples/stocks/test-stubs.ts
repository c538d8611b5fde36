/**
 * Misbehaving downstream peers for the failure tests, on raw TCP so they can do what no HTTP
 * framework would: accept and stay silent, hang up, stall mid-body, answer garbage.
 */
import { once } from 'node:events'
import { createServer, type Server, type Socket } from 'node:net'

export interface Stub {
  readonly url: string
  readonly port: number
  /** Connections accepted so far. */
  readonly accepted: () => number
  close(): Promise<void>
}

/** A TCP server that runs `onConnection` for each accepted socket. Closing it destroys every socket. */
export async function startStub(onConnection: (socket: Socket) => void): Promise<Stub> {
  const sockets = new Set<Socket>()
  let accepted = 0
  const server: Server = createServer((socket) => {
    accepted++
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
    onConnection(socket)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('stub has no TCP address')
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    accepted: () => accepted,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Accepts connections, reads requests, never answers. */
export function startSilentStub(): Promise<Stub> {
  return startStub((socket) => socket.resume())
}

/** Answers the first request with `response` (raw bytes) and then leaves the socket as it is. */
export function startRawStub(response: string): Promise<Stub> {
  return startStub((socket) => {
    socket.once('data', () => socket.write(response))
  })
}

/** A loopback URL where nothing listens: a port the OS handed out and took back. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${address.port}`
}
