/**
 * Runs sockhttp's RequestParser over a byte stream cut into writes, and reduces what it emitted
 * to the shared outcome shape. The run is bounded: a parser that keeps returning events without
 * consuming input is reported as a livelock instead of hanging the fuzzer.
 */
import { ParseError } from '../../src/http1/errors.ts'
import { RequestParser } from '../../src/http1/parser.ts'
import type { ParserEvent, ParserOptions, RequestHead } from '../../src/http1/types.ts'
import { concat } from '../arbitraries/model.ts'
import type { ParsedMessage, ParseOutcome, StreamEnd } from '../outcome.ts'

export type ParserFactory = () => RequestParser

export const defaultParser = (options: ParserOptions = {}): ParserFactory =>
  function makeParser() {
    return new RequestParser(options)
  }

/** An event with body data copied out (the parser hands out views of fed memory). */
export type RecordedEvent =
  | { readonly type: 'head'; readonly head: RequestHead }
  | { readonly type: 'body'; readonly data: Uint8Array }
  | { readonly type: 'end'; readonly trailers: readonly string[] }
  | { readonly type: 'error'; readonly code: string; readonly status: number; readonly offset: number }

export interface OurRun {
  readonly events: RecordedEvent[]
  readonly outcome: ParseOutcome
  readonly bytesExamined: number
  /** Something other than a ParseError escaped, or the parser spun without progress. */
  readonly crash: string | null
}

/** Events one `next()` loop may return per fed byte before we call it a livelock. */
const EVENTS_PER_BYTE = 4
const EVENT_SLACK = 64

export function runOurs(bytes: Uint8Array, segments: readonly number[], make: ParserFactory): OurRun {
  const parser = make()
  const events: RecordedEvent[] = []
  let crash: string | null = null
  let budget = EVENTS_PER_BYTE * bytes.length + EVENT_SLACK
  let dead = false
  const drain = (first: ParserEvent | null): void => {
    let ev = first ?? parser.next()
    for (;;) {
      if (--budget < 0) {
        crash = 'livelock: too many events for the bytes fed'
        dead = true
        return
      }
      if (ev.type === 'need-data') return
      if (ev.type === 'error') {
        if (!(ev.error instanceof ParseError)) crash = `error event without a ParseError: ${String(ev.error)}`
        events.push({
          type: 'error',
          code: ev.error.code,
          status: ev.error.statusHint,
          offset: ev.error.offset,
        })
        dead = true
        return
      }
      if (ev.type === 'body') {
        if (ev.data.length === 0) {
          crash = 'empty body event'
          dead = true
          return
        }
        events.push({ type: 'body', data: ev.data.slice() })
      } else if (ev.type === 'head') events.push({ type: 'head', head: ev.head })
      else events.push({ type: 'end', trailers: ev.trailers })
      ev = parser.next()
    }
  }
  try {
    let at = 0
    for (const n of segments) {
      if (dead) break
      parser.feed(bytes.subarray(at, at + n))
      at += n
      drain(null)
    }
    if (!dead && at < bytes.length) {
      parser.feed(bytes.subarray(at))
      drain(null)
    }
    if (!dead) drain(parser.finish())
  } catch (err) {
    // The stack is left out on purpose: failures are compared by their text while shrinking.
    crash = `threw: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`
  }
  return { events, outcome: toOutcome(events), bytesExamined: parser.bytesExamined, crash }
}

export function toOutcome(events: readonly RecordedEvent[]): ParseOutcome {
  const messages: ParsedMessage[] = []
  let head: RequestHead | null = null
  let body: Uint8Array[] = []
  let end: StreamEnd = { kind: 'clean' }
  for (const ev of events) {
    if (ev.type === 'head') {
      head = ev.head
      body = []
    } else if (ev.type === 'body') body.push(ev.data)
    else if (ev.type === 'end' && head !== null) {
      messages.push({
        method: head.method,
        target: head.target,
        version: head.version,
        headers: head.rawHeaders,
        body: concat(body),
        trailers: ev.trailers,
        keepAlive: head.keepAlive,
        // Only CONNECT stops our parser; an Upgrade offer is declined and parsing goes on.
        upgrade: head.upgrade === 'CONNECT',
      })
      head = null
    } else if (ev.type === 'error')
      end = { kind: 'error', code: ev.code, status: ev.status, offset: ev.offset }
  }
  return { messages, end, partialHead: head !== null }
}
