/**
 * The raw TCP client: writes a case's steps byte for byte (optionally split into many writes),
 * reads with the strict ResponseReader, then probes whether the connection is still usable.
 */
import net from 'node:net'
import type { Step } from '../types.ts'
import { concat } from '../wire/bytes.ts'
import { headerValue, type ParsedResponse, ResponseReader } from '../wire/response-reader.ts'

/** The probe that tells an open, in-sync connection from a closed or desynchronised one. */
export const PROBE_TARGET = '/__conformance_probe'
export const PROBE = new TextEncoder().encode(`GET ${PROBE_TARGET} HTTP/1.1\r\nHost: probe.invalid\r\n\r\n`)

export interface Observation {
  /** Final responses to the case's requests (the probe's response is not included). */
  readonly responses: readonly ParsedResponse[]
  /** 'open': the probe was answered; 'close': EOF or reset; 'hung': neither within the time budget. */
  readonly connection: 'open' | 'close' | 'hung'
  readonly reset: boolean
  /** Why the strict reader gave up on the server's bytes, if it did. */
  readonly readerError: string | null
  /** A write failed (the server closed before we finished sending). */
  readonly writeError: string | null
  readonly elapsedMs: number
  /** Everything received, for the report (capped). */
  readonly received: Uint8Array
  /** The response to the probe, if any (reflect targets check its target to detect desync). */
  readonly probe: ParsedResponse | null
}

export interface RawRunOptions {
  readonly host: string
  readonly port: number
  readonly steps: readonly Step[]
  readonly methods?: readonly string[]
  /** How many final responses the case can produce at most, before probing. */
  readonly expectResponses: number
  /** Upper bound for each wait (ms). */
  readonly timeoutMs: number
  /** Split each splittable send step into these pieces (see split.ts); null = one write per step. */
  readonly splitter?: ((bytes: Uint8Array) => Uint8Array[]) | null
  /** Pause between split pieces (ms). */
  readonly splitPauseMs?: number
  /** Whether to send the probe at all. */
  readonly probe?: boolean
}

const MAX_KEEP = 256 * 1024

export function runRaw(opts: RawRunOptions): Promise<Observation> {
  const started = performance.now()
  const reader = new ResponseReader([...(opts.methods ?? []), 'GET'])
  const received: Uint8Array[] = []
  let receivedBytes = 0
  let closed = false
  let reset = false
  let writeError: string | null = null
  let wake: (() => void) | null = null
  const notify = (): void => {
    const w = wake
    wake = null
    w?.()
  }

  const socket = net.connect({ host: opts.host, port: opts.port })
  socket.setNoDelay(true)
  socket.on('data', (chunk: Buffer) => {
    if (receivedBytes < MAX_KEEP) received.push(chunk)
    receivedBytes += chunk.length
    reader.push(chunk)
    notify()
  })
  socket.on('end', () => {
    closed = true
    reader.end()
    notify()
  })
  socket.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE') reset = true
    else writeError ??= err.message
    closed = true
    reader.end()
    notify()
  })
  socket.on('close', () => {
    closed = true
    notify()
  })

  /** Waits until `done()` holds, the connection closes, or `ms` pass. */
  const until = (done: () => boolean, ms: number): Promise<void> =>
    new Promise((resolve) => {
      const deadline = setTimeout(finish, ms)
      function check(): void {
        if (closed || done() || reader.error) finish()
        else wake = check
      }
      function finish(): void {
        clearTimeout(deadline)
        wake = null
        resolve()
      }
      check()
    })
  const answeredWithClose = (): boolean =>
    reader.responses.some((r) => /\bclose\b/i.test(headerValue(r.headers, 'connection') ?? ''))
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

  const write = (bytes: Uint8Array): Promise<void> =>
    new Promise((resolve) => {
      if (closed || socket.destroyed || !socket.writable) {
        writeError ??= 'connection closed before all bytes were written'
        resolve()
        return
      }
      socket.write(bytes, (err) => {
        if (err) writeError ??= err.message
        resolve()
      })
    })

  const run = async (): Promise<Observation> => {
    await new Promise<void>((resolve) => {
      socket.once('connect', () => resolve())
      socket.once('close', () => resolve())
    })
    let shutdown = false
    for (const step of opts.steps) {
      if (closed) break
      switch (step.kind) {
        case 'send': {
          const pieces = opts.splitter && step.split !== false ? opts.splitter(step.bytes) : [step.bytes]
          for (let i = 0; i < pieces.length && !closed; i++) {
            // Once the server has answered with "Connection: close", further writes only provoke a
            // reset that can destroy the response before we read it.
            if (i > 0 && answeredWithClose()) break
            if (i > 0) await sleep(opts.splitPauseMs ?? 1)
            await write(pieces[i]!)
          }
          break
        }
        case 'pause':
          await sleep(step.ms)
          break
        case 'await-response':
          await until(() => reader.responses.length >= step.count && !reader.midMessage, opts.timeoutMs)
          break
        case 'await-interim': {
          const before = reader.interims.length
          const finals = reader.responses.length
          await until(
            () => reader.interims.length > before || reader.responses.length > finals,
            Math.min(opts.timeoutMs, 1500),
          )
          break
        }
        case 'shutdown':
          shutdown = true
          if (!closed) socket.end()
          break
      }
    }
    await until(
      () => (reader.responses.length >= opts.expectResponses && !reader.midMessage) || reader.stopped,
      opts.timeoutMs,
    )
    if (!closed && (shutdown || opts.probe === false) && !reader.stopped) {
      // No probe to tell open from closing: wait for the close itself, within the budget.
      await until(() => false, opts.timeoutMs)
    }
    const caseResponses = reader.responses.length
    let probe: ParsedResponse | null = null
    let connection: Observation['connection'] = closed ? 'close' : 'hung'
    if (!closed && !shutdown && !reader.error && !reader.stopped && opts.probe !== false) {
      await write(PROBE)
      await until(() => reader.responses.length > caseResponses && !reader.midMessage, opts.timeoutMs)
      if (reader.responses.length > caseResponses) {
        probe = reader.responses[reader.responses.length - 1]!
        connection = 'open'
      } else if (closed) {
        connection = 'close'
      }
    } else if (!closed && shutdown) {
      connection = 'hung'
    }
    socket.destroy()
    const responses = probe ? reader.responses.slice(0, -1) : reader.responses.slice()
    return {
      responses,
      connection,
      reset,
      readerError: reader.error,
      writeError,
      elapsedMs: Math.round(performance.now() - started),
      received: concat(received),
      probe,
    }
  }
  return run()
}
