/** sockhttp: an HTTP/1.1 server framework on raw TCP sockets. */

export { App } from './app/app.ts'
export { HttpError } from './app/errors.ts'
export { consoleLogger, type Logger, silentLogger } from './app/logger.ts'
export { Request, RequestHeaders } from './app/request.ts'
export { type HeadersInit, type JsonValue, Response, type ResponseBody } from './app/response.ts'
export {
  ANY_METHOD,
  type Handler,
  type Method,
  type Route,
  type RouteMatch,
  Router,
  type Routes,
} from './app/router.ts'
export { APP_NAMES, type AppName, createApp } from './apps/index.ts'
export { ParseError, type ParseErrorCode } from './http1/errors.ts'
export type { ServerLimits, ServerOptions, ServerTimeouts } from './server/options.ts'
export { DEFAULT_SERVER_LIMITS, DEFAULT_TIMEOUTS } from './server/options.ts'
export { HandlerPool, type PoolStats } from './server/pool.ts'
export { type BoundAddress, Server, type ServerStats } from './server/server.ts'
