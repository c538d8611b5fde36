import { describe, expect, it } from 'vitest'
import { checkKeepAlive } from './load/keepalive.ts'

describe('keep-alive reuse check', () => {
  it('c autocannon connections cost sockhttp exactly c accepted connections', async () => {
    const r = await checkKeepAlive('sockhttp', { connections: 8, requestsPerConnection: 20 })
    expect(r.assertions.filter((a) => !a.pass)).toEqual([])
  })

  it('fails against a server that closes the connection after every response', async () => {
    const r = await checkKeepAlive('reference:close-each', { connections: 8, requestsPerConnection: 20 })
    expect(r.pass).toBe(false)
    const accepted = r.assertions.find((a) => a.name.startsWith('TCP connections accepted'))
    expect(Number(accepted?.actual)).toBeGreaterThan(8)
  })
})
