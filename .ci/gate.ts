/**
 * `npm run gate`: the quality gate, step by step (type check, lint, unit and property tests,
 * conformance, fuzz, load checks, bench smoke). Each step prints one summary line as it ends; a
 * final table lists every step with ✔/✘ and its duration. Exit 1 when a gating step fails (or its
 * harness is missing, or it times out), 2 on bad usage, 0 otherwise.
 *
 *   npm run gate
 *   npm run gate -- --only typecheck,lint     # a subset, by step id
 *   npm run gate -- --list
 */
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runStep, type StepResult } from './gate/run-step.ts'
import { FUZZ_SEED, GATE_DIR, gateSteps } from './gate/steps.ts'
import { formatSeconds, GATE_SCHEMA, gatePasses, renderTable, writeGateReport } from './gate/summary.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function usage(msg: string): never {
  process.stderr.write(`gate: ${msg}\n`)
  process.exit(2)
}

function commit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim()
    return dirty ? `${head}-dirty` : head
  } catch {
    return null
  }
}

async function main(): Promise<number> {
  let values: { only?: string; list?: boolean }
  try {
    ;({ values } = parseArgs({
      options: { only: { type: 'string' }, list: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }))
  } catch (err) {
    usage(err instanceof Error ? err.message : String(err))
  }
  const all = gateSteps(ROOT)
  if (values.list) {
    for (const s of all) process.stdout.write(`${s.id.padEnd(12)} ${s.command.join(' ')}\n`)
    return 0
  }
  const only = values.only?.split(',').map((s) => s.trim())
  for (const id of only ?? []) if (!all.some((s) => s.id === id)) usage(`unknown step "${id}" (see --list)`)
  const steps = only ? all.filter((s) => only.includes(s.id)) : all

  process.stdout.write(
    `gate: ${steps.length} steps on Node ${process.version}, ${os.cpus().length} cores; fuzz seed ${FUZZ_SEED}\n`,
  )
  const started = performance.now()
  const results: StepResult[] = []
  for (const [i, spec] of steps.entries()) {
    const tag = `gate [${i + 1}/${steps.length}]`
    process.stdout.write(`\n${tag} ▶ ${spec.title}: ${spec.command.join(' ')}\n`)
    const r = await runStep(spec, { cwd: ROOT })
    results.push(r)
    const ok = r.status === 'pass'
    process.stdout.write(
      `${tag} ${ok ? '✔' : '✘'} ${spec.title} (${formatSeconds(r.seconds)}${spec.gating ? '' : ', not gating'}): ${r.summary}\n`,
    )
  }
  const seconds = (performance.now() - started) / 1000
  const pass = gatePasses(results)
  const files = writeGateReport(path.join(ROOT, GATE_DIR), {
    schema: GATE_SCHEMA,
    generatedAt: new Date().toISOString(),
    commit: commit(),
    node: process.version,
    cores: os.cpus().length,
    command: only ? `npm run gate -- --only ${only.join(',')}` : 'npm run gate',
    fuzzSeed: FUZZ_SEED,
    seconds,
    pass,
    steps: results,
  })
  process.stdout.write(`\nwrote ${files.map((f) => path.relative(ROOT, f)).join(', ')}\n\n`)
  process.stdout.write(`${renderTable(results, seconds)}\n`)
  return pass ? 0 : 1
}

process.exitCode = await main()
