/** JSON coding of the byte-stream input shared by the byte-level properties. */
import type { ByteCase } from '../arbitraries/stream.ts'
import { escapeBytes } from '../outcome.ts'
import { ddminBytes } from '../reduce.ts'
import type { Json } from './types.ts'

export function encodeByteCase(c: ByteCase): Json {
  return {
    base64: Buffer.from(c.bytes).toString('base64'),
    escaped: escapeBytes(c.bytes),
    segments: [...c.segments],
  }
}

export function decodeByteCase(json: Json): ByteCase {
  const o = json as { base64: string; segments?: number[] }
  const bytes = new Uint8Array(Buffer.from(o.base64, 'base64'))
  return { bytes, segments: o.segments ?? [bytes.length] }
}

/** The byte-level reducer shared by the byte-stream properties. */
export function reduceByteCase(
  input: ByteCase,
  stillFails: (c: ByteCase) => Promise<boolean>,
  deadline: number,
): Promise<ByteCase> {
  return ddminBytes(input, stillFails, deadline)
}
