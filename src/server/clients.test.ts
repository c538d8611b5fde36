import { execFile } from 'node:child_process'
import http from 'node:http'
import { Pool, request } from 'undici'
import { describe, expect, it } from 'vitest'
import { App } from '../app/app.ts'
import { Response } from '../app/response.ts'
import { reflectApp } from '../apps/reflect.ts'
import { get, RawClient } from '../test-support/raw-client.ts'
import { startServer } from '../test-support/server.ts'

/** One app for every client: echo under /echo, reflect elsewhere, a streamed body under /stream. */
function app(): App {
  const reflect = reflectApp().Reflect!.handler
  return new App()
    .post(
      '/echo',
      (req) =>
        new Response(200, req.body, {
          'Content-Type': req.headers.get('content-type') ?? 'application/octet-stream',
        }),
    )
    .get(
      '/stream',
      () =>
        new Response(
          200,
          (async function* () {
            for (let i = 0; i < 5; i++) yield `part${i};`
          })(),
        ),
    )
    .all(/^/, reflect)
}

interface Reflected {
  method: string
  target: string
  version: string
  headers: Array<[string, string]>
  body: string
}

function curl(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('curl', ['--max-time', '10', ...args], { timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr })
    })
  })
}

describe('clients over real TCP', () => {
  it('undici request: GET, POST with a body, and a chunked response', async () => {
    const { url } = await startServer(app())
    const got = await request(`${url}/a?b=1`, { headers: { 'x-test': 'yes' } })
    expect(got.statusCode).toBe(200)
    const reflected = (await got.body.json()) as Reflected
    expect(reflected).toMatchObject({ method: 'GET', target: '/a?b=1', version: '1.1' })
    expect(reflected.headers).toContainEqual(['x-test', 'yes'])

    const posted = await request(`${url}/echo`, {
      method: 'POST',
      body: 'hello',
      headers: { 'content-type': 'text/x-test' },
    })
    expect(posted.headers['content-type']).toBe('text/x-test')
    expect(await posted.body.text()).toBe('hello')

    const streamed = await request(`${url}/stream`)
    expect(streamed.headers['transfer-encoding']).toBe('chunked')
    expect(await streamed.body.text()).toBe('part0;part1;part2;part3;part4;')
  })

  it('undici Pool with pipelining: 40 requests over one connection, each gets its own answer', async () => {
    const { url, server } = await startServer(app(), { poolSize: 4 })
    const pool = new Pool(url, { connections: 1, pipelining: 10 })
    try {
      const bodies = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const r = await pool.request({ path: `/p/${i}`, method: 'GET' })
          return ((await r.body.json()) as Reflected).target
        }),
      )
      expect(bodies).toEqual(Array.from({ length: 40 }, (_, i) => `/p/${i}`))
      expect(server.stats.connectionsAccepted).toBe(1)
      expect(server.stats.requests).toBe(40)
    } finally {
      await pool.close()
    }
  })

  it('node:http client: a keep-alive Agent reuses one connection', async () => {
    const { port, server } = await startServer(app())
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      for (let i = 0; i < 5; i++) {
        const body = await new Promise<string>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port, path: `/k/${i}`, agent }, (res) => {
              expect(res.headers.connection).toBe('keep-alive')
              let text = ''
              res.setEncoding('utf8')
              res.on('data', (chunk: string) => {
                text += chunk
              })
              res.on('end', () => resolve(text))
            })
            .on('error', reject)
        })
        expect((JSON.parse(body) as Reflected).target).toBe(`/k/${i}`)
      }
      expect(server.stats.connectionsAccepted).toBe(1)
    } finally {
      agent.destroy()
    }
  })

  it('node:http client: a chunked upload is decoded and echoed', async () => {
    const { port } = await startServer(app())
    const parts = Array.from({ length: 20 }, (_, i) => `chunk-${i}-${'x'.repeat(i * 100)}|`)
    const echoed = await new Promise<{ text: string; status: number }>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: '/echo', method: 'POST', headers: { 'content-type': 'text/plain' } },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            text += chunk
          })
          res.on('end', () => resolve({ text, status: res.statusCode ?? 0 }))
        },
      )
      req.on('error', reject)
      for (const part of parts) req.write(part)
      req.end()
    })
    expect(echoed.status).toBe(200)
    expect(echoed.text).toBe(parts.join(''))
  })

  it('curl: GET, HEAD, POST, HTTP/1.0, and connection reuse across URLs', async () => {
    const { url, server } = await startServer(app())
    const getResult = await curl(['-s', '-H', 'X-Curl: 1', `${url}/c?x=1`])
    expect(getResult.code).toBe(0)
    const reflected = JSON.parse(getResult.stdout) as Reflected
    expect(reflected.target).toBe('/c?x=1')
    expect(reflected.headers).toContainEqual(['X-Curl', '1'])

    const head = await curl(['-sI', `${url}/stream`])
    expect(head.code).toBe(0)
    expect(head.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/)

    const post = await curl([
      '-s',
      '--data-binary',
      'curl body',
      '-H',
      'Content-Type: text/plain',
      `${url}/echo`,
    ])
    expect(post.stdout).toBe('curl body')

    const old = await curl(['-s0', `${url}/old`])
    expect((JSON.parse(old.stdout) as Reflected).version).toBe('1.0')

    const before = server.stats.connectionsAccepted
    const reuse = await curl(['-sv', `${url}/r1`, `${url}/r2`, `${url}/r3`])
    expect(reuse.code).toBe(0)
    expect(reuse.stdout.match(/"target":"\/r\d"/g)).toEqual([
      '"target":"/r1"',
      '"target":"/r2"',
      '"target":"/r3"',
    ])
    expect(server.stats.connectionsAccepted - before).toBe(1)
  })

  it('raw net: exact bytes in, exact framing out', async () => {
    const { port } = await startServer(app())
    const client = await RawClient.connect(port)
    await client.send(get('/raw', ['X-A: 1']))
    const r = await client.readResponse()
    expect(r.raw.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(r.get('content-type')).toBe('application/json')
    expect(Number(r.get('content-length'))).toBe(r.body.length)
    expect((r.json() as Reflected).headers).toEqual([
      ['Host', 'test'],
      ['X-A', '1'],
    ])
    client.destroy()
  })
})
