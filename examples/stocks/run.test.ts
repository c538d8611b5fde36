/**
 * run.ts and serve.ts when things go wrong at start: bad configuration is exit 2 with a message
 * naming the variable; a service that cannot start brings the others down and run.ts exits 1.
 * (The happy path, and SIGINT, are covered by stocks.e2e.test.ts.)
 */
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const RUN = fileURLToPath(new URL('./run.ts', import.meta.url))
const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url))

interface Outcome {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function runNode(args: readonly string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 25_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null
        resolve({ code, stdout, stderr })
      },
    )
  })
}

describe('run.ts start-up failures', () => {
  it('a malformed port is exit 2 naming the variable', async () => {
    const outcome = await runNode([RUN], { GATEWAY_PORT: 'eighty' })
    expect(outcome.code).toBe(2)
    expect(outcome.stderr).toContain('GATEWAY_PORT must be a port number')
  })

  it('a service that cannot listen stops the ones already started, exit 1', async () => {
    const blocker = createServer()
    blocker.listen(0, '127.0.0.1')
    await once(blocker, 'listening')
    const address = blocker.address()
    if (address === null || typeof address === 'string') throw new Error('no address')
    try {
      const outcome = await runNode([RUN], {
        CATALOG_PORT: '0',
        ORDER_PORT: String(address.port),
        GATEWAY_PORT: '0',
      })
      expect(outcome.code).toBe(1)
      // The catalog started, the order service did not, the gateway was never started.
      expect(outcome.stdout.match(/^listening on /gm)).toHaveLength(1)
      expect(outcome.stdout).toContain('order exited unexpectedly (code 1)')
      expect(outcome.stdout.trimEnd().split('\n').at(-1)).toBe('stopped with errors')
      expect(outcome.stderr).toContain('EADDRINUSE')
    } finally {
      blocker.close()
    }
  })
})

describe('serve.ts', () => {
  it('an unknown service name is exit 2 with usage', async () => {
    const outcome = await runNode([SERVE, 'billing'], {})
    expect(outcome.code).toBe(2)
    expect(outcome.stderr).toContain('usage: serve.ts catalog|order|gateway')
  })
})
