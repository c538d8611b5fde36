/**
 * Runs one of the three services in this process:
 *   npx tsx examples/stocks/serve.ts catalog|order|gateway
 * Configured from the environment (see config.ts). Prints `listening on http://HOST:PORT` once it
 * accepts connections, and closes gracefully on SIGINT or SIGTERM, or when the parent that
 * spawned it with an IPC channel (run.ts) goes away.
 */
import { startCatalog } from './catalog.ts'
import {
  ConfigError,
  loadConfig,
  originOf,
  SERVICE_NAMES,
  type ServiceName,
  type StocksConfig,
} from './config.ts'
import { startGateway } from './gateway.ts'
import { startOrder } from './order.ts'
import { consoleLogger, type ServiceHandle } from './service.ts'

/** Past this, a close that is still waiting on something is abandoned. */
const FORCED_EXIT_MS = 10_000

function isServiceName(value: string | undefined): value is ServiceName {
  return SERVICE_NAMES.some((name) => name === value)
}

function start(name: ServiceName, config: StocksConfig): Promise<ServiceHandle> {
  const logger = consoleLogger(name, process.env.STOCKS_LOG === '1')
  const timeouts = {
    connectTimeoutMs: config.connectTimeoutMs,
    downstreamTimeoutMs: config.downstreamTimeoutMs,
  }
  const { host, port } = config[name]
  switch (name) {
    case 'catalog':
      return startCatalog({ host, port, logger })
    case 'order':
      return startOrder({ host, port, logger, catalogUrl: originOf(config.catalog), ...timeouts })
    case 'gateway':
      return startGateway({
        host,
        port,
        logger,
        catalogUrl: originOf(config.catalog),
        orderUrl: originOf(config.order),
        ...timeouts,
      })
  }
}

async function main(): Promise<number> {
  const name = process.argv[2]
  if (!isServiceName(name)) {
    process.stderr.write(`usage: serve.ts ${SERVICE_NAMES.join('|')}\n`)
    return 2
  }
  let config: StocksConfig
  try {
    config = loadConfig()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`[${name}] ${err.message}\n`)
    return 2
  }

  const handle = await start(name, config)
  process.stdout.write(`listening on ${handle.url}\n`)

  return new Promise<number>((resolve) => {
    let stopping = false
    const stop = () => {
      // Ctrl-C reaches the whole process group and run.ts signals us too: one close is enough.
      if (stopping) return
      stopping = true
      setTimeout(() => {
        process.stderr.write(`[${name}] close took longer than ${FORCED_EXIT_MS} ms, exiting\n`)
        resolve(1)
      }, FORCED_EXIT_MS).unref()
      handle.close().then(
        () => resolve(0),
        (err: unknown) => {
          process.stderr.write(`[${name}] close failed: ${String(err)}\n`)
          resolve(1)
        },
      )
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    if (process.connected) process.on('disconnect', stop)
  })
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `[${process.argv[2] ?? 'serve'}] failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
    )
    process.exit(1)
  },
)
