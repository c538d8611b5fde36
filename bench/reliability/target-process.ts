/** Starts ./target.ts in a child process and talks to it over IPC. */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type {
  ClosedEvent,
  CloseReply,
  TargetConfig,
  TargetReply,
  TargetRequest,
  TargetSnapshot,
} from './target-protocol.ts'

const SCRIPT = fileURLToPath(new URL('./target.ts', import.meta.url))
/** `--import tsx` resolves from the working directory: the repository root has it. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface TargetExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** performance.now() in the parent when the child exited. */
  readonly at: number
}

type Payload = { type: 'snapshot' | 'reset-peak' | 'gc' | 'open-gate' } | { type: 'close'; deadline?: number }

export class Target {
  readonly port: number
  readonly pid: number
  readonly config: TargetConfig
  /** The exact command line, for the report. */
  readonly command: string
  readonly exited: Promise<TargetExit>
  readonly closed: Promise<ClosedEvent>
  readonly #child: ChildProcess
  readonly #pending = new Map<number, (data: unknown) => void>()
  #nextId = 1
  #stderr = ''
  #exit: TargetExit | null = null

  private constructor(child: ChildProcess, port: number, config: TargetConfig, command: string) {
    this.#child = child
    this.port = port
    this.pid = child.pid ?? -1
    this.config = config
    this.command = command
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (d: string) => {
      this.#stderr = (this.#stderr + d).slice(-8000)
    })
    let onClosed: (event: ClosedEvent) => void = () => {}
    this.closed = new Promise((resolve) => {
      onClosed = resolve
    })
    child.on('message', (raw) => {
      const message = raw as TargetReply
      if (message.event === 'closed') onClosed(message.data as ClosedEvent)
      const waiter = this.#pending.get(message.id)
      if (waiter !== undefined) {
        this.#pending.delete(message.id)
        waiter(message.data)
      }
    })
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal, at: performance.now() }
        resolve(this.#exit)
      })
    })
  }

  static async start(config: TargetConfig = {}): Promise<Target> {
    const json = JSON.stringify(config)
    const execArgv = ['--import', 'tsx', '--expose-gc', ...(config.nodeFlags ?? [])]
    const child = fork(SCRIPT, [json], { cwd: ROOT, execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
    const command = `node ${execArgv.join(' ')} bench/reliability/target.ts '${json}'`
    let stderr = ''
    child.stderr?.setEncoding('utf8')
    const collect = (d: string) => {
      stderr += d
    }
    child.stderr?.on('data', collect)
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`target did not start within 30 s\n${stderr}`))
      }, 30_000)
      child.on('message', (raw) => {
        const message = raw as TargetReply
        if (message.event === 'listening') {
          clearTimeout(timer)
          resolve((message.data as { port: number }).port)
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`target exited with ${code} before listening\n${stderr}`))
      })
    })
    child.stderr?.off('data', collect)
    child.stdout?.resume()
    return new Target(child, port, config, command)
  }

  get alive(): boolean {
    return this.#exit === null
  }

  get exit(): TargetExit | null {
    return this.#exit
  }

  get stderr(): string {
    return this.#stderr
  }

  #call<T>(payload: Payload, timeoutMs = 10_000): Promise<T> {
    if (!this.#child.connected) return Promise.reject(new Error('the target is not connected'))
    const id = this.#nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        reject(new Error(`target did not answer ${payload.type} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.#pending.set(id, (data) => {
        clearTimeout(timer)
        resolve(data as T)
      })
      const request: TargetRequest = { id, ...payload }
      this.#child.send(request)
    })
  }

  snapshot(): Promise<TargetSnapshot> {
    return this.#call({ type: 'snapshot' })
  }

  resetPeak(): Promise<TargetSnapshot> {
    return this.#call({ type: 'reset-peak' })
  }

  /** Full GC in the child (it runs with --expose-gc), then a snapshot. */
  gc(): Promise<TargetSnapshot> {
    return this.#call({ type: 'gc' })
  }

  openGate(): Promise<TargetSnapshot> {
    return this.#call({ type: 'open-gate' })
  }

  /** Calls server.close() in the child; the reply comes at once, `closed` and `exited` later. */
  close(deadline?: number): Promise<CloseReply> {
    return this.#call(deadline === undefined ? { type: 'close' } : { type: 'close', deadline })
  }

  /** Ends the child whatever state it is in. */
  async stop(): Promise<TargetExit> {
    if (this.#exit !== null) return this.#exit
    this.#child.kill('SIGKILL')
    return this.exited
  }
}
