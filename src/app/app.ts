import { type Handler, type Method, type Route, Router, type Routes } from './router.ts'

/**
 * The fluent form of a route table: `new App().get('/x', h).post('/y', h)`. It builds the same
 * ordered table as SockHTTP's `routes` map, and a Server accepts either.
 */
export class App {
  readonly routes: Route[] = []

  route(method: Method, pattern: RegExp | string, handler: Handler, options: Pick<Route, 'body'> = {}): this {
    this.routes.push({ method, pattern, handler, ...options })
    return this
  }

  get(pattern: RegExp | string, handler: Handler): this {
    return this.route('GET', pattern, handler)
  }

  post(pattern: RegExp | string, handler: Handler, options: Pick<Route, 'body'> = {}): this {
    return this.route('POST', pattern, handler, options)
  }

  put(pattern: RegExp | string, handler: Handler, options: Pick<Route, 'body'> = {}): this {
    return this.route('PUT', pattern, handler, options)
  }

  patch(pattern: RegExp | string, handler: Handler, options: Pick<Route, 'body'> = {}): this {
    return this.route('PATCH', pattern, handler, options)
  }

  delete(pattern: RegExp | string, handler: Handler): this {
    return this.route('DELETE', pattern, handler)
  }

  /** Any route answers every method given: `app.all('/echo', h)` for the built-in echo/reflect apps. */
  all(pattern: RegExp | string, handler: Handler, options: Pick<Route, 'body'> = {}): this {
    return this.route('*', pattern, handler, options)
  }
}

export function buildRouter(table: Routes | App | Router): Router {
  if (table instanceof Router) return table
  const router = new Router()
  const routes = table instanceof App ? table.routes : Object.values(table)
  for (const route of routes) router.add(route)
  return router
}
