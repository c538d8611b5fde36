/**
 * What the three services have in common: server settings sized for small JSON bodies, a logger
 * that names the service, and a handle to stop them.
 */
import { type Logger, type Routes, Server } from '../../src/index.ts'
import { originOf } from './config.ts'

/** An order is about 50 bytes of JSON; anything past 1 KiB is refused with 413 before it is buffered. */
export const MAX_BODY_BYTES = 1024

export interface ServiceOptions {
  /** 0 lets the OS choose (tests). */
  readonly port?: number
  readonly host?: string
  readonly logger?: Logger
}

export interface ServiceHandle {
  readonly host: string
  readonly port: number
  /** http://host:port */
  readonly url: string
  /** Stops accepting, lets requests in progress finish, then releases downstream connections. */
  close(): Promise<void>
}

/** Lets requests already being handled finish; nothing in this example takes longer. */
const CLOSE_DEADLINE_MS = 5_000

export async function startService(
  routes: Routes,
  options: ServiceOptions,
  releaseResources: () => Promise<void> = async () => {},
): Promise<ServiceHandle> {
  const server = new Server(routes, {
    // Bursts of a thousand clients connect at once in the concurrency test.
    backlog: 1024,
    // Handlers mostly wait on a downstream service, so many can be in flight on one core.
    poolSize: 256,
    queueLimit: 4096,
    limits: { maxBodySize: MAX_BODY_BYTES },
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  })
  const address = await server.start(options.port ?? 0, options.host ?? '127.0.0.1')
  let closing: Promise<void> | undefined
  return {
    host: address.host,
    port: address.port,
    url: originOf(address),
    close() {
      closing ??= server.close({ deadline: CLOSE_DEADLINE_MS }).then(releaseResources)
      return closing
    },
  }
}

/** Logs errors always and request lines only when asked (STOCKS_LOG=1), prefixed with the service name. */
export function consoleLogger(service: string, verbose: boolean): Logger {
  return {
    info(line) {
      if (verbose) process.stderr.write(`[${service}] ${line}\n`)
    },
    error(message, err) {
      const detail =
        err instanceof Error ? `: ${err.stack ?? err.message}` : err === undefined ? '' : `: ${String(err)}`
      process.stderr.write(`[${service}] ${message}${detail}\n`)
    },
  }
}
