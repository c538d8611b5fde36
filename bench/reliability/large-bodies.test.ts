import { describe, expect, it } from 'vitest'
import { explain, MIB } from './check.ts'
import { LARGE_SMALL, runLargeBodies } from './large-bodies.ts'

describe('large bodies', () => {
  it('streams a large upload with bounded memory and answers oversize bodies 413 at once', async () => {
    const result = await runLargeBodies(LARGE_SMALL)
    expect(result.ok, explain(result)).toBe(true)
  })

  it('fails against a server with no body limit', async () => {
    const result = await runLargeBodies({
      uploadBytes: 4 * MIB,
      maxBodySize: 8 * MIB,
      rssBoundBytes: 48 * MIB,
      quickMs: 500,
      brokenMaxBodySize: Number.POSITIVE_INFINITY,
    })
    expect(result.ok).toBe(false)
    const failed = result.assertions.filter((a) => !a.ok).map((a) => a.what)
    expect(failed.some((w) => w.includes('413'))).toBe(true)
  })

  it('fails against a handler that keeps the whole body in memory', async () => {
    const result = await runLargeBodies({ ...LARGE_SMALL, broken: ['buffer-upload'] })
    expect(result.ok).toBe(false)
    const failed = result.assertions.filter((a) => !a.ok).map((a) => a.what)
    expect(failed.some((w) => w.includes('RSS grows by less than'))).toBe(true)
  })
})
