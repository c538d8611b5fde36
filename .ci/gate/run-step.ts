/**
 * Runs one gate step as a child process: its output goes through to ours as it arrives (so a CI log
 * shows progress), and we keep the tail of it to pick the step's summary line from. The child gets
 * its own process group so a timeout can stop it together with the servers it started.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'

export type StepStatus = 'pass' | 'fail' | 'missing' | 'timeout'

export interface StepSpec {
  readonly id: string
  readonly title: string
  /** argv; the first element is looked up on PATH. */
  readonly command: readonly string[]
  /** Files the step needs (its harness entry point): when one is absent the step is reported missing. */
  readonly needs: readonly string[]
  /** A failing gating step fails the gate; a non-gating one only records figures. */
  readonly gating: boolean
  readonly timeoutSec: number
  /** Turns what the step printed into its one summary line; the default is its last output line. */
  readonly summarize?: (out: StepOutput) => string
}

export interface StepOutput {
  readonly exitCode: number | null
  /** The last non-empty stdout line, ANSI colours removed ('' when none). */
  readonly lastStdoutLine: string
  /** The last non-empty line of either stream. */
  readonly lastLine: string
  /** Up to the last TAIL_LINES lines of both streams, interleaved as they arrived. */
  readonly tail: readonly string[]
}

export interface StepResult {
  readonly id: string
  readonly title: string
  readonly command: string
  readonly gating: boolean
  readonly status: StepStatus
  readonly exitCode: number | null
  readonly seconds: number
  readonly summary: string
}

const TAIL_LINES = 400
// CSI sequences (colours, cursor moves) that tools print even into pipes when FORCE_COLOR leaks in.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '')
}

/** Keeps the last lines of a byte stream, completing lines across chunk boundaries. */
class LineTail {
  readonly lines: string[] = []
  #partial = ''
  readonly #max: number

  constructor(max: number) {
    this.#max = max
  }

  push(chunk: string): string[] {
    const parts = (this.#partial + chunk).split(/\r?\n|\r/)
    this.#partial = parts.pop() ?? ''
    for (const p of parts) this.#add(p)
    return parts
  }

  end(): void {
    if (this.#partial !== '') this.#add(this.#partial)
    this.#partial = ''
  }

  #add(line: string): void {
    this.lines.push(stripAnsi(line).trimEnd())
    if (this.lines.length > this.#max) this.lines.splice(0, this.lines.length - this.#max)
  }

  lastNonEmpty(): string {
    for (let i = this.lines.length - 1; i >= 0; i--)
      if (this.lines[i]!.trim() !== '') return this.lines[i]!.trim()
    return ''
  }
}

export interface RunOptions {
  readonly cwd: string
  /** Where the child's output is echoed; tests pass a sink. */
  readonly echo?: (chunk: string, stream: 'stdout' | 'stderr') => void
  readonly env?: NodeJS.ProcessEnv
}

export async function runStep(spec: StepSpec, opts: RunOptions): Promise<StepResult> {
  const command = spec.command.join(' ')
  const base = { id: spec.id, title: spec.title, command, gating: spec.gating }
  const absent = spec.needs.filter((f) => !existsSync(path.resolve(opts.cwd, f)))
  if (absent.length > 0) {
    return {
      ...base,
      status: 'missing',
      exitCode: null,
      seconds: 0,
      summary: `missing: ${absent.join(', ')} does not exist yet`,
    }
  }
  const echo = opts.echo ?? ((chunk, stream) => process[stream].write(chunk))
  const started = performance.now()
  const [file, ...args] = spec.command
  if (file === undefined) throw new Error(`step ${spec.id} has an empty command`)

  const both = new LineTail(TAIL_LINES)
  const out = new LineTail(TAIL_LINES)
  const err = new LineTail(TAIL_LINES)
  let timedOut = false
  const exitCode = await new Promise<number | null>((resolve) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // The group is already gone.
      }
    }
    const timer = setTimeout(() => {
      timedOut = true
      killGroup()
    }, spec.timeoutSec * 1000)
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (s: string) => {
      echo(s, 'stdout')
      out.push(s)
      both.push(s)
    })
    child.stderr.on('data', (s: string) => {
      echo(s, 'stderr')
      err.push(s)
      both.push(s)
    })
    child.on('error', (e) => {
      both.push(`\n${file}: ${e.message}\n`)
      clearTimeout(timer)
      resolve(127)
    })
    // Servers a step leaves behind in its group would hold the pipes open and load the machine
    // for the next steps: once the step's own process exits, stop whatever remains of its group.
    child.on('exit', killGroup)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve(code ?? (signal ? 128 : null))
    })
  })
  out.end()
  err.end()
  both.end()
  const seconds = (performance.now() - started) / 1000
  const output: StepOutput = {
    exitCode,
    lastStdoutLine: out.lastNonEmpty(),
    lastLine: both.lastNonEmpty(),
    tail: both.lines,
  }
  if (timedOut) {
    return {
      ...base,
      status: 'timeout',
      exitCode,
      seconds,
      summary: `timed out after ${spec.timeoutSec} s (last line: ${output.lastLine || 'none'})`,
    }
  }
  let summary: string
  try {
    summary = spec.summarize ? spec.summarize(output) : output.lastStdoutLine || output.lastLine
  } catch (e) {
    summary = `could not summarize: ${e instanceof Error ? e.message : String(e)}`
  }
  if (summary === '') summary = `exit ${exitCode ?? 'unknown'}, no output`
  return { ...base, status: exitCode === 0 ? 'pass' : 'fail', exitCode, seconds, summary }
}
