/**
 * Fixed examples: inputs the fuzzer found that exposed real bugs in our parser or server. Each
 * lives in fuzz/regressions/*.json and runs before the random inputs of its property, every run.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Json } from './properties/types.ts'

export interface Regression {
  readonly property: string
  readonly name: string
  /** What went wrong, for people: the bytes, what was expected, what the parser did. */
  readonly note: string
  readonly found: string
  /** The property's encoded input (see each property's encode()). */
  readonly input: Json
  readonly file: string
}

export const REGRESSIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'regressions')

export function loadRegressions(dir = REGRESSIONS_DIR): Regression[] {
  let files: string[]
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'))
  } catch {
    return []
  }
  return files.sort().map((f) => {
    const json = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Omit<Regression, 'file'>
    return { ...json, file: path.join(dir, f) }
  })
}
