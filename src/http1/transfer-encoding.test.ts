import { describe, expect, it } from 'vitest'
import { expectHeadError, expectRequest, post, req } from './test-support.ts'

const CHUNKED_BODY = '5\r\nhello\r\n0\r\n\r\n'

describe('RFC 9112 §6.1, §6.3 step 4: Transfer-Encoding must end in chunked', () => {
  it.each([
    ['chunked'],
    ['ChUnKeD'],
    ['CHUNKED'],
    ['  chunked  '],
    [',chunked'],
    ['chunked,'],
    [', ,\tchunked , '],
  ])('RFC 9112 §6.1, RFC 9110 §5.6.1: Transfer-Encoding %j means chunked', (value) => {
    const { head, body } = expectRequest(post([`Transfer-Encoding: ${value}`], CHUNKED_BODY))
    expect(head.framing).toEqual({ kind: 'chunked' })
    expect(body).toBe('hello')
  })

  it.each([
    [['Transfer-Encoding: chunked, gzip']],
    [['Transfer-Encoding: gzip']],
    [['Transfer-Encoding: identity']],
    [['Transfer-Encoding: chunked', 'Transfer-Encoding: gzip']],
    [['Transfer-Encoding: chunked;q=1, x']],
  ])('RFC 9112 §6.3 step 4: %j (chunked not last) is rejected with 400', (fields) => {
    expectHeadError(post(fields, CHUNKED_BODY), 'CHUNKED_NOT_FINAL', 400)
  })

  it.each([
    [['Transfer-Encoding: chunked, chunked']],
    [['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked']],
    [['Transfer-Encoding: chunked,,chunked']],
  ])('RFC 9112 §7: chunked applied twice, %j, is rejected with 400', (fields) => {
    expectHeadError(post(fields, CHUNKED_BODY), 'INVALID_TRANSFER_ENCODING', 400)
  })

  it.each([
    [['Transfer-Encoding: gzip, chunked']],
    [['Transfer-Encoding: x-custom, chunked']],
    [['Transfer-Encoding: gzip', 'Transfer-Encoding: chunked']],
    [['Transfer-Encoding: gzip;level=1, chunked']],
    [['Transfer-Encoding: deflate;a="q \\" x", chunked']],
  ])('RFC 9112 §6.1: an unknown coding before chunked, %j, is rejected with 501', (fields) => {
    expectHeadError(post(fields, CHUNKED_BODY), 'UNSUPPORTED_TRANSFER_CODING', 501)
  })

  it.each([
    ['"chunked"', 'a quoted coding'],
    ['', 'an empty value'],
    [',', 'an empty list'],
    [' , , ', 'an empty list with OWS'],
    ['chunked gzip', 'two codings without a comma'],
    ['chunked;', 'an empty parameter'],
    ['gzip;=1, chunked', 'a parameter without a name'],
    ['gzip;a, chunked', 'a parameter without a value'],
    ['gzip;a="x, chunked', 'an unterminated quoted parameter'],
    ['\xa0chunked', 'a leading NBSP (not a token)'],
    ['chunked\xa0', 'a trailing NBSP (not a token)'],
    ['chun\xa0ked', 'an NBSP inside the token'],
    ['chunked/1', 'a "/" (not a tchar)'],
  ])('RFC 9112 §6.1: Transfer-Encoding %j (%s) is rejected with 400', (value) => {
    expectHeadError(post([`Transfer-Encoding: ${value}`], CHUNKED_BODY), 'INVALID_TRANSFER_ENCODING', 400)
  })

  it.each([
    ['\x0bchunked', 'a leading VT'],
    ['\x0cchunked', 'a leading FF'],
    ['chunked\x00', 'a trailing NUL'],
  ])('RFC 9110 §5.5: Transfer-Encoding %j (%s) is an invalid field value, rejected with 400', (value) => {
    expectHeadError(post([`Transfer-Encoding: ${value}`], CHUNKED_BODY), 'INVALID_HEADER_VALUE', 400)
  })

  it('RFC 9110 §5.1: "Transfer_Encoding" is just another field and does not frame the body', () => {
    const { head, body } = expectRequest(post(['Transfer_Encoding: chunked', 'Content-Length: 5'], 'hello'))
    expect(head.framing).toEqual({ kind: 'length', length: 5 })
    expect(head.rawHeaders).toContain('Transfer_Encoding')
    expect(body).toBe('hello')
  })

  it('RFC 9112 §5.1: "Transfer-Encoding :" (SP before the colon) is rejected, not ignored', () => {
    expectHeadError(post(['Transfer-Encoding : chunked'], CHUNKED_BODY), 'INVALID_HEADER_NAME', 400)
  })

  it('RFC 9112 §6.1: Transfer-Encoding on a GET is accepted and framed as chunked', () => {
    const { head, body } = expectRequest(
      req('GET / HTTP/1.1', 'Host: a', 'Transfer-Encoding: chunked') + CHUNKED_BODY,
    )
    expect(head.method).toBe('GET')
    expect(head.framing).toEqual({ kind: 'chunked' })
    expect(body).toBe('hello')
  })
})

describe('RFC 9112 §6.3 step 3, §6.1: Transfer-Encoding with Content-Length, and in HTTP/1.0', () => {
  it.each([
    [['Transfer-Encoding: chunked', 'Content-Length: 5']],
    [['Content-Length: 5', 'Transfer-Encoding: chunked']],
    [['Content-Length: 0', 'Transfer-Encoding: chunked']],
    [['Content-Length: 5', 'Transfer-Encoding: gzip, chunked']],
  ])('RFC 9112 §6.3 step 3: %j is rejected with 400, never framed by either', (fields) => {
    expectHeadError(post(fields, CHUNKED_BODY), 'CONTENT_LENGTH_WITH_TRANSFER_ENCODING', 400)
  })

  it('RFC 9112 §6.3 step 3: with allowContentLengthWithTransferEncoding, chunked wins', () => {
    const leniency = { allowContentLengthWithTransferEncoding: true }
    const { head, body } = expectRequest(
      post(['Content-Length: 3', 'Transfer-Encoding: chunked'], CHUNKED_BODY),
      { leniency },
    )
    expect(head.framing).toEqual({ kind: 'chunked' })
    expect(body).toBe('hello')
  })

  it('RFC 9112 §6.3 step 3: the leniency still applies the other Transfer-Encoding rules', () => {
    const leniency = { allowContentLengthWithTransferEncoding: true }
    expectHeadError(post(['Content-Length: 3', 'Transfer-Encoding: gzip'], 'abc'), 'CHUNKED_NOT_FINAL', 400, {
      leniency,
    })
  })

  it.each([
    [['Transfer-Encoding: chunked']],
    [['Transfer-Encoding: gzip']],
    [['Transfer-Encoding: chunked', 'Content-Length: 5']],
  ])('RFC 9112 §6.1: Transfer-Encoding %j in an HTTP/1.0 request is rejected with 400', (fields) => {
    const leniency = { allowContentLengthWithTransferEncoding: true }
    const input = req('POST / HTTP/1.0', ...fields) + CHUNKED_BODY
    expectHeadError(input, 'TRANSFER_ENCODING_IN_HTTP10', 400, { leniency })
  })

  it('RFC 9112 §6.1: without leniency, TE+CL in HTTP/1.0 is still a 400', () => {
    const input = req('POST / HTTP/1.0', 'Transfer-Encoding: chunked', 'Content-Length: 5') + CHUNKED_BODY
    expectHeadError(input, 'CONTENT_LENGTH_WITH_TRANSFER_ENCODING', 400)
  })
})
