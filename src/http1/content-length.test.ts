import { describe, expect, it } from 'vitest'
import { events, expectHeadError, expectRequest, parseEveryWay, post, req } from './test-support.ts'

describe('RFC 9112 §6.2, RFC 9110 §8.6: Content-Length = 1*DIGIT', () => {
  it('RFC 9112 §6.3 step 6: Content-Length gives the body length', () => {
    const { head, body } = expectRequest(post(['Content-Length: 5'], 'hello'))
    expect(head.framing).toEqual({ kind: 'length', length: 5 })
    expect(body).toBe('hello')
  })

  it.each([
    ['010', 10],
    ['00005', 5],
    ['  7  ', 7],
    ['\t7\t', 7],
  ])('RFC 9110 §8.6: Content-Length %j is the length %d (leading zeros are digits)', (value, length) => {
    const { head, body } = expectRequest(post([`Content-Length: ${value}`], 'x'.repeat(length)))
    expect(head.framing).toEqual({ kind: 'length', length })
    expect(body).toBe('x'.repeat(length))
  })

  it.each([['0'], ['000']])('RFC 9112 §6.3: Content-Length %j means no body', (value) => {
    const { head, body } = expectRequest(post([`Content-Length: ${value}`]))
    expect(head.framing).toEqual({ kind: 'none' })
    expect(body).toBe('')
  })

  it.each([
    ['+1'],
    ['-1'],
    ['0x10'],
    ['1.0'],
    ['5e0'],
    [''],
    ['   '],
    ['1 2'],
    ['a'],
    ['5a'],
    ['5;'],
    ['"5"'],
    ['\xef\xbc\x95'],
    ['5,'],
    [',5'],
    ['5,,5'],
  ])('RFC 9110 §8.6: Content-Length %j is rejected with 400', (value) => {
    expectHeadError(post([`Content-Length: ${value}`], 'hello'), 'INVALID_CONTENT_LENGTH', 400)
  })

  it.each([
    [['Content-Length: 5', 'Content-Length: 5']],
    [['Content-Length: 5', 'content-length: 5', 'CONTENT-LENGTH: 5']],
    [['Content-Length: 5, 5']],
    [['Content-Length: 5,5']],
    [['Content-Length: 5 ,\t5 , 5']],
    [['Content-Length: 5, 5', 'Content-Length: 5']],
  ])('RFC 9110 §8.6: identical values %j are accepted as one', (fields) => {
    const { head, body } = expectRequest(post(fields, 'hello'))
    expect(head.framing).toEqual({ kind: 'length', length: 5 })
    expect(body).toBe('hello')
  })

  it.each([
    [['Content-Length: 5', 'Content-Length: 6']],
    [['Content-Length: 0', 'Content-Length: 5']],
    [['Content-Length: 5, 5', 'Content-Length: 6']],
  ])('RFC 9110 §8.6: differing Content-Length fields %j are rejected with 400', (fields) => {
    expectHeadError(post(fields, 'hello'), 'CONFLICTING_CONTENT_LENGTH', 400)
  })

  it.each([['0, 5'], ['5, 6'], ['5, 5, 6']])(
    'RFC 9110 §8.6: the list %j of differing values is rejected with 400',
    (value) => {
      expectHeadError(post([`Content-Length: ${value}`], 'hello'), 'INVALID_CONTENT_LENGTH', 400)
    },
  )

  it('RFC 9110 §8.6: 2^53-1 is the largest Content-Length accepted', () => {
    const list = events(post(['Content-Length: 9007199254740991'], 'abc'))
    expect(list).toHaveLength(2)
    expect(list[0]?.type === 'head' && list[0].head.framing).toEqual({
      kind: 'length',
      length: 9007199254740991,
    })
    expect(list[1]).toEqual({ type: 'body', data: 'abc' })
  })

  it.each([['9007199254740992'], ['99999999999999999999'], ['1'.repeat(400)]])(
    'RFC 9110 §8.6: Content-Length %s (past 2^53-1) is rejected with 400',
    (value) => {
      expectHeadError(post([`Content-Length: ${value}`]), 'INVALID_CONTENT_LENGTH', 400)
    },
  )

  it('RFC 9110 §15.5.14: a Content-Length over maxBodySize gets 413 from the head alone', () => {
    const limits = { maxBodySize: 10 }
    expectHeadError(post(['Content-Length: 11']), 'BODY_TOO_LARGE', 413, { limits })
    expect(expectRequest(post(['Content-Length: 10'], '0123456789'), { limits }).body).toBe('0123456789')
  })

  it('RFC 9112 §6.3: the body stops at Content-Length; the next bytes are the next request', () => {
    const list = events(`${post(['Content-Length: 3'], 'abc')}${req('GET /next HTTP/1.1', 'Host: a')}`)
    expect(list.map((e) => e.type)).toEqual(['head', 'body', 'end', 'head', 'end'])
    expect(list[1]).toEqual({ type: 'body', data: 'abc' })
    expect(list[3]?.type === 'head' && list[3].head.target).toBe('/next')
  })

  it('RFC 9112 §8: a body shorter than Content-Length is INCOMPLETE_MESSAGE when the peer closes', () => {
    const result = parseEveryWay(post(['Content-Length: 10'], 'short'), { finish: true })
    expect(result.events.map((e) => e.type)).toEqual(['head', 'body'])
    expect(result.finished).toEqual({ type: 'error', code: 'INCOMPLETE_MESSAGE', status: 400 })
  })

  it('RFC 9112 §6.3 step 7: a request without Content-Length or Transfer-Encoding has no body', () => {
    const list = events(`${req('POST / HTTP/1.1', 'Host: a')}GET`)
    expect(list.map((e) => e.type)).toEqual(['head', 'end'])
    expect(list[0]?.type === 'head' && list[0].head.framing).toEqual({ kind: 'none' })
  })
})
