/**
 * The data model of the conformance catalog.
 *
 * A case is data: the bytes to send (in steps) and every outcome the RFC allows. The runner turns
 * what a target did into an Observation, and the verdict module picks the first allowed outcome that
 * matches it. Scenario cases are the exception: they drive a real client and judge what it saw.
 */

export type Level = 'MUST' | 'SHOULD' | 'MAY'
export type Rfc = 'RFC 9110' | 'RFC 9112' | 'RFC 6585'

export type Step =
  /** Bytes to write. `split: false` keeps them in one write even in split mode (e.g. a large body). */
  | { readonly kind: 'send'; readonly bytes: Uint8Array; readonly split?: boolean }
  | { readonly kind: 'pause'; readonly ms: number }
  /** Wait until `count` final responses have arrived in total (or the connection ended). */
  | { readonly kind: 'await-response'; readonly count: number }
  /** Wait for a 1xx interim response or a final response, whichever comes first (Expect: 100-continue). */
  | { readonly kind: 'await-interim' }
  /** Half-close: the client sends FIN and writes nothing more. No probe request follows. */
  | { readonly kind: 'shutdown' }

/** A status, a set of statuses, or 'accepted': 200 from reflect, any non-error status elsewhere. */
export type StatusMatch = number | readonly number[] | 'accepted'

/** What the reflect app (CONTRACTS.md §2) must report about the parsed request. */
export interface ReflectExpect {
  readonly method?: string
  readonly target?: string
  readonly version?: '1.0' | '1.1'
  /** The exact field list, in order. */
  readonly headers?: readonly (readonly [string, string])[]
  /** Some fields by case-insensitive name: the values joined with ', ' (or a pattern), or null for absent. */
  readonly fields?: Readonly<Record<string, string | RegExp | null>>
  /** The decoded body, as latin1 text. */
  readonly body?: string
  readonly trailers?: readonly (readonly [string, string])[]
}

export interface ResponseExpect {
  readonly status: StatusMatch
  /** The status line's HTTP-version, e.g. 'HTTP/1.1'. */
  readonly version?: string
  /** Whether a 100 Continue may, must or must not come first. Default 'allowed'. */
  readonly interim?: 'allowed' | 'required' | 'forbidden'
  /** Response fields by case-insensitive name: exact value, pattern, or null for absent. */
  readonly headers?: Readonly<Record<string, string | RegExp | null>>
  /** The response carries no body bytes (e.g. HEAD, 204, 304). */
  readonly bodyEmpty?: boolean
  readonly reflect?: ReflectExpect
}

export type ConnectionExpect = 'close' | 'open' | 'any'

/** One behaviour the RFC allows. `warn` marks an allowed-but-discouraged one (a SHOULD miss). */
export interface Outcome {
  readonly name: string
  readonly responses: readonly ResponseExpect[]
  readonly connection: ConnectionExpect
  readonly warn?: string
}

interface CaseBase {
  /** e.g. `9112-6.3/cl-te-conflict`: the RFC number, the section, a short slug. */
  readonly id: string
  readonly rfc: Rfc
  readonly section: string
  readonly level: Level
  /** The requirement in our own words. */
  readonly requirement: string
}

export interface WireCase extends CaseBase {
  readonly kind: 'wire'
  readonly steps: readonly Step[]
  readonly outcomes: readonly Outcome[]
  /** Request methods in the order sent, so HEAD and CONNECT responses are read without a body. */
  readonly methods?: readonly string[]
  /** Run the split-mode variant too (default true). */
  readonly split?: boolean
  /** Send the probe request after the case (default true). Off when probe bytes would complete the case's input. */
  readonly probe?: boolean
  /** Needs the target's configured headers timeout (the timeout cases). */
  readonly usesHeadersTimeout?: boolean
  /** Forces the case to count as reflect-dependent even without reflect checks. */
  readonly requiresReflect?: boolean
  /** The app the case talks to: reflect (default) or hello (routing: 404, 405 + Allow, 501). */
  readonly app?: 'hello'
}

export type ClientName = 'net' | 'undici' | 'node:http' | 'curl' | 'python3'

export interface ScenarioTarget {
  readonly host: string
  readonly port: number
  readonly reflect: boolean
  /** Connections the target has accepted, when the target can tell (in-process targets). */
  readonly connectionsAccepted?: () => number
}

export interface ScenarioContext {
  readonly target: ScenarioTarget
  readonly timeoutMs: number
}

export interface ScenarioResult {
  readonly status: 'pass' | 'warn' | 'fail' | 'skip'
  /** What the client observed (or why it was skipped). */
  readonly detail: string
  readonly expected?: string
}

export interface ScenarioCase extends CaseBase {
  readonly kind: 'scenario'
  readonly client: ClientName
  readonly run: (ctx: ScenarioContext) => Promise<ScenarioResult>
}

export type Case = WireCase | ScenarioCase

/** A file of cases: one RFC section (or a group of closely related ones). */
export interface CaseGroup {
  /** e.g. `RFC 9112 §6.3 Content-Length`. */
  readonly title: string
  readonly cases: readonly Case[]
}
