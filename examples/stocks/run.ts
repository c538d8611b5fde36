/**
 * `npm run example`: starts catalog, order and gateway, each in its own process, in dependency
 * order so that a service started on port 0 is known to the ones that call it. Prints each
 * service's `listening on http://HOST:PORT` line, then a ready line with a curl command to try.
 * On SIGINT or SIGTERM it stops them from the edge inwards (gateway, order, catalog) and exits 0.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import {
  ConfigError,
  type Endpoint,
  loadConfig,
  originOf,
  type ServiceName,
  type StocksConfig,
} from './config.ts'

const SERVE_ENTRY = fileURLToPath(new URL('./serve.ts', import.meta.url))
/** tsx compiles on first start; a busy machine can take a few seconds. */
const START_TIMEOUT_MS = 30_000
/** Each service gets this long to close before it is killed. */
const STOP_TIMEOUT_MS = 12_000
const LISTENING = /^listening on http:\/\/(\[[^\]]+\]|[^:]+):(\d+)$/

interface Running {
  readonly name: ServiceName
  readonly child: ChildProcess
  readonly exited: Promise<number | null>
  /** Where it listens, once it has said so. */
  readonly listening: Promise<Endpoint>
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return once(child, 'exit').then(([code]) => code as number | null)
}

/** Spawns `serve.ts <name>` with the given environment; `listening` resolves when it prints its listening line. */
function spawnService(name: ServiceName, env: NodeJS.ProcessEnv): Running {
  // The same loader flags (tsx) this process was started with, so the child can run TypeScript too.
  // The IPC channel is only a lifeline: if this process dies, the child sees 'disconnect' and stops.
  const child = spawn(process.execPath, [...process.execArgv, SERVE_ENTRY, name], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  const exited = exitOf(child)
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk))

  const listening = new Promise<Endpoint>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms`))
    }, START_TIMEOUT_MS)
    let started = false
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = started ? null : LISTENING.exec(line)
      if (match === null) {
        process.stdout.write(`[${name}] ${line}\n`)
        return
      }
      started = true
      clearTimeout(timer)
      process.stdout.write(`${line}\n`)
      resolve({ host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) })
    })
    void exited.then((code) => {
      clearTimeout(timer)
      if (!started) reject(new Error(`${name} exited with code ${code} before listening`))
    })
  })
  return { name, child, exited, listening }
}

function endpointEnv(name: ServiceName, endpoint: Endpoint): NodeJS.ProcessEnv {
  const prefix = name.toUpperCase()
  return { [`${prefix}_HOST`]: endpoint.host, [`${prefix}_PORT`]: String(endpoint.port) }
}

async function stopService(service: Running): Promise<number | null> {
  if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGTERM')
  const timer = setTimeout(() => service.child.kill('SIGKILL'), STOP_TIMEOUT_MS)
  const code = await service.exited
  clearTimeout(timer)
  return code
}

/** Stops the services last-started first: the gateway stops taking traffic before what it depends on goes. */
async function stopAll(services: readonly Running[]): Promise<boolean> {
  let clean = true
  for (const service of [...services].reverse()) {
    const code = await stopService(service)
    if (code !== 0) {
      clean = false
      process.stderr.write(`${service.name} exited with ${code === null ? 'a signal' : `code ${code}`}\n`)
    }
  }
  return clean
}

async function main(config: StocksConfig): Promise<number> {
  const services: Running[] = []
  let stopping = false
  let resolveStop: (code: number) => void = () => {}
  const stopped = new Promise<number>((resolve) => {
    resolveStop = resolve
  })
  const stop = (reason: string, failure: boolean) => {
    if (stopping) return
    stopping = true
    process.stdout.write(`${reason}: stopping gateway, order, catalog\n`)
    void stopAll(services).then((clean) => {
      process.stdout.write(clean && !failure ? 'stopped\n' : 'stopped with errors\n')
      resolveStop(clean && !failure ? 0 : 1)
    })
  }
  process.on('SIGINT', () => stop('SIGINT', false))
  process.on('SIGTERM', () => stop('SIGTERM', false))

  const launch = (name: ServiceName, env: NodeJS.ProcessEnv): Promise<Endpoint> => {
    // Tracked from the moment it is spawned, so a SIGINT during start-up stops it too.
    const service = spawnService(name, env)
    services.push(service)
    void service.exited.then((code) => {
      // Exit code 0 means it was signalled and closed cleanly (Ctrl-C reaches the whole process group).
      if (!stopping)
        stop(code === 0 ? `${name} stopped` : `${name} exited unexpectedly (code ${code})`, code !== 0)
    })
    return service.listening
  }

  try {
    const base = {
      ...process.env,
      ...endpointEnv('catalog', config.catalog),
      ...endpointEnv('order', config.order),
    }
    const catalog = await launch('catalog', base)
    if (stopping) return stopped
    const order = await launch('order', { ...base, ...endpointEnv('catalog', catalog) })
    if (stopping) return stopped
    const gateway = await launch('gateway', {
      ...base,
      ...endpointEnv('catalog', catalog),
      ...endpointEnv('order', order),
      ...endpointEnv('gateway', config.gateway),
    })
    if (stopping) return stopped
    const url = originOf(gateway)
    process.stdout.write(
      `ready: gateway ${url} (order ${originOf(order)}, catalog ${originOf(catalog)}); try: curl -s ${url}/stocks/NXTI\n`,
    )
  } catch (err) {
    if (!stopping) process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
    stop('start failed', true)
  }
  return stopped
}

let config: StocksConfig
try {
  config = loadConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  process.stderr.write(`${err.message}\n`)
  process.exit(2)
}
main(config).then((code) => process.exit(code))
