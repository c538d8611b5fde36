import { describe, expect, it } from 'vitest'
import { App } from '../app/app.ts'
import { Response } from '../app/response.ts'
import { get, RawClient } from '../test-support/raw-client.ts'
import { startServer } from '../test-support/server.ts'

interface Case {
  readonly name: string
  readonly status: number
  readonly request: string
}

const LIMITS = { maxHeadSize: 2048, maxHeaderCount: 20, maxTargetLength: 256, maxBodySize: 64 }

const CASES: readonly Case[] = [
  { name: 'a bare LF line ending (RFC 9112 §2.2)', status: 400, request: 'GET / HTTP/1.1\nHost: t\n\n' },
  { name: 'a missing Host in HTTP/1.1 (RFC 9112 §3.2)', status: 400, request: 'GET / HTTP/1.1\r\n\r\n' },
  {
    name: 'Content-Length with Transfer-Encoding (RFC 9112 §6.3)',
    status: 400,
    request:
      'POST /h HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  },
  {
    name: 'whitespace before the colon (RFC 9112 §5.1)',
    status: 400,
    request: 'GET / HTTP/1.1\r\nHost : t\r\n\r\n',
  },
  {
    name: 'a body over maxBodySize (RFC 9110 §15.5.14)',
    status: 413,
    request: `POST /h HTTP/1.1\r\nHost: t\r\nContent-Length: 65\r\n\r\n${'x'.repeat(65)}`,
  },
  {
    name: 'a chunked body growing over maxBodySize',
    status: 413,
    request: `POST /h HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n${'x'.repeat(64)}\r\n1\r\nx\r\n0\r\n\r\n`,
  },
  {
    name: 'a target over maxTargetLength (RFC 9112 §3)',
    status: 414,
    request: `GET /${'a'.repeat(300)} HTTP/1.1\r\nHost: t\r\n\r\n`,
  },
  {
    name: 'a head over maxHeadSize (RFC 6585 §5)',
    status: 431,
    request: `GET / HTTP/1.1\r\nHost: t\r\nX-Big: ${'v'.repeat(3000)}\r\n\r\n`,
  },
  {
    name: 'more fields than maxHeaderCount',
    status: 431,
    request: `GET / HTTP/1.1\r\nHost: t\r\n${Array.from({ length: 25 }, (_, i) => `X-${i}: v\r\n`).join('')}\r\n`,
  },
  {
    name: 'an unknown transfer coding (RFC 9112 §6.1)',
    status: 501,
    request: 'POST /h HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: zstd, chunked\r\n\r\n0\r\n\r\n',
  },
  {
    name: 'HTTP/2.0 in a request line (RFC 9110 §15.6.6)',
    status: 505,
    request: 'GET / HTTP/2.0\r\nHost: t\r\n\r\n',
  },
  { name: 'HTTP/3.0', status: 505, request: 'GET / HTTP/3.0\r\nHost: t\r\n\r\n' },
]

function countingApp(calls: string[]): App {
  return new App().all(/^/, (req) => {
    calls.push(`${req.method} ${req.target}`)
    return new Response(200, 'handled')
  })
}

describe('requests the parser rejects', () => {
  for (const c of CASES) {
    it(`answers ${c.status} with Connection: close and closes, for ${c.name}`, async () => {
      const calls: string[] = []
      const { port } = await startServer(countingApp(calls), { limits: LIMITS })
      const client = await RawClient.connect(port)
      await client.send(c.request)
      const response = await client.readResponse()
      expect(response.status).toBe(c.status)
      expect(response.get('connection')).toBe('close')
      expect(response.get('content-type')).toBe('text/plain; charset=utf-8')
      expect(response.text()).toMatch(new RegExp(`^${c.status} `))
      const closed = await client.waitForClose()
      expect(closed.ended).toBe(true)
      expect(client.buffered.length).toBe(0)
      expect(calls).toEqual([])
    })
  }

  it('RFC 9110 §9.3.6: answers 501 to CONNECT, which is not supported, and closes', async () => {
    const calls: string[] = []
    const { port } = await startServer(countingApp(calls))
    const client = await RawClient.connect(port)
    await client.send('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')
    const response = await client.readResponse()
    expect(response.status).toBe(501)
    expect(response.get('connection')).toBe('close')
    await client.waitForClose()
    expect(calls).toEqual([])
  })

  it('RFC 9110 §7.8: declines an Upgrade offer by answering in HTTP/1.1, and keeps serving the connection', async () => {
    const calls: string[] = []
    const { port } = await startServer(countingApp(calls))
    const client = await RawClient.connect(port)
    await client.send(
      'GET /h HTTP/1.1\r\nHost: t\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\nGET /h HTTP/1.1\r\nHost: t\r\n\r\n',
    )
    const first = await client.readResponse()
    const second = await client.readResponse()
    expect([first.status, second.status]).toEqual([200, 200])
    expect(first.get('connection')).toBe('keep-alive')
    expect(calls.length).toBe(2)
  })

  it('answers 400 to a request cut short by the client half-closing', async () => {
    const calls: string[] = []
    const { port } = await startServer(countingApp(calls))
    const client = await RawClient.connect(port)
    await client.send('POST /h HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc')
    client.end()
    const response = await client.readResponse()
    expect(response.status).toBe(400)
    expect(response.get('connection')).toBe('close')
    await client.waitForClose()
    expect(calls).toEqual([])
  })

  it('survives clients that reset mid-request and mid-response, and keeps serving', async () => {
    const calls: string[] = []
    const { port, server } = await startServer(countingApp(calls))
    for (let i = 0; i < 5; i++) {
      const client = await RawClient.connect(port)
      await client.send('POST /h HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\npartial')
      client.socket.resetAndDestroy()
    }
    const after = await RawClient.connect(port)
    await after.send(get('/ok'))
    expect((await after.readResponse()).text()).toBe('handled')
    after.destroy()
    expect(server.listening).toBe(true)
  })

  it('answers the error for the second request only, after the first one got its response', async () => {
    const calls: string[] = []
    const { port } = await startServer(countingApp(calls))
    const client = await RawClient.connect(port)
    await client.send(`${get('/first')}GET / HTTP/1.1\r\nHost: t\r\nBad\x01Name: v\r\n\r\n`)
    const [first, error] = await client.readResponses(2)
    expect(first!.status).toBe(200)
    expect(first!.get('connection')).toBe('keep-alive')
    expect(error!.status).toBe(400)
    expect(error!.get('connection')).toBe('close')
    await client.waitForClose()
    expect(calls).toEqual(['GET /first'])
  })
})
