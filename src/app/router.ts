import type { Request } from './request.ts'
import type { Response } from './response.ts'

export type Handler = (request: Request) => Response | Promise<Response>

/** The methods SockHTTP routes by, plus the rest of RFC 9110 §9.3 a route may name. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'TRACE' | (string & {})

export interface Route {
  /** A RegExp matched against the path, or a string where `:name` matches one path segment. */
  readonly pattern: RegExp | string
  readonly method: Method
  readonly handler: Handler
  /** 'buffer' (default): the handler runs once the whole body is in `request.body`. 'stream': it runs at the head and reads `request.stream()`. */
  readonly body?: 'buffer' | 'stream'
}

/** SockHTTP's route table: a name for each route, tried in insertion order. */
export type Routes = Readonly<Record<string, Route>>

/** RFC 9110 §9: methods this server knows; any other method is answered 501 unless a route names it. */
const STANDARD_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
])

/** A route with this method answers every method (the built-in echo and reflect apps use it). */
export const ANY_METHOD = '*'

interface CompiledRoute {
  readonly regex: RegExp
  readonly method: string
  readonly handler: Handler
  readonly streamBody: boolean
  /** For a pattern without capture groups, the one match it ever produces; null when it captures. */
  readonly fixedMatch: RouteMatch | null
}

const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>

export type RouteMatch =
  | {
      readonly kind: 'handler'
      readonly handler: Handler
      readonly params: Record<string, string>
      readonly streamBody: boolean
    }
  | { readonly kind: 'not-found' }
  /** 405 with the Allow list (RFC 9110 §15.5.6). */
  | { readonly kind: 'method-not-allowed'; readonly allow: string }
  /** OPTIONS with no route of its own: 204 with Allow (RFC 9110 §9.3.7). */
  | { readonly kind: 'options'; readonly allow: string }
  /** RFC 9110 §9.1: a method the server does not implement at all. */
  | { readonly kind: 'not-implemented' }

/** Routing in order of declaration: `add()` and `match()`, nothing else. */
export class Router {
  readonly #routes: CompiledRoute[] = []
  readonly #methods = new Set(STANDARD_METHODS)

  add(route: Route): this {
    const regex = compilePattern(route.pattern)
    const streamBody = route.body === 'stream'
    this.#routes.push({
      regex,
      method: route.method.toUpperCase(),
      handler: route.handler,
      streamBody,
      // Most routes capture nothing: test() then decides, and the match is made once, here.
      fixedMatch:
        captureGroups(regex) === 0
          ? { kind: 'handler', handler: route.handler, params: NO_PARAMS, streamBody }
          : null,
    })
    if (route.method !== ANY_METHOD) this.#methods.add(route.method.toUpperCase())
    return this
  }

  match(method: string, path: string): RouteMatch {
    // RFC 9110 §9.3.2: HEAD is GET without the content, so a GET route serves it.
    const lookup = method === 'HEAD' ? 'GET' : method
    let allowed: Set<string> | null = null
    for (const route of this.#routes) {
      const fixed = route.fixedMatch
      let m: RegExpExecArray | null = null
      if (fixed !== null) {
        if (!route.regex.test(path)) continue
      } else {
        m = route.regex.exec(path)
        if (m === null) continue
      }
      if (route.method === lookup || route.method === method || route.method === ANY_METHOD) {
        if (m === null) return fixed!
        return { kind: 'handler', handler: route.handler, params: paramsOf(m), streamBody: route.streamBody }
      }
      allowed ??= new Set()
      allowed.add(route.method)
    }
    if (!this.#methods.has(method)) return { kind: 'not-implemented' }
    if (method === 'OPTIONS' && path === '*')
      return { kind: 'options', allow: allowHeader(new Set(this.#methods)) }
    if (allowed === null) return { kind: 'not-found' }
    const allow = allowHeader(allowed)
    return method === 'OPTIONS' ? { kind: 'options', allow } : { kind: 'method-not-allowed', allow }
  }
}

function allowHeader(methods: Set<string>): string {
  const list = new Set(methods)
  if (list.has('GET')) list.add('HEAD')
  list.add('OPTIONS')
  list.delete('CONNECT')
  return [...list].join(', ')
}

/** How many capture groups a pattern has: an alternative that matches the empty string reveals them. */
function captureGroups(regex: RegExp): number {
  return new RegExp(`${regex.source}|`, regex.flags.replace(/[gy]/g, '')).exec('')!.length - 1
}

function paramsOf(m: RegExpExecArray): Record<string, string> {
  const params: Record<string, string> = {}
  for (let i = 1; i < m.length; i++) {
    const value = m[i]
    if (value !== undefined) params[String(i)] = value
  }
  if (m.groups !== undefined) {
    for (const [name, value] of Object.entries(m.groups))
      if (value !== undefined) params[name] = decodeSegment(value)
  }
  return params
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/** `/stocks/:name` becomes `^/stocks/(?<name>[^/]+)$`; other characters match literally. */
export function compilePattern(pattern: RegExp | string): RegExp {
  if (pattern instanceof RegExp) return pattern
  let source = '^'
  for (const part of pattern.split(/(:[A-Za-z_][A-Za-z0-9_]*)/)) {
    if (part.startsWith(':')) source += `(?<${part.slice(1)}>[^/]+)`
    else source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`${source}$`)
}
