import { Response } from '../app/response.ts'
import type { Routes } from '../app/router.ts'
import { ANY_METHOD } from '../app/router.ts'
import { reflectApp } from './reflect.ts'

export { reflectRequest } from './reflect.ts'

/** The built-in apps of CONTRACTS.md §1, served by `npm run serve -- --app NAME`. */
export const APP_NAMES = ['hello', 'echo', 'reflect', 'slow'] as const
export type AppName = (typeof APP_NAMES)[number]

export function isAppName(name: string): name is AppName {
  return (APP_NAMES as readonly string[]).includes(name)
}

const HELLO = Buffer.from('Hello World')

/** `GET /` answers `Hello World` as text/plain. */
export function helloApp(): Routes {
  return {
    Hello: {
      pattern: /^\/$/,
      method: 'GET',
      handler: () => new Response(200, HELLO, [['Content-Type', 'text/plain']]),
    },
  }
}

/** A request with a body gets the body back under its own Content-Type; one without gets `OK`. */
export function echoApp(): Routes {
  return {
    Echo: {
      pattern: /^/,
      method: ANY_METHOD,
      handler: (request) => {
        if (request.body.length === 0) return new Response(200, 'OK', [['Content-Type', 'text/plain']])
        const type = request.headers.get('content-type') ?? 'application/octet-stream'
        return new Response(200, request.body, [['Content-Type', type]])
      },
    },
  }
}

/** Answers `OK` after `?ms=N` milliseconds (default 50) without blocking the event loop: it shows the handler pool at work. */
export function slowApp(): Routes {
  return {
    Slow: {
      pattern: /^/,
      method: ANY_METHOD,
      handler: async (request) => {
        const requested = Number(request.query.get('ms') ?? '50')
        const ms = Number.isFinite(requested) ? Math.min(Math.max(requested, 0), 60_000) : 50
        await new Promise((resolve) => setTimeout(resolve, ms))
        return new Response(200, 'OK', [['Content-Type', 'text/plain']])
      },
    },
  }
}

export function createApp(name: AppName): Routes {
  switch (name) {
    case 'hello':
      return helloApp()
    case 'echo':
      return echoApp()
    case 'reflect':
      return reflectApp()
    case 'slow':
      return slowApp()
  }
}
