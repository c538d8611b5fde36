/**
 * Compiles the benchmark's server processes (bench/servers/*, with the src/ and conformance/
 * modules they import) with tsc into a private directory, so every server runs as plain
 * JavaScript on bare `node`, like a user of the built package, and none pays for a loader
 * (the parser workers too):
 * tsx's esbuild transform wraps every function expression in a `__name()` call, which costs
 * per-request closures 15-20% CPU (measured), and it would hit each server differently.
 * dist/ is left alone.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from './child.ts'

export const SERVER_SCRIPTS = ['ceiling', 'node-target', 'sockhttp-target'] as const
export type ServerScript = (typeof SERVER_SCRIPTS)[number]
const ENTRY_POINTS = [...SERVER_SCRIPTS.map((s) => `bench/servers/${s}.ts`), 'bench/parser/worker.ts']

export interface BuildResult {
  /** `node <path>` runs that server; null when the build failed. */
  readonly script: ((name: ServerScript) => string) | null
  /** The compiled parser worker (bench/parser/worker.ts), or null. */
  readonly parserWorker: string | null
  readonly dir: string
  /** Why the build could not be used (then the servers run through tsx). */
  readonly note: string | null
}

export function buildServers(): BuildResult {
  // Inside the repository, so the compiled files resolve packages (http-parser-js) from node_modules.
  const cache = path.join(REPO_ROOT, 'node_modules/.cache')
  mkdirSync(cache, { recursive: true })
  const dir = mkdtempSync(path.join(cache, 'sockhttp-bench-'))
  const out = path.join(dir, 'out')
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: path.join(REPO_ROOT, 'tsconfig.json'),
      compilerOptions: {
        noEmit: false,
        allowImportingTsExtensions: false,
        rewriteRelativeImportExtensions: true,
        outDir: out,
        rootDir: REPO_ROOT,
        declaration: false,
        // Source maps let the profiler (bench/profile.ts) report TypeScript lines.
        sourceMap: true,
        // Type roots resolve from the tsconfig's directory: point them back at the repository.
        typeRoots: [path.join(REPO_ROOT, 'node_modules/@types')],
      },
      files: ENTRY_POINTS.map((f) => path.join(REPO_ROOT, f)),
      include: [],
    }),
  )
  let note: string | null = null
  try {
    execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', path.join(dir, 'tsconfig.json')], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    })
  } catch (err) {
    const msg = String((err as { stdout?: Buffer }).stdout ?? err).slice(0, 600)
    // tsc still emits after type errors (noEmitOnError is off): a type error somewhere in a
    // work-in-progress tree need not stop the benchmark, but the report says so.
    const emitted = ENTRY_POINTS.every((f) => existsSync(path.join(out, f.replace(/\.ts$/, '.js'))))
    if (!emitted) {
      return {
        script: null,
        parserWorker: null,
        dir,
        note: `compiling the bench processes failed, they ran through tsx instead: ${msg}`,
      }
    }
    note = `tsc reported errors; its emitted JavaScript was used: ${msg}`
  }
  // Without it Node would read the emitted .js files as CommonJS.
  writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n')
  return {
    script: (name) => path.join(out, 'bench/servers', `${name}.js`),
    parserWorker: path.join(out, 'bench/parser/worker.js'),
    dir,
    note,
  }
}
