/**
 * `npm run loadtest`: do the limits sockhttp promises hold under load? Backlog (B = 5, 16), pool
 * size (P = 1, 4, 16, throughput within ±20% of P / 50 ms), pool overflow (503 count = overflow,
 * no handler for rejected requests) and keep-alive reuse. Writes reports/loadtest/latest.{json,md}.
 *
 *   npm run loadtest                                  # full run against sockhttp (~1.5 min)
 *   npm run loadtest -- --quick                       # smaller sizes
 *   npm run loadtest -- --only backlog,pool           # backlog | pool | overflow | keepalive
 *   npm run loadtest -- --target reference:pool-overadmit   # a deliberately broken target: must fail
 *
 * Exit 0 when every check passes, 1 when one fails, 2 on bad usage.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { REPO_ROOT } from './lib/child.ts'
import { machineInfo } from './lib/machine.ts'
import { BACKLOG_DEFAULTS, checkBacklog } from './load/backlog.ts'
import type { CheckResult } from './load/check.ts'
import { checkKeepAlive } from './load/keepalive.ts'
import { checkPoolOverflow, checkPoolThroughput } from './load/pool.ts'
import { LOADTEST_SCHEMA, type LoadtestReport, writeLoadtestReport } from './load/report.ts'
import { isTargetName, TARGET_NAMES } from './load/targets.ts'

const GROUPS = ['backlog', 'pool', 'overflow', 'keepalive'] as const
type Group = (typeof GROUPS)[number]

function usage(msg: string): never {
  process.stderr.write(`loadtest: ${msg}\n`)
  process.exit(2)
}

async function main(): Promise<number> {
  let values: { quick?: boolean; only?: string; target?: string; out?: string }
  try {
    ;({ values } = parseArgs({
      options: {
        quick: { type: 'boolean' },
        only: { type: 'string' },
        target: { type: 'string' },
        out: { type: 'string' },
      },
      strict: true,
    }))
  } catch (err) {
    usage(err instanceof Error ? err.message : String(err))
  }
  const quick = values.quick === true
  const target = values.target ?? 'sockhttp'
  if (!isTargetName(target)) usage(`--target must be one of ${TARGET_NAMES.join(', ')}`)
  const only = (values.only ?? GROUPS.join(',')).split(',').map((s) => s.trim()) as Group[]
  for (const g of only) if (!GROUPS.includes(g)) usage(`unknown check group "${g}" (${GROUPS.join(', ')})`)

  const machine = machineInfo()
  const checks: CheckResult[] = []
  const log = (c: CheckResult): void => {
    checks.push(c)
    process.stderr.write(`  ${c.pass ? 'pass' : 'FAIL'} ${c.id} (${c.seconds.toFixed(1)} s)\n`)
    for (const a of c.assertions)
      if (!a.pass) process.stderr.write(`       ${a.name}: expected ${a.expected}, got ${a.actual}\n`)
  }

  if (only.includes('backlog')) {
    for (const backlog of quick ? [5] : [5, 16])
      log(await checkBacklog(target, { ...BACKLOG_DEFAULTS, backlog }))
  }
  if (only.includes('pool')) {
    for (const pool of quick ? [1, 4] : [1, 4, 16]) {
      log(
        await checkPoolThroughput(target, {
          pool,
          handlerMs: 50,
          durationSec: quick ? 3 : 10,
          connectionsPerSlot: 10,
          tolerance: 0.2,
          assertThroughput: true,
        }),
      )
    }
  }
  if (only.includes('overflow')) {
    const cases = quick
      ? [{ pool: 2, queue: 3, overflow: 5 }]
      : [
          { pool: 2, queue: 3, overflow: 5 },
          { pool: 4, queue: 8, overflow: 20 },
        ]
    for (const c of cases) log(await checkPoolOverflow(target, { ...c, handlerMs: 1000 }))
  }
  if (only.includes('keepalive')) {
    for (const connections of quick ? [10] : [10, 50])
      log(await checkKeepAlive(target, { connections, requestsPerConnection: 50 }))
  }

  const pass = checks.filter((c) => c.pass).length
  const report: LoadtestReport = {
    schema: LOADTEST_SCHEMA,
    generatedAt: new Date().toISOString(),
    machine,
    command: `npm run loadtest -- ${process.argv.slice(2).join(' ')}`.trim(),
    target,
    summary: { pass, fail: checks.length - pass },
    checks,
  }
  const files = writeLoadtestReport(path.resolve(REPO_ROOT, values.out ?? 'reports/loadtest'), report)
  process.stderr.write(`loadtest: wrote ${files.map((f) => path.relative(REPO_ROOT, f)).join(', ')}\n`)
  process.stdout.write(`loadtest ${target}: ${pass} pass, ${checks.length - pass} fail\n`)
  return checks.length - pass === 0 ? 0 : 1
}

process.exitCode = await main()
