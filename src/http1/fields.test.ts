import { describe, expect, it } from 'vitest'
import { expectHead, expectHeadError, get, req } from './test-support.ts'

describe('RFC 9110 §5.1, RFC 9112 §5: field names', () => {
  it('RFC 9110 §5.1: a field name made of tchar is accepted and kept as received', () => {
    const name = "X-Az09!#$%&'*+-.^_`|~"
    const head = expectHead(get(`${name}: v`))
    expect(head.rawHeaders).toEqual(['Host', 'example.com', name, 'v'])
  })

  it.each([
    ['Host : a', 'SP before the colon'],
    ['Foo\t: a', 'HTAB before the colon'],
    ['Foo  : a', 'two SP before the colon'],
  ])('RFC 9112 §5.1: %j (%s) is rejected with 400', (line) => {
    expectHeadError(get(line), 'INVALID_HEADER_NAME', 400)
  })

  it.each([
    [': a', 'an empty name'],
    [':', 'a ":"-only line'],
    ['NoColon', 'no colon'],
    ['No Colon here', 'a space and no colon'],
    ['F\x80oo: a', 'byte 0x80 in the name'],
    ['F\xffoo: a', 'byte 0xff in the name'],
    ['Fo(o: a', '"(" in the name'],
    ['Fo"o: a', 'DQUOTE in the name'],
    ['Fo/o: a', '"/" in the name'],
    ['Fo@o: a', '"@" in the name'],
    ['Fo\x00o: a', 'NUL in the name'],
    ['Fo\x7fo: a', 'DEL in the name'],
    ['Fo[o]: a', 'brackets in the name'],
    ['Fo{o}: a', 'braces in the name'],
  ])('RFC 9110 §5.1: %j (%s) is rejected with 400', (line) => {
    expectHeadError(get(line), 'INVALID_HEADER_NAME', 400)
  })
})

describe('RFC 9112 §5.2, §2.2: obs-fold and leading whitespace', () => {
  it.each([
    ['SP', 'X-A: a\r\n b'],
    ['HTAB', 'X-A: a\r\n\tb'],
    ['several lines', 'X-A: a\r\n b\r\n  c'],
  ])('RFC 9112 §5.2: obs-fold (%s) is rejected with 400 by default', (_kind, lines) => {
    expectHeadError(get(lines), 'OBS_FOLD', 400)
  })

  it.each([
    ['SP', 'X-A: a\r\n b', 'a b'],
    ['HTAB', 'X-A: a\r\n\tb', 'a b'],
    ['several lines and trailing OWS', 'X-A: a \r\n   b \t\r\n\t c  ', 'a b c'],
  ])('RFC 9112 §5.2: with allowObsFold, obs-fold (%s) is replaced by one SP', (_kind, lines, value) => {
    const head = expectHead(get(lines, 'X-B: z'), { leniency: { allowObsFold: true } })
    expect(head.rawHeaders).toEqual(['Host', 'example.com', 'X-A', value, 'X-B', 'z'])
  })

  it.each([
    ['an empty first line', 'X-A:\r\n b', 'b'],
    ['an empty first line with OWS', 'X-A: \t\r\n \t b', 'b'],
    ['an empty folded line', 'X-A: a\r\n \t', 'a'],
    ['only empty lines', 'X-A:\r\n \r\n\t', ''],
  ])(
    'RFC 9112 §5.2, §5: with allowObsFold, %s gives a value without surrounding whitespace',
    (_kind, lines, value) => {
      const head = expectHead(get(lines), { leniency: { allowObsFold: true } })
      expect(head.rawHeaders).toEqual(['Host', 'example.com', 'X-A', value])
    },
  )

  it('RFC 9112 §5.2: with allowObsFold, a control character in the folded line is still rejected', () => {
    expectHeadError(get('X-A: a\r\n b\x00'), 'INVALID_HEADER_VALUE', 400, {
      leniency: { allowObsFold: true },
    })
  })

  it.each([
    ['SP', ' Host: example.com'],
    ['HTAB', '\tHost: example.com'],
  ])('RFC 9112 §2.2: a first field line starting with %s is rejected with 400', (_kind, line) => {
    expectHeadError(req('GET / HTTP/1.1', line, 'Host: example.com'), 'LEADING_WHITESPACE', 400)
    expectHeadError(req('GET / HTTP/1.1', line, 'Host: example.com'), 'LEADING_WHITESPACE', 400, {
      leniency: { allowObsFold: true },
    })
  })
})

describe('RFC 9110 §5.5, RFC 9112 §5: field values', () => {
  it.each([
    ['NUL', '\x00'],
    ['SOH', '\x01'],
    ['VT', '\x0b'],
    ['FF', '\x0c'],
    ['US', '\x1f'],
    ['DEL', '\x7f'],
  ])('RFC 9110 §5.5: a value containing %s is rejected with 400', (_name, char) => {
    expectHeadError(get(`X-A: a${char}b`), 'INVALID_HEADER_VALUE', 400)
    expectHeadError(get(`X-A: ${char}`), 'INVALID_HEADER_VALUE', 400)
  })

  it('RFC 9110 §5.5: CR inside a value is rejected with 400', () => {
    expectHeadError(get('X-A: a\rb'), 'BARE_CR', 400)
  })

  it('RFC 9110 §5.5: obs-text (0x80-0xff) in a value is accepted and kept byte for byte', () => {
    const head = expectHead(get('X-A: caf\xe9 \x80\xff'))
    expect(head.rawHeaders[3]).toBe('caf\xe9 \x80\xff')
  })

  it('RFC 9110 §5.5: every VCHAR, SP and HTAB is accepted inside a value', () => {
    let vchars = ''
    for (let c = 0x21; c <= 0x7e; c++) vchars += String.fromCharCode(c)
    const value = `${vchars} \t${vchars}`
    expect(expectHead(get(`X-A: ${value}`)).rawHeaders[3]).toBe(value)
  })

  it.each([
    ['X-A: value', 'value'],
    ['X-A:value', 'value'],
    ['X-A:   value   ', 'value'],
    ['X-A:\t value \t', 'value'],
    ['X-A: a  b\tc', 'a  b\tc'],
    ['X-A:', ''],
    ['X-A:   ', ''],
    ['X-A: \t \t', ''],
  ])('RFC 9112 §5: %j has the value %j (surrounding OWS trimmed)', (line, value) => {
    expect(expectHead(get(line)).rawHeaders).toEqual(['Host', 'example.com', 'X-A', value])
  })

  it('RFC 9110 §5.3: field order, raw names and duplicates are kept', () => {
    const head = expectHead(
      req(
        'GET / HTTP/1.1',
        'x-lower: 1',
        'HOST: example.com',
        'X-Dup: a',
        'x-dup: b',
        'X-DUP: c',
        'Cookie: k=v',
      ),
    )
    expect(head.rawHeaders).toEqual([
      'x-lower',
      '1',
      'HOST',
      'example.com',
      'X-Dup',
      'a',
      'x-dup',
      'b',
      'X-DUP',
      'c',
      'Cookie',
      'k=v',
    ])
  })
})

describe('RFC 9112 §3.2, RFC 9110 §7.2: Host', () => {
  it('RFC 9112 §3.2: an HTTP/1.1 request without Host is rejected with 400', () => {
    expectHeadError(req('GET / HTTP/1.1', 'X-A: 1'), 'MISSING_HOST', 400)
  })

  it('RFC 9112 §3.2: an HTTP/1.1 request in absolute-form still needs Host', () => {
    expectHeadError(req('GET http://example.com/ HTTP/1.1'), 'MISSING_HOST', 400)
  })

  it.each([
    ['1.1', ['Host: a', 'Host: a']],
    ['1.1', ['Host: a', 'host: b']],
    ['1.0', ['Host: a', 'HOST: a']],
  ])('RFC 9112 §3.2: an HTTP/%s request with two Host fields is rejected with 400', (version, hosts) => {
    expectHeadError(req(`GET / HTTP/${version}`, ...hosts), 'DUPLICATE_HOST', 400)
  })

  it('RFC 9112 §3.2: an HTTP/1.0 request without Host is accepted, with an empty authority', () => {
    const head = expectHead(req('GET / HTTP/1.0'))
    expect(head.version).toBe('1.0')
    expect(head.authority).toBe('')
  })

  it.each([
    ['example.com'],
    ['example.com:8080'],
    ['EXAMPLE.com'],
    ['127.0.0.1:80'],
    ['[::1]'],
    ['[::1]:8080'],
    ['xn--bcher-kva.example'],
    ['a%41b'],
    ["sub-delims!$&'()*+,;="],
    ['example.com:'],
    [''],
  ])('RFC 9110 §7.2: Host %j is accepted and becomes the authority', (value) => {
    const head = expectHead(req('GET / HTTP/1.1', `hOsT: ${value}`))
    expect(head.authority).toBe(value)
  })

  it.each([
    ['a b'],
    ['a/b'],
    ['user@example.com'],
    ['[::1'],
    ['::1'],
    ['a:b'],
    ['a:80:80'],
    ['%zz'],
    ['a%4'],
    ['a]'],
    ['[::1]x'],
    ['exa"mple'],
    ['caf\xe9'],
  ])('RFC 9110 §7.2: Host %j is rejected with 400', (value) => {
    expectHeadError(req('GET / HTTP/1.1', `Host: ${value}`), 'INVALID_HOST', 400)
  })
})
