/**
 * The in-memory shape of one generated request, and its encoding to bytes. Generators build
 * models; mutators edit models or bytes; the encoder is the only place bytes are laid out.
 */
import { bytesOf } from '../outcome.ts'

/** One field line: name ":" lead value trail. `lead`/`trail` are OWS (RFC 9112 §5). */
export interface FieldLine {
  readonly name: string
  readonly value: string
  readonly lead: string
  readonly trail: string
}

export interface ChunkModel {
  readonly data: Uint8Array
  /** Raw chunk-ext text written after the size, e.g. `;a=b` (RFC 9112 §7.1.1). */
  readonly ext: string
  /** Leading zeros written before the hex size (legal: chunk-size = 1*HEXDIG). */
  readonly zeros: number
  readonly upper: boolean
  /** Added to the written size: 0 for a valid chunk, ±1 for a perturbed one. */
  readonly sizeDelta: number
}

export type BodyModel =
  | { readonly kind: 'none' }
  /** Bytes written as they are after the head (Content-Length framing, or garbage). */
  | { readonly kind: 'raw'; readonly data: Uint8Array }
  | {
      readonly kind: 'chunked'
      readonly chunks: readonly ChunkModel[]
      readonly lastExt: string
      readonly trailers: readonly FieldLine[]
    }

export interface RequestModel {
  readonly method: string
  readonly target: string
  /** The HTTP-version text, e.g. `HTTP/1.1`. */
  readonly version: string
  readonly headers: readonly FieldLine[]
  readonly body: BodyModel
}

export function field(name: string, value: string): FieldLine {
  return { name, value, lead: ' ', trail: '' }
}

export function fieldLine(f: FieldLine): string {
  return `${f.name}:${f.lead}${f.value}${f.trail}\r\n`
}

export function chunkSizeText(c: ChunkModel): string {
  const n = Math.max(0, c.data.length + c.sizeDelta)
  const hex = n.toString(16)
  return '0'.repeat(c.zeros) + (c.upper ? hex.toUpperCase() : hex)
}

/** The decoded body the request carries when framed as generated. */
export function bodyBytes(b: BodyModel): Uint8Array {
  if (b.kind === 'none') return new Uint8Array(0)
  if (b.kind === 'raw') return b.data
  return concat(b.chunks.map((c) => c.data))
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** RFC 9112 §3, §5, §6, §7.1: lays the model out as bytes exactly as described, valid or not. */
export function encodeRequest(r: RequestModel): Uint8Array {
  let head = `${r.method} ${r.target} ${r.version}\r\n`
  for (const f of r.headers) head += fieldLine(f)
  head += '\r\n'
  const parts: Uint8Array[] = [bytesOf(head)]
  const b = r.body
  if (b.kind === 'raw') parts.push(b.data)
  else if (b.kind === 'chunked') {
    for (const c of b.chunks) {
      parts.push(bytesOf(`${chunkSizeText(c)}${c.ext}\r\n`), c.data, bytesOf('\r\n'))
    }
    let tail = `0${b.lastExt}\r\n`
    for (const t of b.trailers) tail += fieldLine(t)
    parts.push(bytesOf(`${tail}\r\n`))
  }
  return concat(parts)
}

export function encodePipeline(rs: readonly RequestModel[]): Uint8Array {
  return concat(rs.map(encodeRequest))
}

/** What a correct parser must report for a valid model. */
export interface ExpectedMessage {
  readonly method: string
  readonly target: string
  readonly version: string
  readonly headers: readonly string[]
  readonly body: Uint8Array
  readonly trailers: readonly string[]
}

export function expectedMessage(r: RequestModel): ExpectedMessage {
  return {
    method: r.method,
    target: r.target,
    version: r.version.slice('HTTP/'.length),
    headers: r.headers.flatMap((f) => [f.name, f.value]),
    body: bodyBytes(r.body),
    trailers: r.body.kind === 'chunked' ? r.body.trailers.flatMap((f) => [f.name, f.value]) : [],
  }
}

/** JSON form of a model (bodies in base64) for reports and regressions. */
export function modelToJson(r: RequestModel): unknown {
  const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64')
  const b = r.body
  return {
    ...r,
    body:
      b.kind === 'none'
        ? b
        : b.kind === 'raw'
          ? { kind: 'raw', data: b64(b.data) }
          : { ...b, chunks: b.chunks.map((c) => ({ ...c, data: b64(c.data) })) },
  }
}

interface ChunkJson extends Omit<ChunkModel, 'data'> {
  readonly data: string
}

/** Inverse of modelToJson. */
export function modelFromJson(json: unknown): RequestModel {
  const r = json as Omit<RequestModel, 'body'> & {
    body:
      | { kind: 'none' }
      | { kind: 'raw'; data: string }
      | { kind: 'chunked'; chunks: ChunkJson[]; lastExt: string; trailers: FieldLine[] }
  }
  const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'base64'))
  const b = r.body
  const body: BodyModel =
    b.kind === 'none'
      ? b
      : b.kind === 'raw'
        ? { kind: 'raw', data: bytes(b.data) }
        : { ...b, chunks: b.chunks.map((c) => ({ ...c, data: bytes(c.data) })) }
  return { ...r, body }
}
