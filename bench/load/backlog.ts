/**
 * The listen backlog made observable. The server's event loop is blocked (IPC hook), so it calls
 * accept() on nothing; N = B + extra clients connect. Linux completes handshakes only while the
 * accept queue holds at most min(B, somaxconn) + 1 connections and drops further SYNs (the
 * clients retry after 1 s, 3 s, ...). The queue is read on the server side, from `ss -ltn`
 * (Recv-Q = queued, Send-Q = the backlog in force) or /proc/net/tcp: a client's 'connect' event
 * proves nothing, because a client whose final ACK the full queue dropped believes it is
 * connected while the server holds no socket for it. After the block, every client sends a
 * request; the check reports how many got an answer.
 */
import { readFileSync } from 'node:fs'
import net from 'node:net'
import type { ServerProcess } from '../lib/child.ts'
import type { TargetStats } from '../lib/ipc.ts'
import { listenQueue } from '../lib/procfs.ts'
import { type Assertion, type CheckResult, equal, result } from './check.ts'
import { startTarget, type TargetName } from './targets.ts'

export interface BacklogParams {
  readonly backlog: number
  /** Clients beyond the backlog. */
  readonly extra: number
  /** How long the event loop stays blocked. */
  readonly blockMs: number
  /** When the accept queue is read, after the first connect. */
  readonly windowMs: number
  /** How long to wait for answers once the block is over. */
  readonly answerWaitMs: number
}

export const BACKLOG_DEFAULTS: Omit<BacklogParams, 'backlog'> = {
  extra: 20,
  blockMs: 2000,
  windowMs: 500,
  answerWaitMs: 10_000,
}

export function somaxconn(): number | null {
  try {
    return Number(readFileSync('/proc/sys/net/core/somaxconn', 'latin1').trim())
  } catch {
    return null
  }
}

interface Client {
  readonly socket: net.Socket
  connectEvent: boolean
  answered: boolean
}

export async function checkBacklog(target: TargetName, p: BacklogParams): Promise<CheckResult> {
  const started = Date.now()
  const server = await startTarget(target, { backlog: p.backlog })
  const clients: Client[] = []
  try {
    return await measure(server, target, p, clients, started)
  } finally {
    for (const c of clients) c.socket.destroy()
    await server.stop()
  }
}

async function measure(
  server: ServerProcess,
  target: TargetName,
  p: BacklogParams,
  clients: Client[],
  started: number,
): Promise<CheckResult> {
  const cap = somaxconn()
  const expectedQueued = Math.min(p.backlog, cap ?? p.backlog) + 1
  const n = p.backlog + p.extra

  await server.call({ type: 'block', ms: p.blockMs })
  const t0 = Date.now()
  for (let i = 0; i < n; i++) {
    const socket = net.connect({ host: server.host, port: server.port })
    const c: Client = { socket, connectEvent: false, answered: false }
    socket.on('error', () => {})
    socket.once('connect', () => {
      c.connectEvent = true
    })
    clients.push(c)
  }
  // A measurement window, not a synchronisation: the kernel has nothing to tell us when it is "done".
  await new Promise((r) => setTimeout(r, Math.max(0, p.windowMs - (Date.now() - t0))))
  const queue = listenQueue(server.port)
  const connectEvents = clients.filter((c) => c.connectEvent).length
  const readAtMs = Date.now() - t0
  const blockStillOn = readAtMs < p.blockMs

  // The stats reply only comes once the server's event loop runs again, i.e. when the block is over.
  await server.call<TargetStats>({ type: 'stats' }, p.blockMs + 30_000)
  const blockEndedMs = Date.now() - t0

  const answered = await new Promise<number>((resolve) => {
    let pending = clients.length
    let count = 0
    const timer = setTimeout(() => resolve(count), p.answerWaitMs)
    const settle = (): void => {
      if (--pending === 0) {
        clearTimeout(timer)
        resolve(count)
      }
    }
    for (const c of clients) {
      let buf = ''
      c.socket.setEncoding('latin1')
      c.socket.on('data', (d: string) => {
        buf += d
        if (!c.answered && buf.startsWith('HTTP/1.1 ') && buf.includes('\r\n\r\n')) {
          c.answered = true
          count++
          settle()
        }
      })
      c.socket.once('close', () => {
        if (!c.answered) settle()
      })
      c.socket.write('GET / HTTP/1.1\r\nHost: backlog\r\nConnection: close\r\n\r\n')
    }
  })
  const stats = await server.call<TargetStats>({ type: 'stats' })

  const assertions: Assertion[] = [
    {
      name: 'the accept queue was read while the event loop was still blocked',
      expected: `< ${p.blockMs} ms`,
      actual: `${readAtMs} ms`,
      pass: blockStillOn,
    },
  ]
  if (queue) {
    assertions.push(
      equal(
        `handshakes completed within ${p.windowMs} ms (accept queue, ${queue.source})`,
        expectedQueued,
        queue.recvQ,
      ),
    )
    if (queue.sendQ !== null)
      assertions.push(
        equal('backlog in force (ss Send-Q)', Math.min(p.backlog, cap ?? p.backlog), queue.sendQ),
      )
  } else {
    assertions.push({
      name: 'accept queue readable (ss or /proc/net/tcp)',
      expected: 'readable',
      actual: 'unavailable',
      pass: false,
    })
  }
  return result(
    `backlog-${p.backlog}`,
    'backlog',
    target,
    { backlog: p.backlog, clients: n, blockMs: p.blockMs, windowMs: p.windowMs, somaxconn: cap ?? 'unknown' },
    assertions,
    {
      acceptQueue: queue,
      expectedQueued,
      clientConnectEvents: connectEvents,
      clientConnectEventsNote: "informative only: a client whose final ACK was dropped still sees 'connect'",
      blockEndedAfterMs: blockEndedMs,
      answered,
      unanswered: n - answered,
      serverConnectionsAccepted: stats.connectionsAccepted,
    },
    started,
  )
}
