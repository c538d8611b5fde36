/**
 * Starts a server in a child process and waits for the `listening on http://HOST:PORT` line
 * (CONTRACTS.md §1). The command is arbitrary (`npx tsx src/cli.ts serve ...` works), so the
 * same launcher drives sockhttp, node:http, the raw ceiling and the deliberately broken targets.
 * Our own child scripts also open an IPC channel (see ./ipc.ts) for stats and test hooks.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { IpcReply, IpcRequest } from './ipc.ts'
import { pidListeningOn } from './procfs.ts'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface LaunchOptions {
  readonly name: string
  readonly command: readonly string[]
  /** Open a Node IPC channel (only for our own scripts under bench/servers/). */
  readonly ipc?: boolean
  readonly startTimeoutMs?: number
  readonly env?: Record<string, string>
}

export interface ServerProcess {
  readonly name: string
  readonly command: readonly string[]
  readonly host: string
  readonly port: number
  readonly url: string
  /** The process that owns the listening socket (may be a grandchild of a wrapper). */
  readonly pid: number
  /** Sends an IPC request and resolves with the reply's data. */
  call<T>(request: IpcRequest, timeoutMs?: number): Promise<T>
  /** SIGTERM, then SIGKILL after a grace period. Resolves when the process has exited. */
  stop(): Promise<void>
}

/** `node --import tsx script.ts args...`: one process (no wrapper), TypeScript loaded by tsx. */
export function tsScript(
  relPath: string,
  args: readonly string[] = [],
  nodeFlags: readonly string[] = [],
): string[] {
  return [
    process.execPath,
    ...nodeFlags,
    '--import',
    'tsx',
    fileURLToPath(new URL(relPath, new URL('../../', import.meta.url))),
    ...args,
  ]
}

const LISTENING = /listening on http:\/\/(\[[^\]]+\]|[^\s:/]+):(\d+)/

export async function launch(opts: LaunchOptions): Promise<ServerProcess> {
  const [file, ...args] = opts.command
  if (file === undefined) throw new Error(`${opts.name}: empty command`)
  const child = spawn(file, args, {
    cwd: REPO_ROOT,
    // stdin is a pipe that closes when this process dies: our own scripts exit on its end.
    stdio: opts.ipc ? ['pipe', 'pipe', 'pipe', 'ipc'] : ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  const address = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(
      () =>
        fail(new Error(`${opts.name}: no "listening on" line within ${opts.startTimeoutMs ?? 30_000} ms`)),
      opts.startTimeoutMs ?? 30_000,
    )
    const fail = (err: Error): void => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`${err.message}\n--- stderr of ${opts.name} ---\n${stderr}`))
    }
    child.once('error', fail)
    const early = (code: number | null, signal: string | null): void =>
      fail(new Error(`${opts.name}: exited early (code ${code}, signal ${signal})`))
    child.once('exit', early)
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', function onData(d: string) {
      out += d
      const m = LISTENING.exec(out)
      if (!m) return
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      // Only our own listeners: `exited` above still waits for the real exit.
      child.off('exit', early)
      child.off('error', fail)
      resolve({ host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) })
    })
  })
  // Keep draining stdout so a chatty server never blocks on a full pipe.
  child.stdout?.resume()
  child.on('error', () => {})

  const pid = pidListeningOn(address.port, child.pid ?? 0) ?? child.pid ?? 0
  return makeServerProcess(opts, child, address, pid, exited)
}

function makeServerProcess(
  opts: LaunchOptions,
  child: ChildProcess,
  address: { host: string; port: number },
  pid: number,
  exited: Promise<void>,
): ServerProcess {
  let nextId = 1
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  child.on('message', (msg: IpcReply) => {
    const w = waiting.get(msg.id)
    if (!w) return
    waiting.delete(msg.id)
    if (msg.ok) w.resolve(msg.data)
    else w.reject(new Error(`${opts.name}: ${msg.error}`))
  })
  void exited.then(() => {
    for (const w of waiting.values()) w.reject(new Error(`${opts.name}: exited`))
    waiting.clear()
  })
  const hostForUrl = address.host.includes(':') ? `[${address.host}]` : address.host
  return {
    name: opts.name,
    command: opts.command,
    host: address.host,
    port: address.port,
    url: `http://${hostForUrl}:${address.port}`,
    pid,
    call<T>(request: IpcRequest, timeoutMs = 30_000): Promise<T> {
      if (!child.send) return Promise.reject(new Error(`${opts.name}: no IPC channel`))
      const id = nextId++
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id)
          reject(new Error(`${opts.name}: IPC ${request.type} timed out`))
        }, timeoutMs)
        waiting.set(id, {
          resolve: (v) => {
            clearTimeout(timer)
            resolve(v as T)
          },
          reject: (e) => {
            clearTimeout(timer)
            reject(e)
          },
        })
        child.send?.({ ...request, id })
      })
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const killer = setTimeout(() => {
        child.kill('SIGKILL')
        if (pid !== child.pid) {
          try {
            process.kill(pid, 'SIGKILL')
          } catch {
            // already gone
          }
        }
      }, 5_000)
      await exited
      clearTimeout(killer)
    },
  }
}
