/**
 * `npm run reliability` (= `tsx bench/reliability.ts`): every reliability check at full size,
 * against sockhttp in a child process, then reports/reliability/latest.{json,md}.
 *
 *   tsx bench/reliability.ts [--size full|small] [--only name,name] [--out DIR]
 *
 * Exit 0 when every check holds, 1 when one fails, 2 for bad usage. The last line printed is
 * the summary.
 */
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { explain, mib } from './reliability/check.ts'
import { CHECKS, type Size } from './reliability/checks.ts'
import { buildReport, fdLimit, writeReport } from './reliability/report.ts'

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: tsx bench/reliability.ts [--size full|small] [--only ${CHECKS.map((c) => c.name).join(',')}] [--out DIR]\n`,
  )
  process.exit(2)
}

let values: { size?: string; only?: string; out?: string }
try {
  values = parseArgs({
    options: { size: { type: 'string' }, only: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: false,
  }).values
} catch (error) {
  usage((error as Error).message)
}
const size = (values.size ?? 'full') as Size
if (size !== 'full' && size !== 'small') usage(`--size must be full or small, got ${values.size}`)
const only = values.only?.split(',').filter((s) => s !== '')
const unknown = only?.filter((name) => !CHECKS.some((c) => c.name === name)) ?? []
if (unknown.length > 0) usage(`unknown check: ${unknown.join(', ')}`)
const selected = CHECKS.filter((c) => only === undefined || only.includes(c.name))
const out = values.out ?? fileURLToPath(new URL('../reports/reliability', import.meta.url))

// Hundreds of sockets live at once in this process and in the server's: say so plainly if the
// descriptor limit cannot hold them (raise it with `ulimit -n` before running).
const limit = fdLimit()
const needed = Math.max(...selected.map((c) => c.fds))
if (limit !== null && limit < needed) {
  process.stderr.write(
    `file descriptor limit ${limit} is below the ${needed} these checks need: run \`ulimit -n ${needed * 2}\` first\n`,
  )
  process.exit(2)
}

const args = process.argv.slice(2)
const command = args.length === 0 ? 'npm run reliability' : `npm run reliability -- ${args.join(' ')}`
const started = performance.now()
const results = []
for (const check of selected) {
  process.stdout.write(`${check.name} ... `)
  const result = await check.run(size)
  results.push(result)
  const lat = Object.entries(result.latency)
    .map(([k, l]) => `${k} p50 ${l.p50} ms p99 ${l.p99} ms`)
    .join(', ')
  const rss =
    result.rss === null
      ? ''
      : `, RSS ${mib(result.rss.before)} → peak ${mib(result.rss.peak)} → ${mib(result.rss.after)}`
  process.stdout.write(
    `${result.ok ? 'pass' : 'FAIL'} (${(result.durationMs / 1000).toFixed(1)} s, ${result.connections} connections, lost ${result.lost}${lat === '' ? '' : `, ${lat}`}${rss})\n`,
  )
  if (!result.ok) process.stdout.write(`${explain(result)}\n`)
}
const report = buildReport(results, command, size, performance.now() - started)
const files = writeReport(report, out)
process.stdout.write(
  `wrote ${relative(process.cwd(), files.json)} and ${relative(process.cwd(), files.md)}\n`,
)
const s = report.summary
process.stdout.write(`reliability sockhttp: ${s.pass} pass, ${s.fail} fail, ${s.lost} lost (${size})\n`)
process.exit(s.fail === 0 ? 0 : 1)
