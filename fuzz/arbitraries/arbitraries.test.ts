/** The generators and mutators do what their names say. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyMutations, FRAMING_GADGETS } from '../mutators/operators.ts'
import { defaultParser, runOurs } from '../oracle/ours.ts'
import { latin1 } from '../outcome.ts'
import { encodeRequest, field, type RequestModel } from './model.ts'
import { validRequest } from './request.ts'
import { pipeline, pipelineBytes, segmentation, segmentLengths } from './stream.ts'

const base: RequestModel = {
  method: 'POST',
  target: '/a',
  version: 'HTTP/1.1',
  headers: [field('Host', 'h'), field('Content-Length', '3')],
  body: { kind: 'raw', data: new TextEncoder().encode('abc') },
}
const text = (m: Parameters<typeof applyMutations>[0]['mutations'][number]) =>
  latin1(applyMutations({ base, mutations: [m] }))

describe('model encoding', () => {
  it('lays out a request exactly', () => {
    expect(latin1(encodeRequest(base))).toBe('POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc')
  })
})

describe('mutation operators', () => {
  it('byte operators delete, replace and insert at a position', () => {
    expect(text({ op: 'deleteByte', at: 0 })).toBe(
      'OST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc',
    )
    expect(text({ op: 'replaceByte', at: 1, byte: 0x55 })).toMatch(/^PUST /)
    expect(text({ op: 'insertByte', at: 4, byte: 0x21 })).toMatch(/^POST! /)
    expect(text({ op: 'insertSpecial', at: 4, text: '\n' })).toMatch(/^POST\n \/a/)
  })

  it('framing operators insert, delete, duplicate and replace framing headers', () => {
    expect(text({ op: 'framingHeader', action: 'insert', gadget: 1, at: 0 })).toContain(
      'Transfer-Encoding: chunked\r\nHost: h',
    )
    expect(text({ op: 'framingHeader', action: 'delete', gadget: 0, at: 0 })).not.toContain('Content-Length')
    expect(text({ op: 'framingHeader', action: 'duplicate', gadget: 0, at: 0 })).toContain(
      'Content-Length: 3\r\nContent-Length: 3',
    )
    expect(text({ op: 'framingHeader', action: 'replace', gadget: 3, at: 0 })).toMatch(
      /^POST \/a HTTP\/1\.1\r\n: empty-name\r\n/,
    )
    expect(FRAMING_GADGETS.map((g) => g.name)).toContain('Connection')
  })

  it('method, rechunk, length perturbation and TE obfuscation', () => {
    expect(text({ op: 'replaceMethod', method: 'G ET' })).toMatch(/^G ET \/a/)
    expect(text({ op: 'replaceVersion', version: 'HTTP/1.10' })).toMatch(/^POST \/a HTTP\/1\.10\r\n/)
    const re = text({ op: 'rechunk', cuts: [1], exts: [';x=1'], trailers: [field('T', 'v')] })
    expect(re).toBe(
      'POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;x=1\r\na\r\n2;x=1\r\nbc\r\n0\r\nT: v\r\n\r\n',
    )
    expect(text({ op: 'perturbLength', delta: 1, at: 0 })).toContain('Content-Length: 4')
    expect(text({ op: 'obfuscateTE', variant: 'vt-prefix' })).toContain('Transfer-Encoding: \x0bchunked')
    expect(text({ op: 'obfuscateTE', variant: 'underscore' })).toContain('Transfer_Encoding: chunked')
  })
})

describe('streams', () => {
  it('segmentations cover the stream exactly', () => {
    fc.assert(
      fc.property(fc.nat(5000), segmentation, (len, s) => {
        const parts = segmentLengths(len, s)
        expect(parts.reduce((a, b) => a + b, 0)).toBe(len)
        expect(parts.every((p) => p > 0)).toBe(true)
      }),
      { seed: 1, numRuns: 300 },
    )
  })

  it('valid requests and pipelines of them are accepted by the parser', () => {
    fc.assert(
      fc.property(pipeline({ allowClose: false, allowUpgrade: false }, 0, 20), (items) => {
        const bytes = pipelineBytes(items)
        const o = runOurs(bytes, [bytes.length], defaultParser()).outcome
        expect(o.end).toEqual({ kind: 'clean' })
        expect(o.messages).toHaveLength(items.length)
      }),
      { seed: 2, numRuns: 300 },
    )
    fc.assert(
      fc.property(validRequest({ allowClose: true, allowUpgrade: true }), (r) => {
        const bytes = encodeRequest(r)
        expect(runOurs(bytes, [bytes.length], defaultParser()).outcome.messages).toHaveLength(1)
      }),
      { seed: 3, numRuns: 300 },
    )
  })
})
