import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { bounded, RawClient } from './test-support/raw-client.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url))
/**
 * `npx tsx src/cli.ts` in one process: `node --import tsx`. The tsx binary runs the script in a
 * child and relays signals to it, giving the child only 30 ms to acknowledge before it
 * SIGKILLs it and exits 130; on a loaded machine that turns a clean SIGINT exit into a flaky
 * 130, which says nothing about our CLI.
 */
const NODE_ARGS = ['--import', 'tsx', CLI]
const NODE_APPS = fileURLToPath(new URL('../conformance/targets/node-apps.ts', import.meta.url))

interface Served {
  readonly child: ChildProcess
  readonly port: number
  readonly line: string
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const children = new Set<ChildProcess>()
afterEach(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  children.clear()
})

/** Starts `sockhttp serve` and waits for its `listening on` line. */
async function serve(args: readonly string[]): Promise<Served> {
  const child = spawn(process.execPath, [...NODE_ARGS, 'serve', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const line = await bounded(
    new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        const newline = stdout.indexOf('\n')
        if (newline !== -1) resolve(stdout.slice(0, newline))
      })
      child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening: ${stderr}`)))
    }),
    20_000,
    'the listening line',
  )
  const m = /^listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line)
  if (m === null) throw new Error(`unexpected first line ${JSON.stringify(line)}`)
  return { child, port: Number(m[1]), line, exited }
}

function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...NODE_ARGS, ...args],
      { cwd: ROOT, timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
          stdout,
          stderr,
        })
      },
    )
  })
}

function curl(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-s', '--max-time', '10', ...args], { timeout: 15_000 }, (error, stdout) =>
      error === null ? resolve(stdout) : reject(error),
    )
  })
}

/** The same raw requests against a server, the reflect bodies parsed. */
async function reflectAll(port: number, requests: readonly string[]): Promise<unknown[]> {
  const out: unknown[] = []
  for (const request of requests) {
    const client = await RawClient.connect(port)
    await client.send(request.replaceAll('PORT', String(port)))
    const response = await client.readResponse()
    out.push({ status: response.status, type: response.get('content-type'), body: response.json() })
    client.destroy()
  }
  return out
}

describe('sockhttp serve', () => {
  it('prints the listening line, answers curl, and exits 0 on SIGINT', async () => {
    const served = await serve(['--app', 'reflect', '--port', '0'])
    const body = JSON.parse(
      await curl(['--data-binary', 'hello', `http://127.0.0.1:${served.port}/a?b=1`]),
    ) as Record<string, unknown>
    expect(body).toMatchObject({ method: 'POST', target: '/a?b=1', version: '1.1', body: 'aGVsbG8=' })
    served.child.kill('SIGINT')
    expect(await bounded(served.exited, 10_000, 'serve to exit')).toEqual({ code: 0, signal: null })
  })

  it('exits 0 on SIGTERM too, after finishing a slow request', async () => {
    const served = await serve(['--app', 'slow', '--port', '0'])
    const client = await RawClient.connect(served.port)
    // Both heads arrive in one write and are parsed together, before the first (async) answer:
    // once it is back, the slow request is known to be in the server's hands.
    await client.send('GET /?ms=0 HTTP/1.1\r\nHost: t\r\n\r\nGET /?ms=300 HTTP/1.1\r\nHost: t\r\n\r\n')
    expect((await client.readResponse()).text()).toBe('OK')
    served.child.kill('SIGTERM')
    const slow = await client.readResponse()
    expect(slow.status).toBe(200)
    expect(slow.text()).toBe('OK')
    expect(slow.get('connection')).toBe('close')
    await client.waitForClose()
    expect(await bounded(served.exited, 10_000, 'serve to exit')).toEqual({ code: 0, signal: null })
  })

  it('--help prints the usage and exits 0', async () => {
    const result = await run(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/usage: sockhttp serve --app/)
    const serveHelp = await run(['serve', '--help'])
    expect(serveHelp.code).toBe(0)
  })

  it('exits 2 with a clear message on stderr for each usage error', async () => {
    const cases: ReadonlyArray<readonly [readonly string[], RegExp]> = [
      [[], /a command is needed/],
      [['serve'], /--app must be one of hello, echo, reflect, slow/],
      [['serve', '--app', 'nope'], /--app must be one of/],
      [['serve', '--app', 'reflect', '--port', 'abc'], /--port needs a non-negative integer/],
      [['serve', '--app', 'reflect', '--port', '70000'], /--port must be from 0 to 65535/],
      [['serve', '--app', 'reflect', '--wat'], /Unknown option '--wat'/],
      [['serve', '--app', 'reflect', '--impl', 'apache'], /--impl must be sockhttp or node/],
      [['launch'], /unknown command "launch"/],
    ]
    // Started together: each is a separate process, and the suite has a time budget.
    const results = await Promise.all(cases.map(([args]) => run(args)))
    for (const [i, [args, message]] of cases.entries()) {
      const result = results[i]!
      const label = `sockhttp ${args.join(' ')}`
      expect(result.code, label).toBe(2)
      expect(result.stderr, label).toMatch(/^sockhttp: /)
      expect(result.stderr, label).toMatch(message)
      expect(result.stderr, label).toMatch(/usage:/)
      expect(result.stdout, label).toBe('')
    }
  })

  it.skipIf(!existsSync(NODE_APPS))(
    '--impl node agrees with --impl sockhttp on ordinary requests via reflect',
    async () => {
      const requests = [
        'GET / HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n\r\n',
        'GET /a/b?c=1&d=%20 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\nX-Dup: 1\r\nx-dup: 2\r\n\r\n',
        'POST /p HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello',
        'PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n',
        'DELETE /d HTTP/1.1\r\nHost: x\r\nX-Spaces:   padded   \r\n\r\n',
        'GET /old HTTP/1.0\r\nUser-Agent: t\r\n\r\n',
      ]
      const node = await serve(['--app', 'reflect', '--impl', 'node', '--port', '0'])
      const ours = await serve(['--app', 'reflect', '--impl', 'sockhttp', '--port', '0'])
      const fromNode = await reflectAll(node.port, requests)
      const fromOurs = await reflectAll(ours.port, requests)
      // The Host value carries each server's own port in the first request; normalise it.
      const normalise = (list: unknown[], port: number) =>
        JSON.parse(JSON.stringify(list).replaceAll(`127.0.0.1:${port}`, '127.0.0.1:PORT')) as unknown[]
      expect(normalise(fromOurs, ours.port)).toEqual(normalise(fromNode, node.port))
      node.child.kill('SIGINT')
      ours.child.kill('SIGINT')
      expect(await bounded(node.exited, 10_000, 'node serve to exit')).toEqual({ code: 0, signal: null })
      expect(await bounded(ours.exited, 10_000, 'sockhttp serve to exit')).toEqual({ code: 0, signal: null })
    },
  )
})
