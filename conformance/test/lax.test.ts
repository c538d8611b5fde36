/** The suite must be able to fail: a deliberately lax server fails exactly the cases it gets wrong. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { catalog, exactly } from '../cases/index.ts'
import { runCases } from '../runner.ts'
import type { RunningTarget } from '../targets/index.ts'
import { type LaxServer, startLaxServer } from './lax-server.ts'

function asTarget(lax: LaxServer, name: string): RunningTarget {
  return {
    name,
    slug: name,
    reflect: { host: lax.host, port: lax.port },
    hello: null,
    speaksReflect: true,
    headersTimeoutMs: null,
    connectionsAccepted: () => lax.connectionsAccepted,
    close: () => lax.close(),
  }
}

const OPTS = { timeoutMs: 800, split: false, strict: false, concurrency: 8, seed: 1, splitPauseMs: 1 }

describe('against a lax server', () => {
  let lax: LaxServer
  beforeAll(async () => {
    lax = await startLaxServer()
  })
  afterAll(async () => {
    await lax.close()
  })

  const mustFail = [
    // Content-Length wins over Transfer-Encoding, connection kept open.
    '9112-6.3/te-cl-then-te',
    '9112-6.3/te-te-then-cl',
    '9112-6.3/te-cl-smuggle',
    '9112-6.3/te-cl-zero-with-te',
    // A lone LF accepted in chunked framing.
    '9112-7.1/lf-after-chunk-size',
    '9112-7.1/lf-after-chunk-data',
    '9112-7.1/lf-last-chunk',
    // obs-fold glued without SP.
    '9112-5.2/obs-fold-sp',
    '9112-5.2/obs-fold-htab',
    '9112-5.2/obs-fold-multi',
  ]

  it('fails the CL+TE, bare-LF-in-chunked and obs-fold cases', async () => {
    const results = await runCases(exactly(catalog(), mustFail), asTarget(lax, 'lax'), OPTS)
    expect(results.map((r) => [r.id, r.status]).sort()).toEqual(mustFail.map((id) => [id, 'fail']).sort())
    for (const r of results) {
      expect(r.mismatches.length).toBeGreaterThan(0)
      expect(r.request).toBeTruthy()
    }
  })

  it('still passes the well-formed cases (the failures above are specific)', async () => {
    const ok = [
      '9110-8.6/cl-valid',
      '9112-6.1/te-chunked',
      '9112-9.3.2/pipeline-3',
      '9112-2.2/lf-header-line',
    ]
    const results = await runCases(exactly(catalog(), ok), asTarget(lax, 'lax'), OPTS)
    expect(results.map((r) => [r.id, r.status]).sort()).toEqual(ok.map((id) => [id, 'pass']).sort())
  })
})

describe('against a server that closes after every response', () => {
  it('fails the keep-alive reuse scenarios', async () => {
    const lax = await startLaxServer({ closeEachResponse: true })
    try {
      const ids = [
        'client/undici-keep-alive-reuse',
        'client/node-http-keep-alive-agent',
        'client/python3-http-client',
        '9112-9.3.2/pipeline-3',
      ]
      const results = await runCases(exactly(catalog(), ids), asTarget(lax, 'closing'), OPTS)
      const byId = Object.fromEntries(results.map((r) => [r.id, r.status]))
      expect(byId['client/undici-keep-alive-reuse']).toBe('fail')
      expect(byId['client/node-http-keep-alive-agent']).toBe('fail')
      expect(['fail', 'skip']).toContain(byId['client/python3-http-client'])
      expect(byId['9112-9.3.2/pipeline-3']).toBe('fail')
    } finally {
      await lax.close()
    }
  })
})

describe('split mode and timeouts can fail too', () => {
  it('reports split-mode disagreements of a server that forgets partial reads', async () => {
    const lax = await startLaxServer({ forgetfulReads: true })
    try {
      const ids = ['9110-8.6/cl-valid', '9112-6.1/te-chunked']
      const results = await runCases(exactly(catalog(), ids), asTarget(lax, 'forgetful'), {
        ...OPTS,
        split: true,
      })
      const byId = Object.fromEntries(results.map((r) => [r.id, r]))
      expect(byId['9110-8.6/cl-valid']?.status).toBe('pass')
      expect(byId['9110-8.6/cl-valid~split']?.status).toBe('fail')
      expect(byId['9110-8.6/cl-valid~split']?.level).toBe('MUST')
      expect(byId['9112-6.1/te-chunked~split']?.status).toBe('fail')
    } finally {
      await lax.close()
    }
  })

  it('warns on a server without a headers timeout, and fails it with --strict', async () => {
    const lax = await startLaxServer()
    try {
      const target = { ...asTarget(lax, 'no-timeout'), headersTimeoutMs: 200 }
      const [plain] = await runCases(exactly(catalog(), ['9112-9.5/slow-head']), target, OPTS)
      expect(plain?.status).toBe('warn')
      const [strict] = await runCases(exactly(catalog(), ['9112-9.5/slow-head']), target, {
        ...OPTS,
        strict: true,
      })
      expect(strict?.status).toBe('fail')
    } finally {
      await lax.close()
    }
  })
})
