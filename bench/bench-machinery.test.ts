import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { parseWrkOutput, wrkAvailable } from './gen/wrk.ts'
import { launch, tsScript } from './lib/child.ts'
import { cpuSeconds, listenQueue } from './lib/procfs.ts'
import { median, rotate, spread } from './lib/stats.ts'
import { measureMemory } from './memory.ts'
import { BENCH_SCHEMA, type BenchReport, chartBars, judgeTargets, pairedRatio } from './report.ts'
import { runServerBench, type ServerSample, summarise } from './server-bench.ts'
import { countHeads, nextTail } from './servers/count-heads.ts'
import { ratioChart } from './svg.ts'

const sample = (round: number, rps: number): ServerSample => ({
  round,
  position: 0,
  rps,
  p50Us: 1000,
  p99Us: 5000,
  cpuUsPerRequest: 10,
  errors: 0,
  non2xx: 0,
})

describe('statistics and round scheduling', () => {
  it('rotates the order so every server leads a round', () => {
    expect([0, 1, 2].map((k) => rotate(['a', 'b', 'c'], k)[0])).toEqual(['a', 'b', 'c'])
  })

  it('takes ratios within each round, then their median', () => {
    const samples = new Map([
      ['node', [sample(0, 100), sample(1, 50), sample(2, 100)]],
      ['x', [sample(0, 200), sample(1, 100), sample(2, 150)]],
    ])
    const [, x] = summarise([{ name: 'node' }, { name: 'x' }], 'node', samples)
    // Per-round ratios are 2, 2, 1.5: a drop in round 1 hits both servers and cancels out.
    expect(x?.ratio.median).toBe(2)
    expect(x?.ratio.min).toBe(1.5)
    expect(median([3, 1, 2])).toBe(2)
    expect(spread([1, 2, 3, 4]).relIqr).toBeCloseTo(1.5 / 2.5)
  })

  it("leaves wrk's spurious 0 µs percentiles out of the latency medians", () => {
    const withLatency = (round: number, p99Us: number): ServerSample => ({ ...sample(round, 100), p99Us })
    const samples = new Map([
      ['node', [withLatency(0, 0), withLatency(1, 30_000), withLatency(2, 0), withLatency(3, 40_000)]],
    ])
    const [node] = summarise([{ name: 'node' }], 'node', samples)
    expect(node?.p99Us).toBe(35_000)
    const none = summarise([{ name: 'node' }], 'node', new Map([['node', [withLatency(0, 0)]]]))
    expect(none[0]?.p99Us).toBe(0)
  })

  it('compares two servers round by round, so a slow round for both cancels out', () => {
    const samples = new Map([
      ['node', [sample(0, 100), sample(1, 100), sample(2, 100)]],
      ['a', [sample(0, 90), sample(1, 45), sample(2, 80)]],
      ['b', [sample(0, 100), sample(1, 50), sample(2, 100)]],
    ])
    const [, a, b] = summarise([{ name: 'node' }, { name: 'a' }, { name: 'b' }], 'node', samples)
    // Round 1 was slow for both: per round a/b is 0.9, 0.9, 0.8; the medians of req/s say 0.8.
    expect(pairedRatio(a!, b!)?.median).toBeCloseTo(0.9)
    expect(a!.rps.median / b!.rps.median).toBeCloseTo(0.8)
  })

  it('parses the summary line of the wrk script', () => {
    const out =
      'Running 1s test\nWRKJSON {"requests":5000,"durationUs":1000000,"bytes":1,"connectErrors":0,"readErrors":1,"writeErrors":0,"statusErrors":2,"timeouts":3,"p50Us":900,"p90Us":1500,"p99Us":4000,"maxUs":9000,"meanUs":1000.5}\n'
    const r = parseWrkOutput(out, 'wrk ...')
    expect(r).toMatchObject({ requests: 5000, rps: 5000, errors: 1, timeouts: 3, non2xx: 2 })
    expect(r.latencyUs.p99).toBe(4000)
    expect(() => parseWrkOutput('garbage', 'wrk')).toThrow(/WRKJSON/)
  })
})

describe('ceiling server', () => {
  it('counts request heads split anywhere, even one byte at a time', () => {
    const stream = Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n'.repeat(3))
    for (const size of [1, 2, 3, 5, 64]) {
      let tail: Buffer = Buffer.alloc(0)
      let n = 0
      for (let i = 0; i < stream.length; i += size) {
        const chunk = stream.subarray(i, i + size)
        n += countHeads(tail, chunk)
        tail = nextTail(tail, chunk)
      }
      expect(n).toBe(3)
    }
  })

  it('answers pipelined requests over a real socket, and its CPU time and accept queue are readable', async () => {
    const s = await launch({ name: 'ceiling', command: tsScript('bench/servers/ceiling.ts') })
    try {
      const got = await new Promise<string>((resolve, reject) => {
        const c = net.connect(s.port, s.host)
        let buf = ''
        c.setEncoding('latin1')
        c.on('error', reject)
        c.on('data', (d: string) => {
          buf += d
          if (buf.split('Hello World').length === 4) {
            c.destroy()
            resolve(buf)
          }
        })
        c.write('GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHo')
        c.write('st: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n')
      })
      expect(got.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3)
      expect(cpuSeconds(s.pid)).toBeGreaterThanOrEqual(0)
      expect(listenQueue(s.port)?.recvQ).toBe(0)
    } finally {
      await s.stop()
    }
  })
})

describe('server benchmark machinery', () => {
  it('runs interleaved rounds against servers in child processes and summarises them', async () => {
    const servers = await Promise.all([
      launch({
        name: 'node',
        command: tsScript('bench/servers/node-target.ts', ['--app', 'hello']),
        ipc: true,
      }),
      launch({ name: 'ceiling', command: tsScript('bench/servers/ceiling.ts') }),
    ])
    try {
      const [p] = await runServerBench({
        servers,
        baseline: 'node',
        pipelines: [2],
        rounds: 2,
        warmupSec: 0,
        durationSec: 1,
        connections: 10,
        threads: 1,
        generator: wrkAvailable() ? 'wrk' : 'autocannon',
      })
      expect(p?.servers.map((s) => s.server)).toEqual(['node', 'ceiling'])
      expect(p?.servers[0]?.ratio.median).toBe(1)
      for (const s of p?.servers ?? []) {
        expect(s.samples).toHaveLength(2)
        expect(s.errors).toBe(0)
        expect(s.rps.median).toBeGreaterThan(0)
      }
      expect(new Set(p?.servers[0]?.samples.map((x) => x.position))).toEqual(new Set([0, 1]))
    } finally {
      await Promise.all(servers.map((s) => s.stop()))
    }
  })

  it('measures memory with idle keep-alive connections held open', async () => {
    const s = await launch({
      name: 'node',
      command: tsScript(
        'bench/servers/node-target.ts',
        ['--app', 'hello', '--keep-alive-timeout', '60000'],
        ['--expose-gc'],
      ),
      ipc: true,
    })
    try {
      const r = await measureMemory(s, 300)
      expect(r.connections).toBe(300)
      expect(r.after.connections).toBeGreaterThanOrEqual(300)
      expect(r.bounded).toBeNull()
    } finally {
      await s.stop()
    }
  })

  it('judges targets, and renders a chart, from a report', () => {
    const targets = judgeTargets(null, null, { runtime: 'test', results: [], ratio: 0.4 })
    expect(targets.find((t) => t.id === 'memory')?.met).toBe(true)
    expect(targets.find((t) => t.id === 'server-p1')?.met).toBeNull()
    const report = {
      schema: BENCH_SCHEMA,
      memory: { results: [], ratio: 0.4 },
      server: null,
      parser: null,
    } as unknown as BenchReport
    const svg = ratioChart(chartBars(report))
    expect(svg).toContain('<svg')
    expect(svg).toContain('0.40×')
  })
})
