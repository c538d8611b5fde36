import { describe, expect, it } from 'vitest'
import { parseOrder, validateStockName } from './validate.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('parseOrder', () => {
  it('accepts a well-formed buy and sell', () => {
    expect(parseOrder(bytes('{"name":"QXIL","quantity":3,"type":"buy"}'))).toEqual({
      ok: true,
      value: { name: 'QXIL', quantity: 3, type: 'buy' },
    })
    expect(parseOrder(bytes('{"type":"sell","quantity":1,"name":"NXTI","note":"ignored"}'))).toEqual({
      ok: true,
      value: { name: 'NXTI', quantity: 1, type: 'sell' },
    })
  })

  const rejected: [string, string, string, RegExp][] = [
    ['invalid JSON', '{"name": "QXIL",', 'body', /valid JSON/],
    ['empty body', '', 'body', /valid JSON/],
    ['invalid UTF-8', '\uFFFD', 'body', /valid JSON/],
    ['a JSON array', '[1,2]', 'body', /JSON object/],
    ['JSON null', 'null', 'body', /JSON object/],
    ['missing name', '{"quantity":1,"type":"buy"}', 'name', /name is required/],
    ['empty name', '{"name":"","quantity":1,"type":"buy"}', 'name', /non-empty string/],
    ['numeric name', '{"name":5,"quantity":1,"type":"buy"}', 'name', /string/],
    ['long name', `{"name":"${'A'.repeat(33)}","quantity":1,"type":"buy"}`, 'name', /at most 32/],
    ['missing quantity', '{"name":"QXIL","type":"buy"}', 'quantity', /quantity is required/],
    ['fractional quantity', '{"name":"QXIL","quantity":1.5,"type":"buy"}', 'quantity', /integer/],
    ['string quantity', '{"name":"QXIL","quantity":"1","type":"buy"}', 'quantity', /integer/],
    ['huge quantity', '{"name":"QXIL","quantity":1e300,"type":"buy"}', 'quantity', /integer/],
    ['zero quantity', '{"name":"QXIL","quantity":0,"type":"buy"}', 'quantity', /positive/],
    ['negative quantity', '{"name":"QXIL","quantity":-2,"type":"buy"}', 'quantity', /positive/],
    ['missing type', '{"name":"QXIL","quantity":1}', 'type', /type is required/],
    ['unknown type', '{"name":"QXIL","quantity":1,"type":"short"}', 'type', /"buy" or "sell"/],
    ['type in capitals', '{"name":"QXIL","quantity":1,"type":"BUY"}', 'type', /"buy" or "sell"/],
  ]
  it.each(rejected)('rejects %s, naming the field', (_label, body, field, message) => {
    // The invalid UTF-8 case needs real bytes, not the replacement character's encoding.
    const input = body === '\uFFFD' ? new Uint8Array([0x7b, 0xff, 0x7d]) : bytes(body)
    const result = parseOrder(input)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.field).toBe(field)
    expect(result.message).toMatch(message)
    expect(result.message).toContain(field === 'body' ? 'body' : field)
  })
})

describe('validateStockName', () => {
  it('names the field it was given', () => {
    expect(validateStockName(undefined, 'stock')).toEqual({
      ok: false,
      field: 'stock',
      message: 'stock is required',
    })
  })
})
