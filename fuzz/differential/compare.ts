/**
 * Compares two parse outcomes of the same bytes and classifies the first disagreement:
 * - type:    at the same message, one parser accepts and the other rejects;
 * - request: both accept every message, but some field differs;
 * - stream:  the parsers see a different number of messages (framing disagrees).
 */
import type { ParsedMessage, ParseOutcome } from '../outcome.ts'

export type DisagreementClass = 'type' | 'request' | 'stream'

export interface Disagreement {
  readonly class: DisagreementClass
  /** Index of the first message where the parsers part ways. */
  readonly index: number
  /** Which side accepted, for `type`; which field differs, for `request`. */
  readonly detail: string
  readonly field?: keyof ParsedMessage
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i])
const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i])

/** The first field where two messages differ, or null. */
export function firstFieldDifference(a: ParsedMessage, b: ParsedMessage): keyof ParsedMessage | null {
  if (a.method !== b.method) return 'method'
  if (a.target !== b.target) return 'target'
  if (a.version !== b.version) return 'version'
  if (!sameList(a.headers, b.headers)) return 'headers'
  if (!sameBytes(a.body, b.body)) return 'body'
  if (!sameList(a.trailers, b.trailers)) return 'trailers'
  return null
}

/**
 * How many leading messages are comparable: up to and including the first one after which the
 * connection stops carrying HTTP/1.1 requests (RFC 9112 §9.6 close, RFC 9110 §7.8 upgrade,
 * CONNECT). What follows is data neither parser is obliged to read; llhttp refuses it with
 * HPE_CLOSED_CONNECTION, our parser keeps going and leaves the decision to the connection.
 */
export function comparableCount(ours: ParseOutcome, node: ParseOutcome): number | null {
  const stopAt = (o: ParseOutcome, useKeepAlive: boolean): number =>
    o.messages.findIndex((m) => m.upgrade || (useKeepAlive && !m.keepAlive))
  const a = stopAt(ours, true)
  const b = stopAt(node, false)
  if (a < 0 && b < 0) return null
  if (a < 0) return b + 1
  if (b < 0) return a + 1
  return Math.min(a, b) + 1
}

export function compareOutcomes(ours: ParseOutcome, node: ParseOutcome): Disagreement | null {
  const limit = comparableCount(ours, node)
  const n = limit ?? Math.max(ours.messages.length, node.messages.length) + 1
  for (let i = 0; i < n; i++) {
    const a = ours.messages[i]
    const b = node.messages[i]
    if (a !== undefined && b !== undefined) {
      const field = firstFieldDifference(a, b)
      if (field !== null) {
        const counts = ours.messages.length !== node.messages.length && limit === null
        return { class: counts ? 'stream' : 'request', index: i, detail: `${field} differs`, field }
      }
      continue
    }
    if (a === undefined && b === undefined) {
      // Both ran out of messages here: compare how each stream ended.
      if (ours.end.kind === node.end.kind) return null
      return {
        class: 'type',
        index: i,
        detail: ours.end.kind === 'error' ? 'node accepts, ours rejects' : 'ours accepts, node rejects',
      }
    }
    const other = a === undefined ? ours : node
    // llhttp refuses any byte after a message it judged non-persistent (RFC 9112 §9.6): this is a
    // keep-alive disagreement about the previous message, not a verdict on this one.
    if (a !== undefined && node.end.kind === 'error' && node.end.code === 'HPE_CLOSED_CONNECTION' && i > 0) {
      return {
        class: 'stream',
        index: i,
        detail: 'ours keeps the connection open, node closed it after the previous message',
      }
    }
    if (other.end.kind === 'error') {
      return {
        class: 'type',
        index: i,
        detail: a === undefined ? 'node accepts, ours rejects' : 'ours accepts, node rejects',
      }
    }
    return {
      class: 'stream',
      index: i,
      detail: a === undefined ? 'node sees more messages' : 'ours sees more messages',
    }
  }
  return null
}
