/** The CLI contract: exit codes, the summary line, the reports and replay files. */
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '..')

function fuzz(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'fuzz/cli.ts', ...args],
      { cwd: ROOT, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1
        resolve({ code, stdout, stderr })
      },
    )
  })
}

describe('npm run fuzz', () => {
  it('exits 2 on bad usage', async () => {
    for (const args of [
      ['--runs', '10', '--time', '5'],
      ['--property', 'nope'],
      ['--runs', 'x'],
      ['--target', 'ftp://x'],
      ['--bogus'],
    ]) {
      const r = await fuzz(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toContain('usage:')
    }
  })

  it('runs properties, prints the summary last and writes latest.json / latest.md', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fuzz-report-'))
    const r = await fuzz([
      '--property',
      'total',
      '--property',
      'roundtrip',
      '--runs',
      '200',
      '--seed',
      '42',
      '--report-dir',
      dir,
    ])
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines.at(-1)).toBe('fuzz: total 200 runs, roundtrip 200 runs, 0 failures (seed 42)')
    const report = JSON.parse(readFileSync(path.join(dir, 'latest.json'), 'utf8'))
    expect(report.schema).toBe('sockhttp-fuzz/1')
    expect(report.properties.map((p: { name: string; runs: number }) => [p.name, p.runs])).toEqual([
      ['total', 200],
      ['roundtrip', 200],
    ])
    expect(report.summary).toBe(lines.at(-1))
    expect(readFileSync(path.join(dir, 'latest.md'), 'utf8')).toContain('| total | 200 |')
  })

  it('replays a saved record and exits 0 once the property holds for it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fuzz-replay-'))
    const file = path.join(dir, 'split-1.json')
    // A hand-made record of a stream the split property holds for.
    const ok = {
      property: 'split',
      seed: 1,
      path: null,
      input: {
        base64: Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n').toString('base64'),
        segments: [3, 25],
      },
    }
    writeFileSync(file, JSON.stringify(ok))
    const pass = await fuzz(['--replay', file])
    expect(pass.code).toBe(0)
    expect(pass.stdout).toContain('holds')
    expect(readdirSync(dir)).toEqual(['split-1.json'])
  })
})
