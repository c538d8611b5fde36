import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runStep, type StepResult, type StepSpec, stripAnsi } from './run-step.ts'
import { gateSteps, readVitestCounts } from './steps.ts'
import { formatSeconds, gatePasses, renderGateMarkdown, renderTable } from './summary.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sockhttp-gate-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const silent = { echo: () => {} }

function processState(pid: number): string {
  try {
    return /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? 'unknown'
  } catch {
    return 'gone'
  }
}

function nodeStep(id: string, script: string, extra: Partial<StepSpec> = {}): StepSpec {
  return {
    id,
    title: id,
    command: [process.execPath, '-e', script],
    needs: [],
    gating: true,
    timeoutSec: 20,
    ...extra,
  }
}

describe('runStep', () => {
  it('passes a step that exits 0 and takes its last stdout line as the summary', async () => {
    const r = await runStep(
      nodeStep(
        'ok',
        'console.log("working"); console.error("noise"); console.log("thing: 3 pass, 0 fail\\n")',
      ),
      { cwd: dir, ...silent },
    )
    expect(r.status).toBe('pass')
    expect(r.exitCode).toBe(0)
    expect(r.summary).toBe('thing: 3 pass, 0 fail')
  })

  it('fails a step that exits non-zero, keeping its summary line', async () => {
    const r = await runStep(nodeStep('bad', 'console.log("thing: 2 pass, 1 fail"); process.exit(1)'), {
      cwd: dir,
      ...silent,
    })
    expect(r.status).toBe('fail')
    expect(r.exitCode).toBe(1)
    expect(r.summary).toBe('thing: 2 pass, 1 fail')
  })

  it('reports a step whose harness does not exist as missing, without running anything', async () => {
    const marker = path.join(dir, 'ran')
    const r = await runStep(
      nodeStep('absent', `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`, {
        needs: ['conformance/cli.ts'],
      }),
      { cwd: dir, ...silent },
    )
    expect(r.status).toBe('missing')
    expect(r.summary).toBe('missing: conformance/cli.ts does not exist yet')
    expect(() => readVitestCounts(marker)).not.toThrow()
    expect(readVitestCounts(marker)).toBeNull()
  })

  it('stops a step that runs past its time limit, with the processes it started', async () => {
    // The step starts a grandchild that would keep the output pipe open for a minute.
    const script = `
      const c = require("child_process").spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "inherit" })
      console.log("grandchild " + c.pid)
      console.log("started")
      setTimeout(() => {}, 60000)`
    let out = ''
    // The limit leaves a loaded machine time to start both processes before the kill.
    const r = await runStep(nodeStep('slow', script, { timeoutSec: 4 }), {
      cwd: dir,
      echo: (chunk) => {
        out += chunk
      },
    })
    expect(r.status).toBe('timeout')
    expect(r.summary).toContain('timed out after 4 s (last line: started)')
    const pid = Number(/grandchild (\d+)/.exec(out)?.[1])
    expect(pid).toBeGreaterThan(0)
    // The group was sent SIGKILL before runStep returned. The grandchild's pipes close early in
    // its exit, so it may still be finishing for a moment: it must end up gone, or a zombie
    // waiting for init to reap it (state Z in /proc/PID/stat). Bounded: 100 looks, 50 ms apart.
    let state = processState(pid)
    for (let i = 0; i < 100 && !/^(gone|Z)$/.test(state); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      state = processState(pid)
    }
    expect(state).toMatch(/^(gone|Z)$/)
  })

  it('uses the summarize hook and removes colour codes', async () => {
    const r = await runStep(
      nodeStep('colour', 'console.log("\\u001b[32mgreen\\u001b[39m")', {
        summarize: (o) => `saw ${o.lastStdoutLine} (exit ${o.exitCode})`,
      }),
      { cwd: dir, ...silent },
    )
    expect(r.summary).toBe('saw green (exit 0)')
    expect(stripAnsi('\u001b[1m\u001b[31mx\u001b[0m')).toBe('x')
  })
})

describe('the verdict', () => {
  const step = (id: string, status: StepResult['status'], gating = true): StepResult => ({
    id,
    title: id,
    command: `run ${id}`,
    gating,
    status,
    exitCode: status === 'pass' ? 0 : 1,
    seconds: 12.5,
    summary: `${id} summary`,
  })

  it('fails when a gating step fails, is missing or times out', () => {
    expect(gatePasses([step('a', 'pass'), step('b', 'pass')])).toBe(true)
    expect(gatePasses([step('a', 'pass'), step('b', 'fail')])).toBe(false)
    expect(gatePasses([step('a', 'missing')])).toBe(false)
    expect(gatePasses([step('a', 'timeout')])).toBe(false)
  })

  it('does not fail on a non-gating step, but still marks it ✘', () => {
    const steps = [step('unit', 'pass'), step('bench', 'fail', false)]
    expect(gatePasses(steps)).toBe(true)
    const table = renderTable(steps, 80)
    expect(table).toContain('✔ unit')
    expect(table).toContain('✘ bench *')
    expect(table).toContain('1 min 20 s')
    expect(table.split('\n').at(-1)).toBe('gate: pass (non-gating ✘: bench)')
  })

  it('names the failed steps on its last line', () => {
    const table = renderTable([step('lint', 'fail'), step('fuzz', 'missing')], 3)
    expect(table.split('\n').at(-1)).toBe('gate: FAIL (lint fail, fuzz missing)')
  })

  it('writes a Markdown table for the CI job summary', () => {
    const md = renderGateMarkdown({
      schema: 'sockhttp-gate/1',
      generatedAt: '2026-11-25T06:00:00.000Z',
      commit: 'abc',
      node: 'v20.20.2',
      cores: 2,
      command: 'npm run gate',
      fuzzSeed: 9112,
      seconds: 3,
      pass: false,
      steps: [step('lint', 'fail')],
    })
    expect(md).toContain('## sockhttp gate: FAIL ✘')
    expect(md).toContain('| ✘ | lint | 12.5 s | lint summary | `run lint` |')
  })

  it('formats durations', () => {
    expect(formatSeconds(4.04)).toBe('4.0 s')
    expect(formatSeconds(125)).toBe('2 min 05 s')
  })
})

describe('the step list', () => {
  it('runs the issue’s steps in order, the bench smoke last and not gating', () => {
    const steps = gateSteps(dir)
    expect(steps.map((s) => s.id)).toEqual([
      'typecheck',
      'lint',
      'unit',
      'conformance',
      'fuzz',
      'loadtest',
      'bench',
    ])
    expect(steps.filter((s) => !s.gating).map((s) => s.id)).toEqual(['bench'])
    const unit = steps.find((s) => s.id === 'unit')!
    expect(unit.command).toContain('--reporter=json')
    expect(unit.command).toContain('--outputFile.json=.vitest-results.json')
    expect(steps.find((s) => s.id === 'fuzz')!.command.join(' ')).toMatch(/--time 60 --seed \d+/)
  })

  it('reads the counts from vitest’s JSON report', () => {
    const file = path.join(dir, 'r.json')
    writeFileSync(
      file,
      JSON.stringify({
        numPassedTests: 7,
        numFailedTests: 2,
        numPendingTests: 1,
        numTodoTests: 0,
        numTotalTestSuites: 3,
      }),
    )
    expect(readVitestCounts(file)).toEqual({ passed: 7, failed: 2, skipped: 1, files: 3 })
    writeFileSync(file, 'not json')
    expect(readVitestCounts(file)).toBeNull()
  })
})
