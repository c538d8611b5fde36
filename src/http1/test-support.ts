/**
 * Shared helpers for the http1 tests. Every input is fed to a fresh parser in many ways (whole,
 * byte by byte, and split at several points) and the tests assert that each way yields the same
 * events, so a rule that holds for one split holds for all of them. Consecutive body events are
 * concatenated, since their boundaries depend on the split and carry no meaning.
 */
import { expect } from 'vitest'
import type { ParseErrorCode } from './errors.ts'
import { RequestParser } from './parser.ts'
import type { ParserOptions, RequestHead } from './types.ts'

/** An event in a form that compares with toEqual: body bytes as latin1 text, errors as code and status. */
export type Collected =
  | { readonly type: 'head'; readonly head: RequestHead }
  | { readonly type: 'body'; readonly data: string }
  | { readonly type: 'end'; readonly trailers: readonly string[] }
  | { readonly type: 'error'; readonly code: ParseErrorCode; readonly status: number }

export interface RunResult {
  readonly events: Collected[]
  /** What finish() returned after the last byte, when asked for: an error, or need-data (null). */
  readonly finished?: Collected | null
  /** Bytes fed but never consumed, e.g. the bytes after an upgrade. */
  readonly buffered: number
}

/** What the helpers drive: the real RequestParser, or a deliberately broken stand-in in the helpers' own tests. */
export type ParserLike = Pick<RequestParser, 'feed' | 'next' | 'finish' | 'bufferedBytes'>

export interface RunOptions extends ParserOptions {
  /** Call finish() after the last chunk, as when the peer closes. */
  readonly finish?: boolean
  /** Builds the parser under test; a new RequestParser by default. */
  readonly createParser?: (options: ParserOptions) => ParserLike
}

/** Test inputs are written as JS strings with one code unit per byte (latin1), so `\x80` is byte 0x80. */
export function bytes(input: string | Uint8Array): Uint8Array {
  if (typeof input !== 'string') return input
  for (let i = 0; i < input.length; i++) {
    if (input.charCodeAt(i) > 0xff) throw new Error(`test input has a code unit above 0xff at ${i}`)
  }
  return new Uint8Array(Buffer.from(input, 'latin1'))
}

export function latin1(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1')
}

/** Feeds the chunks in order, draining events after each, and stops at the first error. */
export function runChunks(chunks: readonly Uint8Array[], options: RunOptions = {}): RunResult {
  const parser = options.createParser?.(options) ?? new RequestParser(options)
  const events: Collected[] = []
  const push = (event: ReturnType<RequestParser['next']>): 'more' | 'stop' | 'wait' => {
    switch (event.type) {
      case 'need-data':
        return 'wait'
      case 'head':
        events.push({ type: 'head', head: event.head })
        return 'more'
      case 'body': {
        expect(event.data.length, 'a body event carries at least one byte').toBeGreaterThan(0)
        const last = events[events.length - 1]
        const data = latin1(event.data)
        if (last?.type === 'body') events[events.length - 1] = { type: 'body', data: last.data + data }
        else events.push({ type: 'body', data })
        return 'more'
      }
      case 'end':
        events.push({ type: 'end', trailers: [...event.trailers] })
        return 'more'
      case 'error':
        events.push({ type: 'error', code: event.error.code, status: event.error.statusHint })
        return 'stop'
    }
  }
  let stopped = false
  for (const chunk of chunks) {
    // Copy each chunk: the parser keeps references, and splits share one source buffer.
    parser.feed(chunk.slice())
    let step = push(parser.next())
    while (step === 'more') step = push(parser.next())
    if (step === 'stop') {
      stopped = true
      break
    }
  }
  const result: { events: Collected[]; finished?: Collected | null; buffered: number } = {
    events,
    // After an error the rest of the input was not fed, so the count would depend on the split.
    buffered: stopped ? -1 : parser.bufferedBytes,
  }
  if (options.finish === true && !stopped) {
    const event = parser.finish()
    result.finished =
      event.type === 'error'
        ? { type: 'error', code: event.error.code, status: event.error.statusHint }
        : null
    if (event.type !== 'error' && event.type !== 'need-data') {
      throw new Error(`finish() returned ${event.type} after every event was drained`)
    }
  }
  return result
}

/**
 * The ways one input is cut: whole, byte by byte, in two at the first bytes, the middle and the
 * last bytes, in two around every CR and LF (where line handling is most fragile), and in three.
 */
export function splitsOf(input: Uint8Array): Array<{ readonly name: string; readonly chunks: Uint8Array[] }> {
  const n = input.length
  const result: Array<{ name: string; chunks: Uint8Array[] }> = [{ name: 'whole', chunks: [input] }]
  if (n < 2) return result
  const bytewise: Uint8Array[] = []
  for (let i = 0; i < n; i++) bytewise.push(input.subarray(i, i + 1))
  result.push({ name: 'byte by byte', chunks: bytewise })
  const points = new Set<number>([1, 2, 3, n >> 2, n >> 1, (3 * n) >> 2, n - 2, n - 1])
  // Around line endings, but bounded so a large input does not multiply the work.
  let around = 0
  for (let i = 0; i < n && around < 40; i++) {
    const b = input[i]
    if (b === 0x0d || b === 0x0a) {
      points.add(i)
      points.add(i + 1)
      around++
    }
  }
  for (const p of [...points].sort((a, b) => a - b)) {
    if (p <= 0 || p >= n) continue
    result.push({ name: `split at ${p}`, chunks: [input.subarray(0, p), input.subarray(p)] })
  }
  const a = Math.max(1, Math.floor(n / 3))
  const b = Math.max(a + 1, Math.floor((2 * n) / 3))
  if (b < n) {
    result.push({
      name: `split at ${a} and ${b}`,
      chunks: [input.subarray(0, a), input.subarray(a, b), input.subarray(b)],
    })
  }
  return result
}

/**
 * Parses `input` every way splitsOf() cuts it, asserts that all ways agree with the whole feed,
 * and returns that common result.
 */
export function parseEveryWay(input: string | Uint8Array, options: RunOptions = {}): RunResult {
  const data = bytes(input)
  const splits = splitsOf(data)
  const reference = runChunks(splits[0]!.chunks, options)
  for (const split of splits.slice(1)) {
    const run = runChunks(split.chunks, options)
    expect(run, `fed ${split.name}, the events differ from the whole feed`).toEqual(reference)
  }
  return reference
}

/** The events of `input`, the same however it is split. */
export function events(input: string | Uint8Array, options: RunOptions = {}): Collected[] {
  return parseEveryWay(input, options).events
}

/** Asserts that the first message is rejected with `code` (and its documented status), however the input is split. */
export function expectError(
  input: string | Uint8Array,
  code: ParseErrorCode,
  status: number,
  options: RunOptions = {},
): void {
  const result = parseEveryWay(input, options)
  const last = result.events[result.events.length - 1]
  expect(last, 'the last event is the expected error').toEqual({ type: 'error', code, status })
  // A rejected request never reaches the application: no head precedes the error unless the
  // error is in the body.
  expect(result.events.filter((e) => e.type === 'error')).toHaveLength(1)
}

/** Asserts the first message is rejected with `code` before any head event is produced. */
export function expectHeadError(
  input: string | Uint8Array,
  code: ParseErrorCode,
  status: number,
  options: RunOptions = {},
): void {
  const result = parseEveryWay(input, options)
  expect(result.events).toEqual([{ type: 'error', code, status }])
}

/**
 * Asserts the input is one complete request, however it is split, and returns its head, body
 * (latin1) and trailers.
 */
export function expectRequest(
  input: string | Uint8Array,
  options: RunOptions = {},
): { head: RequestHead; body: string; trailers: readonly string[] } {
  const list = events(input, options)
  const types = list.map((e) => e.type)
  expect(types[0], `events: ${JSON.stringify(list)}`).toBe('head')
  expect(types[types.length - 1], `events: ${JSON.stringify(list)}`).toBe('end')
  expect(types.filter((t) => t === 'head')).toHaveLength(1)
  const head = (list[0] as Extract<Collected, { type: 'head' }>).head
  const bodyEvent = list.find((e) => e.type === 'body')
  const end = list[list.length - 1] as Extract<Collected, { type: 'end' }>
  return { head, body: bodyEvent?.type === 'body' ? bodyEvent.data : '', trailers: end.trailers }
}

/** Asserts the input is one complete request and returns its head. */
export function expectHead(input: string | Uint8Array, options: RunOptions = {}): RequestHead {
  return expectRequest(input, options).head
}

/** Builds a request head with CRLF line endings from its lines; the empty line is added. */
export function req(...lines: string[]): string {
  return `${lines.join('\r\n')}\r\n\r\n`
}

/** A GET for `/` with Host, plus the given field lines. */
export function get(...fields: string[]): string {
  return req('GET / HTTP/1.1', 'Host: example.com', ...fields)
}

/** A POST for `/` with Host and the given field lines, followed by `body` as-is. */
export function post(fields: readonly string[], body = ''): string {
  return req('POST / HTTP/1.1', 'Host: example.com', ...fields) + body
}
