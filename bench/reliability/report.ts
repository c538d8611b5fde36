/**
 * Writes reports/reliability/latest.json (the source of truth) and latest.md (for people).
 *
 * JSON schema, `"schema": "sockhttp-reliability/1"` (all times in ms, all sizes in bytes):
 * {
 *   schema: "sockhttp-reliability/1",
 *   generatedAt: string,            // ISO 8601, UTC
 *   command: string,                // exactly what produced the file, e.g. "npm run reliability"
 *   size: "full" | "small",         // full: the sizes; small: the test sizes
 *   machine: { node: string, platform: string, arch: string, cpus: number, cpuModel: string,
 *              memoryBytes: number, fdLimit: number | null },
 *   git: { commit: string | null, dirty: boolean | null },
 *   summary: { checks: number, pass: number, fail: number, lost: number, durationMs: number },
 *   checks: Array<{
 *     name: string,                 // stable id: slowloris, connection-cap, pipelining, large-bodies,
 *                                   //   aborts, handler-faults, shutdown, soak
 *     title: string,
 *     ok: boolean,                  // every assertion held
 *     assertions: Array<{ what: string, ok: boolean, detail: string }>,
 *     durationMs: number,           // wall time of the check
 *     connections: number,          // most connections held against the server at once
 *     lost: number,                 // responses owed and never received correctly (must be 0)
 *     latency: { [name: string]: { samples: number, p50: number, p99: number, max: number } },
 *                                   // e.g. slowloris: { unloaded, loaded }; may be {}
 *     rss: { before: number, peak: number, after: number } | null,   // the server's RSS
 *     figures: { [name: string]: number | string | boolean | null },  // check-specific; the
 *                                   //   key names the unit: ...Ms ms, ...Bytes bytes, ...MiBps
 *                                   //   MiB/s, ...MiB a space-separated list of MiB values,
 *                                   //   rssDrift and latencyRatio plain ratios, the rest counts
 *     target: string                // the child server's command line and configuration
 *   }>
 * }
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { arch, cpus, platform, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type CheckResult, mib } from './check.ts'

export const SCHEMA = 'sockhttp-reliability/1'

export interface ReliabilityReport {
  readonly schema: typeof SCHEMA
  readonly generatedAt: string
  readonly command: string
  readonly size: 'full' | 'small'
  readonly machine: {
    readonly node: string
    readonly platform: string
    readonly arch: string
    readonly cpus: number
    readonly cpuModel: string
    readonly memoryBytes: number
    readonly fdLimit: number | null
  }
  readonly git: { readonly commit: string | null; readonly dirty: boolean | null }
  readonly summary: {
    readonly checks: number
    readonly pass: number
    readonly fail: number
    readonly lost: number
    readonly durationMs: number
  }
  readonly checks: readonly CheckResult[]
}

export function fdLimit(): number | null {
  try {
    const n = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim())
    return Number.isFinite(n) ? n : null
  } catch {
    return null
  }
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return null
  }
}

export function buildReport(
  checks: readonly CheckResult[],
  command: string,
  size: 'full' | 'small',
  durationMs: number,
): ReliabilityReport {
  const status = git(['status', '--porcelain', '--', 'src'])
  return {
    schema: SCHEMA,
    generatedAt: new Date().toISOString(),
    command,
    size,
    machine: {
      node: process.version,
      platform: platform(),
      arch: arch(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryBytes: totalmem(),
      fdLimit: fdLimit(),
    },
    git: { commit: git(['rev-parse', '--short', 'HEAD']), dirty: status === null ? null : status !== '' },
    summary: {
      checks: checks.length,
      pass: checks.filter((c) => c.ok).length,
      fail: checks.filter((c) => !c.ok).length,
      lost: checks.reduce((n, c) => n + c.lost, 0),
      durationMs: Math.round(durationMs),
    },
    checks,
  }
}

const fmt = (n: number | null | undefined, digits = 1): string =>
  n === null || n === undefined || Number.isNaN(n) ? '–' : Number.isInteger(n) ? String(n) : n.toFixed(digits)

function latencyCell(c: CheckResult): string {
  const entries = Object.entries(c.latency)
  if (entries.length === 0) return '–'
  return entries.map(([k, l]) => `${k} ${fmt(l.p50, 2)} / ${fmt(l.p99, 2)}`).join('<br>')
}

function rssCell(c: CheckResult): string {
  if (c.rss === null) return '–'
  return `${mib(c.rss.before)} / ${mib(c.rss.peak)} / ${mib(c.rss.after)}`
}

export function renderMarkdown(report: ReliabilityReport): string {
  const lines: string[] = []
  const s = report.summary
  lines.push('# sockhttp reliability')
  lines.push('')
  lines.push(
    `${s.pass} of ${s.checks} checks hold, ${s.lost} responses lost (${report.size} size, ${fmt(s.durationMs / 1000)} s).`,
  )
  lines.push('')
  lines.push(`- Command: \`${report.command}\``)
  lines.push(
    `- Generated: ${report.generatedAt}, commit ${report.git.commit ?? 'unknown'}${report.git.dirty ? ' (src/ modified)' : ''}`,
  )
  const m = report.machine
  lines.push(
    `- Machine: Node ${m.node}, ${m.platform}/${m.arch}, ${m.cpus} × ${m.cpuModel}, ${mib(m.memoryBytes)}, fd limit ${m.fdLimit ?? 'unknown'}`,
  )
  lines.push(
    '- The server runs in a child process (bench/reliability/target.ts); RSS is its own, sampled every 20 ms.',
  )
  lines.push('')
  lines.push(
    '| check | verdict | connections | duration | latency p50 / p99 (ms) | server RSS before / peak / after | lost |',
  )
  lines.push('|---|---|---:|---:|---|---|---:|')
  for (const c of report.checks) {
    lines.push(
      `| ${c.name} | ${c.ok ? 'pass' : '**FAIL**'} | ${c.connections} | ${fmt(c.durationMs / 1000)} s | ${latencyCell(c)} | ${rssCell(c)} | ${c.lost} |`,
    )
  }
  for (const c of report.checks) {
    lines.push('')
    lines.push(`## ${c.name}: ${c.title}`)
    lines.push('')
    for (const a of c.assertions) lines.push(`- ${a.ok ? '✓' : '✗ **FAILED**'} ${a.what}: ${a.detail}`)
    const figures = Object.entries(c.figures)
    if (figures.length > 0) {
      lines.push('')
      lines.push('| figure | value |')
      lines.push('|---|---:|')
      for (const [k, v] of figures) {
        const shown =
          typeof v === 'number' && k.endsWith('Bytes') && Math.abs(v) >= 1024 * 1024
            ? `${v} (${mib(v)})`
            : String(v)
        lines.push(`| ${k} | ${shown} |`)
      }
    }
    lines.push('')
    lines.push(`Target: \`${c.target}\``)
  }
  lines.push('')
  return lines.join('\n')
}

export function writeReport(report: ReliabilityReport, dir: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true })
  const json = join(dir, 'latest.json')
  const md = join(dir, 'latest.md')
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync(md, renderMarkdown(report))
  return { json, md }
}
