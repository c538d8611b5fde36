import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { App } from '../app/app.ts'
import { Response } from '../app/response.ts'
import { RawClient } from '../test-support/raw-client.ts'
import { startServer } from '../test-support/server.ts'

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n'

function uploadApp(calls: { count: number }): App {
  return new App().post('/upload', (req) => {
    calls.count++
    return new Response(200, {
      length: req.body.length,
      sha256: createHash('sha256').update(req.body).digest('hex'),
    })
  })
}

const dir = mkdtempSync(join(tmpdir(), 'sockhttp-expect-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function curl(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('curl', [...args], { timeout: 15_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1
      resolve({ code, stdout, stderr })
    })
  })
}

// RFC 9110 §10.1.1: a server that will read the body sends 100 (Continue) first; one that
// rejects the request answers with the final status instead and need not read the body.
describe('Expect: 100-continue', () => {
  it('gets 100 Continue then 200 for a large curl upload', async () => {
    const calls = { count: 0 }
    const { url } = await startServer(uploadApp(calls))
    const data = Buffer.alloc(700 * 1024)
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff
    const file = join(dir, 'upload.bin')
    writeFileSync(file, data)
    const result = await curl([
      '-sv',
      '--max-time',
      '10',
      '-H',
      'Expect: 100-continue',
      '-H',
      'Content-Type: application/octet-stream',
      '--data-binary',
      `@${file}`,
      `${url}/upload`,
    ])
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/< HTTP\/1\.1 100 Continue/)
    expect(result.stderr).toMatch(/< HTTP\/1\.1 200 OK/)
    expect(JSON.parse(result.stdout)).toEqual({
      length: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
    })
    expect(calls.count).toBe(1)
  })

  it('sends 100 before reading the body, then the final response, over a raw socket', async () => {
    const calls = { count: 0 }
    const { port } = await startServer(uploadApp(calls))
    const client = await RawClient.connect(port)
    await client.send('POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n')
    const interim = await client.readResponse()
    expect(interim.status).toBe(100)
    expect(interim.raw.toString('latin1')).toBe(CONTINUE)
    await client.send('hello')
    const final = await client.readResponse()
    expect(final.status).toBe(200)
    expect(final.json()).toMatchObject({ length: 5 })
    expect(final.get('connection')).toBe('keep-alive')
    client.destroy()
  })

  it('sends no 100 when the client sent the body along anyway, beyond what is owed', async () => {
    const calls = { count: 0 }
    const { port } = await startServer(uploadApp(calls))
    const client = await RawClient.connect(port)
    await client.send(
      'POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello',
    )
    // A 100 is allowed here, but never more than one interim response before the final one.
    let response = await client.readResponse()
    if (response.status === 100) response = await client.readResponse()
    expect(response.status).toBe(200)
    expect(client.buffered.length).toBe(0)
    client.destroy()
  })

  it('answers 417 for any other expectation, without running the handler', async () => {
    const calls = { count: 0 }
    const { port } = await startServer(uploadApp(calls))
    const client = await RawClient.connect(port)
    await client.send(
      'POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: something-else\r\n\r\n',
    )
    const response = await client.readResponse()
    expect(response.status).toBe(417)
    // The body was never read, so the framing of what follows is unknown: close.
    expect(response.get('connection')).toBe('close')
    await client.waitForClose()
    expect(calls.count).toBe(0)
  })

  it('answers 404 before the body instead of 100, and closes', async () => {
    const calls = { count: 0 }
    const { port } = await startServer(uploadApp(calls))
    const client = await RawClient.connect(port)
    await client.send(
      'POST /nowhere HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n',
    )
    const response = await client.readResponse()
    expect(response.status).toBe(404)
    expect(response.get('connection')).toBe('close')
    await client.waitForClose()
    expect(calls.count).toBe(0)
  })

  it('answers 405 before the body instead of 100', async () => {
    const calls = { count: 0 }
    const { port } = await startServer(uploadApp(calls))
    const client = await RawClient.connect(port)
    await client.send('PUT /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n')
    const response = await client.readResponse()
    expect(response.status).toBe(405)
    expect(response.get('allow')).toContain('POST')
    await client.waitForClose()
  })

  it('answers 413 instead of 100 when the announced body is over the limit', async () => {
    const calls = { count: 0 }
    const { port } = await startServer(uploadApp(calls), { limits: { maxBodySize: 10 } })
    const client = await RawClient.connect(port)
    await client.send(
      'POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n',
    )
    const response = await client.readResponse()
    expect(response.status).toBe(413)
    expect(response.get('connection')).toBe('close')
    await client.waitForClose()
    expect(calls.count).toBe(0)
  })

  it('ignores the expectation in an HTTP/1.0 request: no 100, the final response after the body', async () => {
    const calls = { count: 0 }
    const { port } = await startServer(uploadApp(calls))
    const client = await RawClient.connect(port)
    await client.send('POST /upload HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n')
    await client.send('hello')
    const response = await client.readResponse()
    // RFC 9110 §10.1.1: a server MUST ignore a 100-continue expectation in an HTTP/1.0 request.
    expect(response.status).toBe(200)
    expect(response.json()).toMatchObject({ length: 5 })
    await client.waitForClose()
    expect(client.buffered.length).toBe(0)
  })

  it('closes after a streaming handler answers before the 100 was sent, instead of waiting for a body', async () => {
    const app = new App().post('/early', () => new Response(403, 'not you'), { body: 'stream' })
    const { port } = await startServer(app)
    const client = await RawClient.connect(port)
    await client.send('POST /early HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n')
    const response = await client.readResponse()
    expect(response.status).toBe(403)
    // The client was told nothing about sending its body, so the framing of what follows is
    // unknown: the server must close rather than wait for bytes that may never come.
    expect(response.get('connection')).toBe('close')
    await client.waitForClose(2_000)
  })

  it('sends 100 only when the request is next in line on a pipelined connection', async () => {
    const calls = { count: 0 }
    const { port } = await startServer(uploadApp(calls))
    const client = await RawClient.connect(port)
    await client.send(
      'POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nab' +
        'POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n',
    )
    const first = await client.readResponse()
    expect(first.status).toBe(200)
    expect(first.json()).toMatchObject({ length: 2 })
    expect((await client.readResponse()).status).toBe(100)
    await client.send('xyz')
    const second = await client.readResponse()
    expect(second.json()).toMatchObject({ length: 3 })
    client.destroy()
  })
})
