/**
 * Runs wrk (Debian package `wrk`) with bench/gen/pipeline.lua and reads the JSON line its
 * done() hook prints. wrk is a C client with one epoll thread: on two cores it leaves a whole
 * core to the server, where autocannon (JavaScript) saturates near 40k req/s.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { hasCommand } from '../lib/procfs.ts'
import type { LoadRun, LoadSpec } from './types.ts'

export const PIPELINE_LUA = fileURLToPath(new URL('./pipeline.lua', import.meta.url))

export function wrkAvailable(): boolean {
  return hasCommand('wrk')
}

export function wrkArgs(spec: LoadSpec): string[] {
  return [
    `-t${spec.threads}`,
    `-c${spec.connections}`,
    `-d${spec.durationSec}s`,
    '--latency',
    '--timeout',
    '5s',
    '-s',
    PIPELINE_LUA,
    `${spec.url}/`,
    '--',
    String(spec.pipeline),
  ]
}

interface WrkJson {
  requests: number
  durationUs: number
  bytes: number
  connectErrors: number
  readErrors: number
  writeErrors: number
  statusErrors: number
  timeouts: number
  p50Us: number
  p90Us: number
  p99Us: number
  maxUs: number
  meanUs: number
}

/** Parses wrk's stdout (the WRKJSON line of pipeline.lua). Exported for tests. */
export function parseWrkOutput(stdout: string, command: string): LoadRun {
  const line = stdout.split('\n').find((l) => l.startsWith('WRKJSON '))
  if (!line) throw new Error(`wrk printed no WRKJSON line:\n${stdout}`)
  const j = JSON.parse(line.slice('WRKJSON '.length)) as WrkJson
  const durationSec = j.durationUs / 1e6
  return {
    generator: 'wrk',
    requests: j.requests,
    durationSec,
    rps: durationSec > 0 ? j.requests / durationSec : 0,
    latencyUs: { p50: j.p50Us, p90: j.p90Us, p99: j.p99Us, max: j.maxUs, mean: j.meanUs },
    errors: j.connectErrors + j.readErrors + j.writeErrors,
    timeouts: j.timeouts,
    non2xx: j.statusErrors,
    command,
  }
}

export function runWrk(spec: LoadSpec): Promise<LoadRun> {
  const args = wrkArgs(spec)
  const command = `wrk ${args.join(' ').replace(PIPELINE_LUA, 'bench/gen/pipeline.lua')}`
  return new Promise((resolve, reject) => {
    execFile(
      'wrk',
      args,
      { timeout: (spec.durationSec + 30) * 1000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${command} failed: ${err.message}\n${stderr}`))
        try {
          resolve(parseWrkOutput(stdout, command))
        } catch (e) {
          reject(e)
        }
      },
    )
  })
}
