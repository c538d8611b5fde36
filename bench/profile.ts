/**
 * `npx tsx bench/profile.ts`: where the time goes, for whoever optimises src/. Runs the compiled
 * sockhttp hello server under `node --cpu-prof` with wrk at pipelining 1 and 10, and the
 * compiled parser worker on each fixture, then prints the functions with the most self time,
 * mapped back to TypeScript lines through the source maps; and breaks down, from heap snapshots,
 * what an idle keep-alive connection costs sockhttp and node:http. Writes reports/bench/profile.md.
 *
 *   npx tsx bench/profile.ts [--seconds 6] [--only server,parser,memory] [--top 20]
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import type { Socket } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runAutocannon } from './gen/autocannon.ts'
import { runWrk, wrkAvailable } from './gen/wrk.ts'
import { buildServers } from './lib/build.ts'
import { launch, REPO_ROOT } from './lib/child.ts'
import { openOne } from './memory.ts'
import { FIXTURE_IDS } from './parser/fixtures.ts'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
  columnNumber: number
}
interface ProfileNode {
  id: number
  callFrame: CallFrame
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface HotSpot {
  readonly percent: number
  readonly fn: string
  readonly location: string
}

const maps = new Map<string, SourceMap | null>()

function sourceMapFor(url: string): SourceMap | null {
  if (maps.has(url)) return maps.get(url)!
  let map: SourceMap | null = null
  try {
    const file = fileURLToPath(url)
    map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')))
  } catch {
    map = null
  }
  maps.set(url, map)
  return map
}

/** file:line of a call frame, in TypeScript terms when a source map exists. */
function locate(cf: CallFrame, buildDir: string): string {
  if (!cf.url) return '(native)'
  const map = cf.url.startsWith('file:') ? sourceMapFor(cf.url) : null
  if (map) {
    const e = map.findEntry(cf.lineNumber, cf.columnNumber) as {
      originalSource?: string
      originalLine?: number
    }
    if (e.originalSource) {
      const src = e.originalSource.startsWith('file:') ? fileURLToPath(e.originalSource) : e.originalSource
      return `${path.relative(REPO_ROOT, path.resolve(path.dirname(fileURLToPath(cf.url)), src))}:${(e.originalLine ?? 0) + 1}`
    }
  }
  return `${cf.url.replace(`file://${buildDir}/out/`, '').replace(`file://${REPO_ROOT}`, '')}:${cf.lineNumber + 1}`
}

/** Self time per function in the largest profile of `dir` (a run writes one per thread). */
export function hotSpots(dir: string, buildDir: string, top: number): HotSpot[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
  const file = files.sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]
  if (!file) return []
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const self = new Map<string, { fn: string; location: string; us: number }>()
  let total = 0
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]!)
    const dt = p.timeDeltas[i] ?? 0
    if (!node) continue
    const cf = node.callFrame
    // Idle time is the loop waiting for the network: not work, so not part of the shares.
    if (cf.functionName === '(idle)') continue
    total += dt
    const fn = cf.functionName || '(anonymous)'
    const location = locate(cf, buildDir)
    const key = `${fn}@${location}`
    const e = self.get(key) ?? { fn, location, us: 0 }
    e.us += dt
    self.set(key, e)
  }
  return [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ percent: (100 * e.us) / total, fn: e.fn, location: e.location }))
}

interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

/** Self size and count per kind of heap object ("object:Socket", "closure:onData", "string", ...). */
export function heapByKind(file: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotJson
  const fields = snap.snapshot.meta.node_fields
  const types = snap.snapshot.meta.node_types[0]
  const width = fields.length
  const iType = fields.indexOf('type')
  const iName = fields.indexOf('name')
  const iSize = fields.indexOf('self_size')
  const out = new Map<string, { count: number; bytes: number }>()
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]!] ?? '?'
    const key =
      type === 'object' || type === 'closure'
        ? `${type}:${snap.strings[snap.nodes[i + iName]!] || '(anonymous)'}`
        : type
    const e = out.get(key) ?? { count: 0, bytes: 0 }
    e.count++
    e.bytes += snap.nodes[i + iSize]!
    out.set(key, e)
  }
  return out
}

/** Heap objects that N idle keep-alive connections add, per connection. */
async function heapPerConnection(
  command: string[],
  n: number,
  top: number,
): Promise<{ total: number; rows: string[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sockhttp-heap-'))
  const server = await launch({ name: 'heap', command, ipc: true })
  const sockets: Socket[] = []
  try {
    await Promise.all(Array.from({ length: 20 }, () => openOne(server.host, server.port))).then((s) => {
      for (const x of s) x.destroy()
    })
    const before = heapByKind(
      await server.call<string>(
        { type: 'heap-snapshot', path: path.join(dir, 'before.heapsnapshot') },
        120_000,
      ),
    )
    for (let i = 0; i < n; i += 200) {
      sockets.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(200, n - i) }, () => openOne(server.host, server.port)),
        )),
      )
    }
    const after = heapByKind(
      await server.call<string>(
        { type: 'heap-snapshot', path: path.join(dir, 'after.heapsnapshot') },
        120_000,
      ),
    )
    let total = 0
    const diffs: { key: string; count: number; bytes: number }[] = []
    for (const [key, a] of after) {
      const b = before.get(key) ?? { count: 0, bytes: 0 }
      total += a.bytes - b.bytes
      if (a.bytes > b.bytes)
        diffs.push({ key, count: (a.count - b.count) / n, bytes: (a.bytes - b.bytes) / n })
    }
    for (const [key, b] of before) if (!after.has(key)) total -= b.bytes
    diffs.sort((x, y) => y.bytes - x.bytes)
    return {
      total: total / n,
      rows: diffs
        .slice(0, top)
        .map((d) => `| ${d.bytes.toFixed(0)} | ${d.count.toFixed(2)} | \`${d.key}\` |`),
    }
  } finally {
    for (const s of sockets) s.destroy()
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

function table(title: string, spots: readonly HotSpot[], note: string): string[] {
  return [
    `## ${title}`,
    '',
    note,
    '',
    '| self % (of non-idle) | function | where |',
    '|---:|---|---|',
    ...spots.map((s) => `| ${s.percent.toFixed(1)} | \`${s.fn}\` | ${s.location} |`),
    '',
  ]
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '6' },
      only: { type: 'string', default: 'server,parser,memory' },
      top: { type: 'string', default: '20' },
    },
  })
  const seconds = Number(values.seconds)
  const top = Number(values.top)
  const only = (values.only ?? '').split(',')
  const build = buildServers()
  if (!build.script || !build.parserWorker) throw new Error(build.note ?? 'build failed')
  const md: string[] = [
    '# Profiles',
    '',
    `Generated ${new Date().toISOString()} with \`npx tsx bench/profile.ts --seconds ${seconds}\` (node --cpu-prof, Node ${process.version}, ` +
      `load average ${os.loadavg()[0]?.toFixed(2)}). Self time per function, idle excluded, TypeScript lines from source maps.`,
    '',
  ]
  try {
    if (only.includes('server')) {
      for (const pipeline of [1, 10]) {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'sockhttp-prof-'))
        const server = await launch({
          name: 'sockhttp',
          command: [
            process.execPath,
            '--cpu-prof',
            `--cpu-prof-dir=${dir}`,
            build.script('sockhttp-target'),
            '--app',
            'hello',
          ],
          ipc: true,
        })
        const spec = { url: server.url, connections: 100, durationSec: seconds, pipeline, threads: 1 }
        const run = wrkAvailable() ? await runWrk(spec) : await runAutocannon(spec)
        await server.stop()
        const spots = hotSpots(dir, build.dir, top)
        rmSync(dir, { recursive: true, force: true })
        md.push(
          ...table(
            `Server, hello, pipelining ${pipeline}`,
            spots,
            `${run.command.replace(server.url, '<url>')}: ${Math.round(run.rps)} req/s during the profile.`,
          ),
        )
        process.stderr.write(`profile: server p${pipeline}: ${Math.round(run.rps)} req/s\n`)
      }
    }
    if (only.includes('parser')) {
      for (const fixture of FIXTURE_IDS) {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'sockhttp-prof-'))
        const out = execFileSync(
          process.execPath,
          [
            '--cpu-prof',
            `--cpu-prof-dir=${dir}`,
            build.parserWorker,
            '--parser',
            'sockhttp',
            '--fixture',
            fixture,
            '--feeding',
            'stream',
            '--ms',
            String(seconds * 1000),
          ],
          { encoding: 'utf8' },
        )
        const r = JSON.parse(out.trim()) as { mbPerSec: number }
        const spots = hotSpots(dir, build.dir, top)
        rmSync(dir, { recursive: true, force: true })
        md.push(
          ...table(
            `Parser, ${fixture}, 64 KiB slices`,
            spots,
            `${r.mbPerSec.toFixed(0)} MB/s during the profile.`,
          ),
        )
        process.stderr.write(`profile: parser ${fixture}: ${r.mbPerSec.toFixed(0)} MB/s\n`)
      }
    }
    if (only.includes('memory')) {
      const n = 2000
      for (const [name, script] of [
        ['sockhttp', 'sockhttp-target'],
        ['node:http', 'node-target'],
      ] as const) {
        const command = [
          process.execPath,
          '--expose-gc',
          build.script(script),
          '--app',
          'hello',
          '--keep-alive-timeout',
          '600000',
        ]
        const { total, rows } = await heapPerConnection(command, n, top)
        md.push(
          `## Heap per idle keep-alive connection, ${name}`,
          '',
          `${n} connections, each after one request; V8 heap snapshots before and after (self sizes; ArrayBuffer backing stores and other native memory are not included). Total: ${total.toFixed(0)} bytes per connection.`,
          '',
          '| bytes/conn | objects/conn | kind |',
          '|---:|---:|---|',
          ...rows,
          '',
        )
        process.stderr.write(`profile: heap ${name}: ${total.toFixed(0)} bytes per connection\n`)
      }
    }
  } finally {
    rmSync(build.dir, { recursive: true, force: true })
  }
  const file = path.join(REPO_ROOT, 'reports/bench/profile.md')
  writeFileSync(file, `${md.join('\n')}\n`)
  process.stdout.write(`${md.join('\n')}\nprofile: wrote reports/bench/profile.md\n`)
}

await main()
