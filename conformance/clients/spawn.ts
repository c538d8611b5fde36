/** Runs an external client (curl, python3) with a time limit; a missing binary is reported, not thrown. */
import { spawn } from 'node:child_process'

export interface SpawnResult {
  readonly missing: boolean
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly timedOut: boolean
}

export function run(
  cmd: string,
  args: readonly string[],
  opts: { input?: Uint8Array | string; timeoutMs: number },
): Promise<SpawnResult> {
  return new Promise((resolve) => {
    let stdout = ''
    let stderr = ''
    let timedOut = false
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, opts.timeoutMs)
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('latin1')
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('latin1')
    })
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      resolve({ missing: err.code === 'ENOENT', code: null, stdout, stderr: stderr || err.message, timedOut })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ missing: false, code, stdout, stderr, timedOut })
    })
    child.stdin.on('error', () => {})
    if (opts.input !== undefined) child.stdin.end(opts.input)
    else child.stdin.end()
  })
}

const availability = new Map<string, Promise<boolean>>()

/** Whether `cmd --version` runs (cached per process). */
export function available(cmd: string): Promise<boolean> {
  let p = availability.get(cmd)
  if (!p) {
    p = run(cmd, ['--version'], { timeoutMs: 5000 }).then((r) => !r.missing && r.code === 0)
    availability.set(cmd, p)
  }
  return p
}
