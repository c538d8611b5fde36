/**
 * Real-client scenarios: the target driven by undici, node:http, curl, python3's http.client and a
 * raw net socket, judged on what each client observed. A client that is not installed is skipped.
 * These run one at a time after the wire cases, so the target's connection counter is meaningful.
 */
import http from 'node:http'
import net from 'node:net'
import { Readable } from 'node:stream'
import { Client, Pool, request } from 'undici'
import { available, run } from '../clients/spawn.ts'
import type { ScenarioCase, ScenarioContext, ScenarioResult } from '../types.ts'
import { parseReflect, type ReflectBody } from '../verdict.ts'
import { ResponseReader } from '../wire/response-reader.ts'

const KEEP_ALIVE =
  'HTTP/1.1 connections persist by default (RFC 9112 §9.3): a client that reuses its connection must be able to send every request over one connection.'

function origin(ctx: ScenarioContext): string {
  const h = ctx.target.host.includes(':') ? `[${ctx.target.host}]` : ctx.target.host
  return `http://${h}:${ctx.target.port}`
}

function reflectOf(text: string): ReflectBody | null {
  return parseReflect({
    version: 'HTTP/1.1',
    status: 200,
    reason: '',
    headers: [],
    body: new TextEncoder().encode(text),
    trailers: [],
    framing: 'length',
    interim: [],
  })
}

function field(r: ReflectBody | null, name: string): string | undefined {
  return r?.headers.find(([n]) => n.toLowerCase() === name)?.[1]
}

/** Counts connections the target accepted during `fn`, from the target when it can tell. */
async function countConnections<T>(
  ctx: ScenarioContext,
  fn: () => Promise<T>,
): Promise<{ value: T; accepted: number | null }> {
  const before = ctx.target.connectionsAccepted?.()
  const value = await fn()
  const after = ctx.target.connectionsAccepted?.()
  return { value, accepted: before === undefined || after === undefined ? null : after - before }
}

const pass = (detail: string): ScenarioResult => ({ status: 'pass', detail })
const fail = (detail: string, expected?: string): ScenarioResult => ({
  status: 'fail',
  detail,
  ...(expected ? { expected } : {}),
})
const skip = (detail: string): ScenarioResult => ({ status: 'skip', detail })

function scenario(
  id: string,
  client: ScenarioCase['client'],
  section: string,
  requirement: string,
  runFn: (ctx: ScenarioContext) => Promise<ScenarioResult>,
  rfc: ScenarioCase['rfc'] = 'RFC 9112',
  level: ScenarioCase['level'] = 'MUST',
): ScenarioCase {
  return { kind: 'scenario', id, rfc, section, level, requirement, client, run: runFn }
}

function needsReflect(ctx: ScenarioContext): ScenarioResult | null {
  return ctx.target.reflect ? null : skip('needs the reflect app (pass --reflect)')
}

// ---- undici -------------------------------------------------------------------------------------

const undiciRequest = scenario(
  'client/undici-request',
  'undici',
  '9.3',
  'An undici `request` POST with a body gets a 200 whose reflect shows the method, target and body.',
  async (ctx) => {
    const s = needsReflect(ctx)
    if (s) return s
    const res = await request(`${origin(ctx)}/undici?x=1`, {
      method: 'POST',
      body: 'hi undici',
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    })
    const text = await res.body.text()
    const r = reflectOf(text)
    if (res.statusCode !== 200 || !r) return fail(`status ${res.statusCode}, body ${text.slice(0, 120)}`)
    if (r.method !== 'POST' || r.target !== '/undici?x=1' || r.body !== 'hi undici')
      return fail(`reflect saw ${r.method} ${r.target} body ${JSON.stringify(r.body)}`)
    return pass('200, method/target/body reflected')
  },
)

const undiciPipelining = scenario(
  'client/undici-pool-pipelining-10',
  'undici',
  '9.3.2',
  'An undici Pool with one connection and pipelining 10 sends 10 requests back to back; each gets its own response, in order, over one connection.',
  async (ctx) => {
    const s = needsReflect(ctx)
    if (s) return s
    const pool = new Pool(origin(ctx), {
      connections: 1,
      pipelining: 10,
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    })
    let connects = 0
    pool.on('connect', () => {
      connects++
    })
    try {
      const { value, accepted } = await countConnections(ctx, () =>
        Promise.all(
          Array.from({ length: 10 }, async (_, i) => {
            const res = await pool.request({ path: `/pipe/${i}`, method: 'GET' })
            return { status: res.statusCode, r: reflectOf(await res.body.text()) }
          }),
        ),
      )
      const wrong = value
        .map((v, i) =>
          v.status === 200 && v.r?.target === `/pipe/${i}` ? null : `#${i}: ${v.status} ${v.r?.target}`,
        )
        .filter(Boolean)
      if (wrong.length > 0) return fail(`responses did not match their requests: ${wrong.join(', ')}`)
      const conns = accepted ?? connects
      if (conns !== 1) return fail(`10 pipelined requests used ${conns} connections`, '1 connection')
      return pass(
        `10 responses in order over ${conns} connection (${accepted === null ? 'client-side count' : 'counted by the target'})`,
      )
    } finally {
      await pool.close()
    }
  },
)

const undiciStreaming = scenario(
  'client/undici-streaming-upload',
  'undici',
  '7.1',
  'An undici streaming upload (an async iterable body, sent chunked) arrives whole and in order.',
  async (ctx) => {
    const s = needsReflect(ctx)
    if (s) return s
    const parts = ['alpha-', 'beta-', 'gamma-', 'delta-', 'omega']
    async function* body(): AsyncGenerator<Uint8Array> {
      for (const p of parts) {
        yield new TextEncoder().encode(p)
        await new Promise((r) => setTimeout(r, 5))
      }
    }
    const res = await request(`${origin(ctx)}/stream`, {
      method: 'POST',
      // A Readable of unknown length: undici sends it with Transfer-Encoding: chunked.
      body: Readable.from(body()),
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    })
    const r = reflectOf(await res.body.text())
    if (res.statusCode !== 200 || !r) return fail(`status ${res.statusCode}`)
    if (r.body !== parts.join('')) return fail(`body ${JSON.stringify(r.body)}`)
    return pass(
      `200, ${parts.length} chunks reassembled (Transfer-Encoding: ${field(r, 'transfer-encoding') ?? 'none'})`,
    )
  },
)

const undiciReuse = scenario('client/undici-keep-alive-reuse', 'undici', '9.3', KEEP_ALIVE, async (ctx) => {
  const client = new Client(origin(ctx), { headersTimeout: ctx.timeoutMs, bodyTimeout: ctx.timeoutMs })
  let connects = 0
  client.on('connect', () => {
    connects++
  })
  try {
    const { value, accepted } = await countConnections(ctx, async () => {
      const statuses: number[] = []
      for (let i = 0; i < 20; i++) {
        const res = await client.request({ path: `/reuse/${i}`, method: 'GET' })
        await res.body.dump()
        statuses.push(res.statusCode)
      }
      return statuses
    })
    if (value.some((s) => s >= 400)) return fail(`statuses ${value.join(',')}`)
    const conns = accepted ?? connects
    return conns === 1
      ? pass(
          `20 requests over 1 connection (${accepted === null ? 'client-side count' : 'counted by the target'})`,
        )
      : fail(`20 requests used ${conns} connections`, '1 connection')
  } finally {
    await client.close()
  }
})

// ---- node:http ----------------------------------------------------------------------------------

function nodeRequest(
  agent: http.Agent,
  ctx: ScenarioContext,
  opts: http.RequestOptions,
  write?: (req: http.ClientRequest) => void,
): Promise<{ status: number; text: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: ctx.target.host, port: ctx.target.port, agent, timeout: ctx.timeoutMs, ...opts },
      (res) => {
        let text = ''
        res.setEncoding('latin1')
        res.on('data', (d: string) => {
          text += d
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, reused: req.reusedSocket }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.on('timeout', () => req.destroy(new Error('timeout')))
    if (write) write(req)
    else req.end()
  })
}

const nodeAgent = scenario(
  'client/node-http-keep-alive-agent',
  'node:http',
  '9.3',
  KEEP_ALIVE,
  async (ctx) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const { value, accepted } = await countConnections(ctx, async () => {
        const out = []
        for (let i = 0; i < 10; i++) out.push(await nodeRequest(agent, ctx, { path: `/agent/${i}` }))
        return out
      })
      if (value.some((v) => v.status >= 400)) return fail(`statuses ${value.map((v) => v.status).join(',')}`)
      const reused = value.filter((v) => v.reused).length
      if (accepted !== null && accepted !== 1)
        return fail(`10 requests used ${accepted} connections`, '1 connection')
      if (reused !== 9) return fail(`only ${reused} of 9 follow-up requests reused the socket`)
      return pass(
        `10 requests, 9 on a reused socket${accepted === null ? '' : ', 1 connection counted by the target'}`,
      )
    } finally {
      agent.destroy()
    }
  },
)

const nodeChunked = scenario(
  'client/node-http-chunked-upload',
  'node:http',
  '7.1',
  'A node:http client request written in several pieces without a length is sent chunked and arrives whole.',
  async (ctx) => {
    const s = needsReflect(ctx)
    if (s) return s
    const agent = new http.Agent({ keepAlive: true })
    try {
      const res = await nodeRequest(agent, ctx, { method: 'PUT', path: '/chunked' }, (req) => {
        req.write('one,')
        setTimeout(() => {
          req.write('two,')
          setTimeout(() => req.end('three'), 5)
        }, 5)
      })
      const r = reflectOf(res.text)
      if (res.status !== 200 || !r) return fail(`status ${res.status}`)
      if (r.body !== 'one,two,three') return fail(`body ${JSON.stringify(r.body)}`)
      if (field(r, 'transfer-encoding')?.toLowerCase() !== 'chunked')
        return fail(`sent without chunked? TE=${field(r, 'transfer-encoding')}`)
      return pass('200, chunked body reassembled')
    } finally {
      agent.destroy()
    }
  },
)

// ---- curl ---------------------------------------------------------------------------------------

async function curl(ctx: ScenarioContext, args: string[], input?: Uint8Array | string) {
  if (!(await available('curl'))) return null
  return run('curl', ['-sS', '--max-time', String(Math.ceil(ctx.timeoutMs / 1000) + 5), ...args], {
    timeoutMs: ctx.timeoutMs + 10_000,
    ...(input !== undefined ? { input } : {}),
  })
}

const curlHttp10 = scenario(
  'client/curl-http1.0',
  'curl',
  '2.3',
  'curl --http1.0 gets a valid answer, and the server sees version 1.0.',
  async (ctx) => {
    const s = needsReflect(ctx)
    if (s) return s
    const r = await curl(ctx, ['--http1.0', '-i', `${origin(ctx)}/old`])
    if (!r) return skip('curl is not installed')
    if (r.code !== 0) return fail(`curl exit ${r.code}: ${r.stderr.trim()}`)
    const statusLine = r.stdout.split('\r\n')[0] ?? ''
    const body = r.stdout.slice(r.stdout.indexOf('\r\n\r\n') + 4)
    const refl = reflectOf(body)
    if (!/^HTTP\/1\.[01] 200 /.test(statusLine)) return fail(`status line ${JSON.stringify(statusLine)}`)
    if (refl?.version !== '1.0') return fail(`server saw version ${refl?.version}`)
    return pass(`${statusLine}; server saw HTTP/1.0`)
  },
)

const curlChunked = scenario(
  'client/curl-chunked-upload',
  'curl',
  '7.1',
  'curl -T - (upload from stdin, length unknown) sends a chunked body that arrives whole.',
  async (ctx) => {
    const s = needsReflect(ctx)
    if (s) return s
    const payload = 'curl-chunked-'.repeat(500)
    const r = await curl(ctx, ['-T', '-', '-X', 'POST', '-H', 'Expect:', `${origin(ctx)}/upload`], payload)
    if (!r) return skip('curl is not installed')
    if (r.code !== 0) return fail(`curl exit ${r.code}: ${r.stderr.trim()}`)
    const refl = reflectOf(r.stdout)
    if (!refl) return fail(`not a reflect body: ${r.stdout.slice(0, 100)}`)
    if (field(refl, 'transfer-encoding')?.toLowerCase() !== 'chunked')
      return fail(`TE=${field(refl, 'transfer-encoding')}`)
    if (refl.body !== payload) return fail(`body of ${refl.body.length} bytes, sent ${payload.length}`)
    return pass(`chunked upload of ${payload.length} bytes reassembled`)
  },
)

const curlExpect = scenario(
  'client/curl-expect-100-continue',
  'curl',
  '10.1.1',
  'curl sending a large POST with "Expect: 100-continue" gets 100 Continue (no stall) and then the final response with the whole body read.',
  async (ctx) => {
    const s = needsReflect(ctx)
    if (s) return s
    const payload = 'E'.repeat(256 * 1024)
    const started = performance.now()
    const r = await curl(
      ctx,
      [
        '-v',
        '-H',
        'Expect: 100-continue',
        '-H',
        'Content-Type: application/octet-stream',
        '--data-binary',
        '@-',
        `${origin(ctx)}/expect`,
      ],
      payload,
    )
    if (!r) return skip('curl is not installed')
    const ms = Math.round(performance.now() - started)
    if (r.code !== 0) return fail(`curl exit ${r.code}: ${r.stderr.trim().slice(-200)}`)
    const refl = reflectOf(r.stdout)
    if (!refl || refl.body.length !== payload.length)
      return fail(`server read ${refl?.body.length ?? '?'} of ${payload.length} bytes`)
    if (!/< HTTP\/1\.1 100/.test(r.stderr))
      return { status: 'warn', detail: `no 100 Continue; curl waited for its expect timeout (${ms} ms)` }
    return pass(`100 Continue, then 200 with all ${payload.length} bytes (${ms} ms)`)
  },
  'RFC 9110',
)

const curlNext = scenario(
  'client/curl-next-one-connection',
  'curl',
  '9.3',
  `${KEEP_ALIVE} curl --next runs several transfers on one connection.`,
  async (ctx) => {
    const o = origin(ctx)
    const w = ['-o', '/dev/null', '-w', '%{http_code} %{num_connects}\\n']
    const { value: r, accepted } = await countConnections(ctx, () =>
      curl(ctx, [...w, `${o}/n1`, '--next', ...w, `${o}/n2`, '--next', ...w, `${o}/n3`]),
    )
    if (!r) return skip('curl is not installed')
    if (r.code !== 0) return fail(`curl exit ${r.code}: ${r.stderr.trim()}`)
    const lines = r.stdout.trim().split('\n')
    const codes = lines.map((l) => l.split(' ')[0])
    const connects = lines.reduce((n, l) => n + Number(l.split(' ')[1] ?? 0), 0)
    if (codes.some((c) => !c || Number(c) >= 400)) return fail(`statuses ${codes.join(',')}`)
    const conns = accepted ?? connects
    return conns === 1
      ? pass(`3 transfers over 1 connection (${codes.join(',')})`)
      : fail(`3 transfers used ${conns} connections`, '1 connection')
  },
)

// ---- python3 ------------------------------------------------------------------------------------

const PY = `
import http.client, json, sys
host, port = sys.argv[1], int(sys.argv[2])
c = http.client.HTTPConnection(host, port, timeout=10)
out = []
c.request('GET', '/py/a')
r = c.getresponse(); b = r.read(); s1 = c.sock
out.append([r.status, r.version, b.decode('latin1')])
c.request('POST', '/py/b', body=b'python body', headers={'Content-Type': 'text/plain'})
r = c.getresponse(); b = r.read()
out.append([r.status, r.version, b.decode('latin1')])
print(json.dumps({'responses': out, 'same_socket': s1 is c.sock}))
`

const python = scenario(
  'client/python3-http-client',
  'python3',
  '9.3',
  `python3's http.client sends a GET and a POST on one HTTPConnection; both are answered and the connection is reused.`,
  async (ctx) => {
    if (!(await available('python3'))) return skip('python3 is not installed')
    const { value: r, accepted } = await countConnections(ctx, () =>
      run('python3', ['-c', PY, ctx.target.host, String(ctx.target.port)], {
        timeoutMs: ctx.timeoutMs + 10_000,
      }),
    )
    if (r.code !== 0) return fail(`python3 exit ${r.code}: ${r.stderr.trim().split('\n').slice(-1)[0]}`)
    const parsed = JSON.parse(r.stdout) as { responses: [number, number, string][]; same_socket: boolean }
    const [a, b] = parsed.responses
    if (!a || !b || a[0] >= 400 || b[0] >= 400)
      return fail(`statuses ${parsed.responses.map((x) => x[0]).join(',')}`)
    if (ctx.target.reflect) {
      const rb = reflectOf(b[2])
      if (rb?.body !== 'python body' || rb.method !== 'POST')
        return fail(`POST reflected as ${rb?.method} ${JSON.stringify(rb?.body)}`)
    }
    if (accepted !== null ? accepted !== 1 : !parsed.same_socket)
      return fail(`used ${accepted ?? 'a new'} connection(s)`, '1 connection')
    return pass(`GET ${a[0]}, POST ${b[0]}, one connection`)
  },
)

// ---- raw net ------------------------------------------------------------------------------------

const rawNet = scenario(
  'client/net-keep-alive-pipelined',
  'net',
  '9.3.2',
  'Over a raw net socket, two pipelined requests and then a third after the responses all use one connection and are answered in order.',
  async (ctx) => {
    const { value, accepted } = await countConnections(
      ctx,
      () =>
        new Promise<{ statuses: number[]; err: string | null }>((resolve) => {
          const reader = new ResponseReader()
          const socket = net.connect(ctx.target.port, ctx.target.host)
          const timer = setTimeout(() => done('timeout'), ctx.timeoutMs)
          let sentThird = false
          function done(err: string | null): void {
            clearTimeout(timer)
            socket.destroy()
            resolve({ statuses: reader.responses.map((r) => r.status), err })
          }
          socket.on('connect', () =>
            socket.write('GET /n1 HTTP/1.1\r\nHost: x\r\n\r\nGET /n2 HTTP/1.1\r\nHost: x\r\n\r\n'),
          )
          socket.on('data', (d: Buffer) => {
            reader.push(d)
            if (reader.error) return done(reader.error)
            if (reader.responses.length >= 2 && !sentThird) {
              sentThird = true
              socket.write('GET /n3 HTTP/1.1\r\nHost: x\r\n\r\n')
            }
            if (reader.responses.length >= 3) done(null)
          })
          socket.on('error', (e) => done(e.message))
          socket.on('end', () => done('closed early'))
        }),
    )
    if (value.err) return fail(`${value.err} after ${value.statuses.length} responses`)
    if (value.statuses.some((s) => s >= 400)) return fail(`statuses ${value.statuses.join(',')}`)
    if (accepted !== null && accepted !== 1) return fail(`used ${accepted} connections`)
    return pass(`3 responses (${value.statuses.join(',')}) on one connection`)
  },
)

export const scenarios = {
  title: 'Real clients (undici, node:http, curl, python3, net)',
  cases: [
    undiciRequest,
    undiciPipelining,
    undiciStreaming,
    undiciReuse,
    nodeAgent,
    nodeChunked,
    curlHttp10,
    curlChunked,
    curlExpect,
    curlNext,
    python,
    rawNet,
  ],
}
