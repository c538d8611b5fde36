import { describe, expect, it } from 'vitest'
import { BACKLOG_DEFAULTS, checkBacklog } from './load/backlog.ts'

// The small version of `npm run loadtest -- --only backlog` (B = 5 only).
describe('backlog check', () => {
  it('sockhttp queues exactly min(B, somaxconn) + 1 handshakes while its loop is blocked, then answers every client', async () => {
    const r = await checkBacklog('sockhttp', { ...BACKLOG_DEFAULTS, backlog: 5, blockMs: 1500 })
    expect(r.assertions.filter((a) => !a.pass)).toEqual([])
    expect(r.observed.acceptQueue).toMatchObject({ recvQ: 6 })
    expect(r.observed.answered).toBe(25)
  })

  it('fails against a server that ignores the configured backlog', async () => {
    const r = await checkBacklog('reference:ignore-backlog', {
      ...BACKLOG_DEFAULTS,
      backlog: 5,
      blockMs: 1500,
      answerWaitMs: 3000,
    })
    expect(r.pass).toBe(false)
    expect(r.assertions.find((a) => a.name.startsWith('handshakes completed'))?.pass).toBe(false)
  })
})
