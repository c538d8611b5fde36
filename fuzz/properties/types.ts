/** What every fuzz property provides to the runner, the CLI, the regressions and the tests. */
import type fc from 'fast-check'
import type { ParserFactory } from '../oracle/ours.ts'

export interface TcpTarget {
  readonly host: string
  readonly port: number
  /** Our own server: responses can be checked against our parser's verdict byte for byte. */
  readonly isSockhttp: boolean
}

export interface PropertyContext {
  readonly make: ParserFactory
  /** Where property `tcp` sends its streams; absent when no server is available. */
  readonly target?: TcpTarget
}

export interface PropertyFailure {
  readonly reason: string
  /** For the differential property: type, request or stream. */
  readonly class?: string
  /** Both parsers' results and anything else worth keeping, JSON-ready. */
  readonly details?: unknown
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export interface FuzzProperty<T> {
  readonly name: string
  readonly description: string
  /** Needs a TCP target (property 5). */
  readonly needsServer?: boolean
  arbitrary(ctx: PropertyContext): fc.Arbitrary<T>
  /** null when the property holds for this input. */
  check(input: T, ctx: PropertyContext): Promise<PropertyFailure | null>
  /**
   * Optional second shrinking pass on a failing input (fast-check's own shrinking runs first).
   * `stillFails` accepts only the same kind of failure.
   */
  reduce?(input: T, stillFails: (candidate: T) => Promise<boolean>, deadline: number): Promise<T>
  /** The raw bytes the input stands for, for reports. */
  bytes(input: T): Uint8Array
  /** JSON form of an input (regressions, reports) and back. */
  encode(input: T): Json
  decode(json: Json): T
}

/** Erases the input type so properties of different inputs can share a list. */
// biome-ignore lint/suspicious/noExplicitAny: the list is heterogeneous by design; each entry is used with its own T.
export type AnyProperty = FuzzProperty<any>
