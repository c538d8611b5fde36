/**
 * Reads the harnesses' JSON reports. A report that is absent is "not run yet"; one that cannot be
 * parsed, or carries another schema, is shown as such with the reason. Neither stops the page.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

export type Loaded<T> =
  | { readonly state: 'missing'; readonly file: string }
  | { readonly state: 'invalid'; readonly file: string; readonly reason: string }
  | { readonly state: 'ok'; readonly file: string; readonly data: T }

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Loads `file` (relative to `dir`) and checks its `schema` field starts with `schemaPrefix`
 * (e.g. "sockhttp-bench/"). The data is then trusted to follow the writer's documented shape;
 * the renderers still guard every section so a drifted field shows as an error, not a crash.
 */
export function loadReport<T>(dir: string, file: string, schemaPrefix: string): Loaded<T> {
  const full = path.join(dir, file)
  if (!existsSync(full)) return { state: 'missing', file }
  let data: unknown
  try {
    data = JSON.parse(readFileSync(full, 'utf8'))
  } catch (e) {
    return { state: 'invalid', file, reason: `not JSON: ${e instanceof Error ? e.message : String(e)}` }
  }
  if (!isRecord(data)) return { state: 'invalid', file, reason: 'not a JSON object' }
  const schema = data.schema
  if (typeof schema !== 'string' || !schema.startsWith(schemaPrefix))
    return {
      state: 'invalid',
      file,
      reason: `schema is ${JSON.stringify(schema)}, this page reads ${schemaPrefix}*`,
    }
  return { state: 'ok', file, data: data as T }
}

/** Every `*.json` directly in `dir/sub`, sorted, as paths relative to `dir`. */
export function listJson(dir: string, sub: string): string[] {
  const full = path.join(dir, sub)
  if (!existsSync(full)) return []
  return readdirSync(full)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(sub, f))
}
