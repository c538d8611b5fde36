/**
 * Mutation operators: each turns a valid request into a near-miss. A mutation is plain data
 * (so fast-check can shrink it and a report can print it); `applyMutations` interprets it.
 * Model-level operators run first, then the request is encoded, then byte-level ones run.
 */
import fc from 'fast-check'
import { chunkExt } from '../arbitraries/body.ts'
import { fieldLineArb } from '../arbitraries/fields.ts'
import {
  bodyBytes,
  type ChunkModel,
  encodeRequest,
  type FieldLine,
  type RequestModel,
} from '../arbitraries/model.ts'
import { anyVersion, method, token } from '../arbitraries/token.ts'
import { bytesOf } from '../outcome.ts'

/** The bytes `insertSpecial` plants: line ends, NUL, colon and whitespace. */
export const SPECIALS = ['\r\n', '\r', '\n', '\0', ':', '\t', ' '] as const

/** Framing and connection headers the framing operators insert, delete, duplicate or replace. */
export const FRAMING_GADGETS: readonly FieldLine[] = [
  { name: 'Content-Length', value: '0', lead: ' ', trail: '' },
  { name: 'Transfer-Encoding', value: 'chunked', lead: ' ', trail: '' },
  { name: 'Transfer-Encoding', value: 'identity', lead: ' ', trail: '' },
  { name: '', value: 'empty-name', lead: ' ', trail: '' },
  { name: 'Connection', value: 'close', lead: ' ', trail: '' },
]

/** Known request-smuggling spellings of `Transfer-Encoding: chunked`. */
export const TE_OBFUSCATIONS = {
  'case-fold': (f: FieldLine): FieldLine => ({ ...f, name: 'tRANSFER-eNCODING', value: 'CHUNKED' }),
  'vt-prefix': (f: FieldLine): FieldLine => ({ ...f, value: '\x0bchunked' }),
  'nbsp-prefix': (f: FieldLine): FieldLine => ({ ...f, value: '\xa0chunked' }),
  'comma-prefix': (f: FieldLine): FieldLine => ({ ...f, value: ', chunked' }),
  quoted: (f: FieldLine): FieldLine => ({ ...f, value: '"chunked"' }),
  underscore: (f: FieldLine): FieldLine => ({ ...f, name: 'Transfer_Encoding' }),
  'space-before-colon': (f: FieldLine): FieldLine => ({ ...f, name: 'Transfer-Encoding ' }),
  'tab-lead': (f: FieldLine): FieldLine => ({ ...f, lead: '\t' }),
  'trailing-vt': (f: FieldLine): FieldLine => ({ ...f, value: 'chunked\x0b' }),
  'chunked-twice': (f: FieldLine): FieldLine => ({ ...f, value: 'chunked, chunked' }),
  'identity-first': (f: FieldLine): FieldLine => ({ ...f, value: 'identity, chunked' }),
  'gzip-first': (f: FieldLine): FieldLine => ({ ...f, value: 'gzip, chunked' }),
  'chunked-not-last': (f: FieldLine): FieldLine => ({ ...f, value: 'chunked, gzip' }),
} as const
export type TeObfuscation = keyof typeof TE_OBFUSCATIONS

export type Mutation =
  | { readonly op: 'deleteByte'; readonly at: number }
  | { readonly op: 'replaceByte'; readonly at: number; readonly byte: number }
  | { readonly op: 'insertByte'; readonly at: number; readonly byte: number }
  | { readonly op: 'insertSpecial'; readonly at: number; readonly text: (typeof SPECIALS)[number] }
  | {
      readonly op: 'framingHeader'
      readonly action: 'insert' | 'delete' | 'duplicate' | 'replace'
      readonly gadget: number
      readonly at: number
    }
  | { readonly op: 'replaceMethod'; readonly method: string }
  | { readonly op: 'replaceVersion'; readonly version: string }
  | {
      readonly op: 'rechunk'
      readonly cuts: readonly number[]
      readonly exts: readonly string[]
      readonly trailers: readonly FieldLine[]
    }
  | { readonly op: 'perturbLength'; readonly delta: 1 | -1; readonly at: number }
  | { readonly op: 'obfuscateTE'; readonly variant: TeObfuscation }

const BYTE_OPS = new Set(['deleteByte', 'replaceByte', 'insertByte', 'insertSpecial'])

const isFraming = (f: FieldLine): boolean =>
  ['content-length', 'transfer-encoding', 'connection'].includes(f.name.toLowerCase())

function framingHeader(r: RequestModel, m: Extract<Mutation, { op: 'framingHeader' }>): RequestModel {
  const headers = [...r.headers]
  const gadget = FRAMING_GADGETS[m.gadget % FRAMING_GADGETS.length]!
  const framingIdx = headers.flatMap((f, i) => (isFraming(f) ? [i] : []))
  const pick =
    framingIdx.length > 0 ? framingIdx[m.at % framingIdx.length]! : m.at % Math.max(1, headers.length)
  if (m.action === 'insert') headers.splice(m.at % (headers.length + 1), 0, gadget)
  else if (headers.length === 0) headers.push(gadget)
  else if (m.action === 'delete') headers.splice(pick, 1)
  else if (m.action === 'duplicate') headers.splice(pick + 1, 0, headers[pick]!)
  else headers[m.at % headers.length] = gadget
  return { ...r, headers }
}

function rechunk(r: RequestModel, m: Extract<Mutation, { op: 'rechunk' }>): RequestModel {
  const data = bodyBytes(r.body)
  const cuts = [...new Set(m.cuts.map((c) => c % (data.length + 1)))]
    .filter((c) => c > 0)
    .sort((a, b) => a - b)
  const chunks: ChunkModel[] = []
  let from = 0
  for (const c of [...cuts, data.length]) {
    if (c <= from) continue
    chunks.push({
      data: data.subarray(from, c),
      ext: m.exts[chunks.length % Math.max(1, m.exts.length)] ?? '',
      zeros: 0,
      upper: false,
      sizeDelta: 0,
    })
    from = c
  }
  const headers = r.headers.filter((f) => f.name.toLowerCase() !== 'content-length')
  if (!headers.some((f) => f.name.toLowerCase() === 'transfer-encoding')) {
    headers.push({ name: 'Transfer-Encoding', value: 'chunked', lead: ' ', trail: '' })
  }
  return { ...r, headers, body: { kind: 'chunked', chunks, lastExt: '', trailers: m.trailers } }
}

function perturbLength(r: RequestModel, m: Extract<Mutation, { op: 'perturbLength' }>): RequestModel {
  const clAt = r.headers.findIndex((f) => f.name.toLowerCase() === 'content-length' && /^\d+$/.test(f.value))
  const b = r.body
  const useChunk = b.kind === 'chunked' && b.chunks.length > 0 && (clAt < 0 || m.at % 2 === 1)
  if (useChunk) {
    const i = m.at % b.chunks.length
    const chunks = b.chunks.map((c, j) => (j === i ? { ...c, sizeDelta: c.sizeDelta + m.delta } : c))
    return { ...r, body: { ...b, chunks } }
  }
  if (clAt < 0) return r
  const headers = [...r.headers]
  const f = headers[clAt]!
  headers[clAt] = { ...f, value: String(Math.max(0, Number(f.value) + m.delta)) }
  return { ...r, headers }
}

function obfuscateTE(r: RequestModel, m: Extract<Mutation, { op: 'obfuscateTE' }>): RequestModel {
  const headers = [...r.headers]
  let at = headers.findIndex((f) => f.name.toLowerCase() === 'transfer-encoding')
  if (at < 0) {
    // The classic gadget: a Content-Length request that also carries a disguised TE.
    headers.push({ name: 'Transfer-Encoding', value: 'chunked', lead: ' ', trail: '' })
    at = headers.length - 1
  }
  headers[at] = TE_OBFUSCATIONS[m.variant](headers[at]!)
  return { ...r, headers }
}

function applyToModel(r: RequestModel, m: Mutation): RequestModel {
  switch (m.op) {
    case 'framingHeader':
      return framingHeader(r, m)
    case 'replaceMethod':
      return { ...r, method: m.method }
    case 'replaceVersion':
      return { ...r, version: m.version }
    case 'rechunk':
      return rechunk(r, m)
    case 'perturbLength':
      return perturbLength(r, m)
    case 'obfuscateTE':
      return obfuscateTE(r, m)
    default:
      return r
  }
}

function applyToBytes(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = 'at' in m ? m.at % (bytes.length + 1) : 0
  const splice = (del: number, ins: Uint8Array): Uint8Array => {
    const out = new Uint8Array(bytes.length - del + ins.length)
    out.set(bytes.subarray(0, at), 0)
    out.set(ins, at)
    out.set(bytes.subarray(at + del), at + ins.length)
    return out
  }
  switch (m.op) {
    case 'deleteByte':
      return at < bytes.length ? splice(1, new Uint8Array(0)) : bytes
    case 'replaceByte':
      return at < bytes.length ? splice(1, Uint8Array.of(m.byte)) : bytes
    case 'insertByte':
      return splice(0, Uint8Array.of(m.byte))
    case 'insertSpecial':
      return splice(0, bytesOf(m.text))
    default:
      return bytes
  }
}

/** A valid request plus the mutations that make it a near-miss. */
export interface MutatedRequest {
  readonly base: RequestModel
  readonly mutations: readonly Mutation[]
}

export function applyMutations(c: MutatedRequest): Uint8Array {
  let model = c.base
  for (const m of c.mutations) if (!BYTE_OPS.has(m.op)) model = applyToModel(model, m)
  let bytes = encodeRequest(model)
  for (const m of c.mutations) if (BYTE_OPS.has(m.op)) bytes = applyToBytes(bytes, m)
  return bytes
}

const position = fc.nat(4096)

/** One named operator with its parameters. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteByte' as const), at: position }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('replaceByte' as const), at: position, byte: fc.nat(255) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('insertByte' as const), at: position, byte: fc.nat(255) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('insertSpecial' as const),
      at: position,
      text: fc.constantFrom(...SPECIALS),
    }),
  },
  // Framing is where request smuggling lives, so the framing operators are drawn more often.
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('framingHeader' as const),
      action: fc.constantFrom('insert' as const, 'delete' as const, 'duplicate' as const, 'replace' as const),
      gadget: fc.nat(FRAMING_GADGETS.length - 1),
      at: fc.nat(16),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('replaceMethod' as const),
      method: fc.oneof(method, token(12), fc.constantFrom('get', 'G ET', '', 'CONNECT', 'PRI', 'GET\t')),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('replaceVersion' as const),
      version: fc.oneof(
        anyVersion,
        fc.constantFrom('http/1.1', 'HTTP/11', 'HTTP/1.10', 'HTTP/1.1 ', 'HTTP/ 1.1', 'HTTP/1'),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('rechunk' as const),
      cuts: fc.array(fc.nat(4096), { maxLength: 4 }),
      exts: fc.array(chunkExt, { maxLength: 2 }),
      trailers: fc.array(fieldLineArb, { maxLength: 2 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('perturbLength' as const),
      delta: fc.constantFrom(1 as const, -1 as const),
      at: fc.nat(8),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('obfuscateTE' as const),
      variant: fc.constantFrom(...(Object.keys(TE_OBFUSCATIONS) as TeObfuscation[])),
    }),
  },
)

export const mutatedRequest = (base: fc.Arbitrary<RequestModel>): fc.Arbitrary<MutatedRequest> =>
  fc.record({ base, mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) })
