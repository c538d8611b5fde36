/** The machine a report was measured on. */
import { spawnSync } from 'node:child_process'
import os from 'node:os'

export interface MachineInfo {
  readonly cpuModel: string
  readonly cores: number
  readonly memoryBytes: number
  readonly kernel: string
  readonly platform: string
  readonly arch: string
  readonly node: string
  readonly v8: string
  readonly llhttp: string
  /** 1-minute load average when the run started: other work on the machine shows up here. */
  readonly loadAverage: number
}

export function machineInfo(): MachineInfo {
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryBytes: os.totalmem(),
    kernel: os.release(),
    platform: os.platform(),
    arch: os.arch(),
    node: process.version,
    v8: process.versions.v8,
    llhttp: process.versions.llhttp ?? 'unknown',
    loadAverage: os.loadavg()[0] ?? 0,
  }
}

/** `wrk -v` prints its version on the first line (and exits 1). */
export function wrkVersion(): string | null {
  const r = spawnSync('wrk', ['-v'], { encoding: 'utf8' })
  const m = /wrk\s+(\S+)/.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`)
  return m ? m[1]! : null
}
