/**
 * Starts a Server on 127.0.0.1 port 0 for one test and closes it afterwards, however the test
 * ends. Tests get the port and the server (for its stats), never a hard-coded address.
 */
import { afterEach } from 'vitest'
import type { App } from '../app/app.ts'
import type { Router, Routes } from '../app/router.ts'
import type { ServerOptions } from '../server/options.ts'
import { Server } from '../server/server.ts'

export interface TestServer {
  readonly server: Server
  readonly port: number
  readonly url: string
  close(): Promise<void>
}

const running = new Set<Server>()

/** Registers the cleanup once per test file that imports this module. */
afterEach(async () => {
  const servers = [...running]
  running.clear()
  // A short deadline: a test that leaves connections open must not slow the suite down.
  await Promise.all(servers.map((server) => server.close({ deadline: 200 })))
})

export async function startServer(
  routes: Routes | App | Router,
  options: ServerOptions = {},
): Promise<TestServer> {
  const server = new Server(routes, options)
  running.add(server)
  const { port } = await server.start(0, '127.0.0.1')
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => {
      running.delete(server)
      return server.close({ deadline: 1_000 })
    },
  }
}

/** A promise with its resolve function, for handlers that wait on the test. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/**
 * Waits for a condition the server changes on its own (e.g. a connection count after a close
 * the client has already seen), checking on each turn of the event loop, bounded by `ms`.
 */
export async function until(condition: () => boolean, what: string, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
