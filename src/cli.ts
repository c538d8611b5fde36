#!/usr/bin/env node
/**
 * The `sockhttp` command. `serve` runs a built-in app (CONTRACTS.md §1); `conformance`, `fuzz`
 * and `bench` run the harness from a source checkout.
 */
import { parseArgs } from 'node:util'
import { consoleLogger, silentLogger } from './app/logger.ts'
import { APP_NAMES, createApp, isAppName } from './apps/index.ts'
import { Server } from './server/server.ts'

const USAGE = `usage: sockhttp serve --app <${APP_NAMES.join('|')}> [--impl sockhttp|node] [--host 127.0.0.1] [--port 0]
                      [--backlog N] [--pool N] [--queue N] [--max-connections N]
                      [--headers-timeout MS] [--keep-alive-timeout MS] [--log]
       sockhttp conformance|fuzz|bench [options]   (from a source checkout; see --help of each)

Prints "listening on http://HOST:PORT" once it accepts connections, and closes gracefully on SIGINT or SIGTERM.`

class UsageError extends Error {}

/** A server started by `serve`, whichever implementation runs it. */
export interface RunningServer {
  readonly host: string
  readonly port: number
  close(): Promise<void>
}

function integer(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--${name} needs a non-negative integer, got "${value}"`)
  return n
}

export async function serve(argv: readonly string[]): Promise<RunningServer> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      app: { type: 'string' },
      impl: { type: 'string', default: 'sockhttp' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      backlog: { type: 'string' },
      pool: { type: 'string' },
      queue: { type: 'string' },
      'max-connections': { type: 'string' },
      'headers-timeout': { type: 'string' },
      'keep-alive-timeout': { type: 'string' },
      log: { type: 'boolean', default: false },
    },
    strict: true,
  })
  const app = values.app
  if (app === undefined || !isAppName(app))
    throw new UsageError(`--app must be one of ${APP_NAMES.join(', ')}`)
  const port = integer(values.port, 'port', 0)
  // A port past 65535 would make listen() throw a RangeError: it is a usage error, not a crash.
  if (port > 65_535) throw new UsageError(`--port must be from 0 to 65535, got "${values.port}"`)
  const backlog = integer(values.backlog, 'backlog', 5)
  const headersTimeout = integer(values['headers-timeout'], 'headers-timeout', 60_000)
  const keepAliveTimeout = integer(values['keep-alive-timeout'], 'keep-alive-timeout', 5_000)

  if (values.impl === 'node') {
    // The node:http oracle lives in the harness, outside src/'s request path.
    const modulePath = new URL('../conformance/targets/node-apps.ts', import.meta.url).href
    const nodeApps = (await import(modulePath).catch(() => {
      throw new UsageError(
        '--impl node needs a source checkout (npm run serve); it is not part of the package',
      )
    })) as {
      startNodeApp(app: string, opts: Record<string, number | string>): Promise<RunningServer>
    }
    return nodeApps.startNodeApp(app, { host: values.host, port, backlog, headersTimeout, keepAliveTimeout })
  }
  if (values.impl !== 'sockhttp') throw new UsageError('--impl must be sockhttp or node')

  const server = new Server(createApp(app), {
    backlog,
    poolSize: integer(values.pool, 'pool', 4),
    queueLimit: integer(values.queue, 'queue', 1024),
    maxConnections: integer(values['max-connections'], 'max-connections', Number.MAX_SAFE_INTEGER),
    timeouts: { headers: headersTimeout, keepAlive: keepAliveTimeout },
    logger: values.log ? consoleLogger : silentLogger,
  })
  const address = await server.start(port, values.host)
  return { ...address, close: () => server.close() }
}

async function runHarness(name: string, argv: readonly string[]): Promise<void> {
  const modulePath = new URL(`../${name}/cli.ts`, import.meta.url).href
  process.argv = [process.argv[0]!, modulePath, ...argv]
  await import(modulePath).catch((error: unknown) => {
    throw new UsageError(
      `sockhttp ${name} needs a source checkout (npm run ${name}): ${(error as Error).message}`,
    )
  })
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv
  if (command === undefined) throw new UsageError('a command is needed')
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`)
    process.exit(0)
  }
  if (command === 'serve') {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${USAGE}\n`)
      process.exit(0)
    }
    const running = await serve(rest)
    const shownHost = running.host.includes(':') ? `[${running.host}]` : running.host
    process.stdout.write(`listening on http://${shownHost}:${running.port}\n`)
    const stop = () => {
      running.close().then(
        () => process.exit(0),
        () => process.exit(1),
      )
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    return
  }
  if (command === 'conformance' || command === 'fuzz' || command === 'bench') {
    await runHarness(command, rest)
    return
  }
  throw new UsageError(`unknown command "${command}"`)
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))
const invokedAsBin =
  process.argv[1]?.endsWith('sockhttp') === true || process.argv[1]?.endsWith('cli.js') === true
if (invokedDirectly || invokedAsBin) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true
    ) {
      process.stderr.write(`sockhttp: ${(error as Error).message}\n${USAGE}\n`)
      process.exit(2)
    }
    process.stderr.write(
      `sockhttp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exit(1)
  })
}
