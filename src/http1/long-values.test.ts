import { describe, expect, it } from 'vitest'
import { RequestParser } from './parser.ts'
import { expectHead, expectHeadError } from './test-support.ts'

/**
 * Field values in chunks of 128 bytes or more are checked four bytes at a time (head-lines.ts,
 * #skipPlainWords). These tests (requests of about 200 bytes) put every kind of byte at every offset of a long value, so that each alignment of the
 * word-wise check is exercised, and compare with what RFC 9110 §5.5 allows.
 */
const LENGTH = 160

function withByteAt(offset: number, byte: number): string {
  const value = Array.from({ length: LENGTH }, (_, i) =>
    i === offset ? String.fromCharCode(byte) : 'v',
  ).join('')
  return `GET / HTTP/1.1\r\nHost: a\r\nX-Long: ${value}\r\n\r\n`
}

/** Feeds the request into a chunk at every byte offset of a larger buffer, so word alignment varies. */
function parseAtOffsets(request: string): string[] {
  const outcomes: string[] = []
  for (let shift = 0; shift < 4; shift++) {
    const memory = Buffer.alloc(request.length + 8)
    memory.write(request, shift, 'latin1')
    const parser = new RequestParser()
    parser.feed(memory.subarray(shift, shift + request.length))
    const event = parser.next()
    outcomes.push(event.type === 'error' ? event.error.code : event.type)
  }
  return outcomes
}

describe('RFC 9110 §5.5: long field values, checked word by word', () => {
  it('RFC 9110 §5.5: a control byte or DEL anywhere in a long value is rejected with 400, at every alignment', () => {
    for (const byte of [0x00, 0x01, 0x08, 0x0b, 0x1f, 0x7f]) {
      for (let offset = 0; offset < LENGTH; offset += 1) {
        expect(parseAtOffsets(withByteAt(offset, byte))).toEqual(Array(4).fill('INVALID_HEADER_VALUE'))
      }
    }
  })

  it('RFC 9110 §5.5: HTAB, SP, VCHAR and obs-text anywhere in a long value are accepted, at every alignment', () => {
    for (const byte of [0x09, 0x20, 0x21, 0x7e, 0x80, 0xa0, 0xff]) {
      for (let offset = 1; offset < LENGTH - 1; offset += 1) {
        expect(parseAtOffsets(withByteAt(offset, byte))).toEqual(Array(4).fill('head'))
      }
    }
  })

  it('RFC 9112 §2.2: a bare CR in a long value is BARE_CR however the input is split', () => {
    expectHeadError(`GET / HTTP/1.1\r\nHost: a\r\nX-Long: ${'v'.repeat(100)}\rv\r\n\r\n`, 'BARE_CR', 400)
  })

  it('RFC 9110 §5.5: a long value comes out whole and trimmed', () => {
    const value = `${'ab\t'.repeat(60)}\xe9`
    const head = expectHead(`GET / HTTP/1.1\r\nHost: a\r\nX-Long:  ${value}  \r\n\r\n`)
    expect(head.rawHeaders[3]).toBe(value)
  })
})
