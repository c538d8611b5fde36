import { describe, expect, it } from 'vitest'
import { available, run } from './spawn.ts'

describe('external clients', () => {
  it('reports a missing binary instead of throwing, so the scenario is skipped', async () => {
    const r = await run('sockhttp-no-such-client-binary', ['--version'], { timeoutMs: 2000 })
    expect(r.missing).toBe(true)
    expect(await available('sockhttp-no-such-client-binary')).toBe(false)
  })

  it('passes stdin and collects stdout', async () => {
    const r = await run('node', ['-e', 'process.stdin.pipe(process.stdout)'], {
      input: 'round trip',
      timeoutMs: 5000,
    })
    expect(r.missing).toBe(false)
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('round trip')
  })
})
