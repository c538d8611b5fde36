import { describe, expect, it } from 'vitest'
import { accept, reject } from './cases/dsl.ts'
import type { Observation } from './clients/raw.ts'
import { judge, statusMatches } from './verdict.ts'
import { latin1 } from './wire/bytes.ts'
import { ResponseReader } from './wire/response-reader.ts'

function obs(
  text: string,
  connection: Observation['connection'],
  probeTarget: string | null = '/__conformance_probe',
): Observation {
  const r = new ResponseReader()
  r.push(latin1(text))
  r.end()
  const probe = probeTarget === null ? null : reflectResponse({ method: 'GET', target: probeTarget })
  return {
    responses: r.responses,
    connection,
    reset: false,
    readerError: r.error,
    writeError: null,
    elapsedMs: 1,
    received: latin1(text),
    probe,
  }
}

function reflectResponse(fields: Record<string, unknown>) {
  const r = new ResponseReader()
  r.push(latin1(reflectText(fields)))
  return r.responses[0]!
}

function reflectText(fields: Record<string, unknown>): string {
  const body = JSON.stringify({
    method: 'GET',
    target: '/',
    version: '1.1',
    headers: [],
    trailers: [],
    body: '',
    ...fields,
  })
  return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
}

const OBS_FOLD = [reject(400), accept({ fields: { 'x-f': /^a +b$/ } }, 'replaced by SP')].flat()

describe('judge', () => {
  it('matches a rejection and the close', () => {
    const j = judge(OBS_FOLD, obs('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n', 'close', null), {
      reflect: true,
    })
    expect(j.outcome?.name).toBe('rejected with 400')
    expect(j.outcome?.warn).toBeUndefined()
  })

  it('treats a rejection that leaves the connection open as a warning', () => {
    const j = judge(OBS_FOLD, obs('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n', 'open'), {
      reflect: true,
    })
    expect(j.outcome?.warn).toBeTruthy()
  })

  it('checks the reflected fields of an accepted request', () => {
    const good = obs(reflectText({ headers: [['X-F', 'a  b']] }), 'open')
    expect(judge(OBS_FOLD, good, { reflect: true }).outcome?.name).toBe('replaced by SP')
    const glued = obs(reflectText({ headers: [['X-F', 'ab']] }), 'open')
    const j = judge(OBS_FOLD, glued, { reflect: true })
    expect(j.outcome).toBeNull()
    expect(j.mismatches.join(' ')).toMatch(/field x-f/)
  })

  it('sees a desynchronised connection through the probe', () => {
    const o = obs(reflectText({ headers: [['X-F', 'a b']] }), 'open', '/smuggled')
    expect(judge(OBS_FOLD, o, { reflect: true }).outcome).toBeNull()
  })

  it('fails a malformed response', () => {
    const j = judge(OBS_FOLD, obs('HTTP/1.1 400 Bad Request\nContent-Length: 0\n\n', 'close', null), {
      reflect: true,
    })
    expect(j.outcome).toBeNull()
    expect(j.actual).toMatch(/malformed/)
  })

  it('accepts any non-error status as "accepted" without reflect', () => {
    expect(statusMatches('accepted', 404, false)).toBe(true)
    expect(statusMatches('accepted', 404, true)).toBe(false)
    expect(statusMatches('accepted', 400, false)).toBe(false)
    expect(statusMatches([400, 501], 501, true)).toBe(true)
  })
})
