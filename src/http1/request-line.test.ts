import { describe, expect, it } from 'vitest'
import { expectHead, expectHeadError, req } from './test-support.ts'

const HOST = 'Host: example.com'

describe('RFC 9112 §3 / RFC 9110 §9.1: the method is a token', () => {
  it.each([
    'GET',
    'PUT',
    'POST',
    'HEAD',
    'PATCH',
    'DELETE',
    'OPTIONS',
    'M-SEARCH',
    'get',
    'Post',
    'GEt',
    'PUX',
    'HEAL',
    'DELETED',
    'OPTIONs',
    "X!#$%&'*+-.^_`|~09",
  ])('RFC 9110 §9.1: method %j is accepted as received', (method) => {
    const head = expectHead(req(`${method} / HTTP/1.1`, HOST))
    expect(head.method).toBe(method)
  })

  it.each([
    ['G(ET', '('],
    ['GE"T', 'DQUOTE'],
    ['GE\x80T', 'byte 0x80'],
    ['GET\x7f', 'DEL'],
    ['GE,T', 'comma'],
    ['GE/T', 'slash'],
  ])('RFC 9110 §9.1: method %j (contains %s) is rejected with 400', (method) => {
    expectHeadError(req(`${method} / HTTP/1.1`, HOST), 'INVALID_METHOD', 400)
  })

  it('RFC 9112 §3: an empty method (line starts with SP) is rejected with 400', () => {
    expectHeadError(req(' / HTTP/1.1', HOST), 'INVALID_METHOD', 400)
  })
})

describe('RFC 9112 §3: exactly one SP between the parts of the request-line', () => {
  it.each([
    ['GET  / HTTP/1.1', 'INVALID_REQUEST_LINE'],
    ['GET /  HTTP/1.1', 'INVALID_VERSION'],
    ['GET / HTTP/1.1 ', 'INVALID_VERSION'],
    ['GET\t/ HTTP/1.1', 'INVALID_METHOD'],
    ['GET /\tHTTP/1.1', 'INVALID_TARGET'],
    ['GET / \tHTTP/1.1', 'INVALID_VERSION'],
    ['GET', 'INVALID_METHOD'],
    ['GET ', 'INVALID_REQUEST_LINE'],
    ['GET / ', 'INVALID_VERSION'],
  ] as const)('RFC 9112 §3: %j is rejected with 400 (%s)', (line, code) => {
    expectHeadError(req(line, HOST), code, 400)
  })

  it('RFC 9112 §3: the HTTP/0.9 form "GET /" without a version is rejected with 400', () => {
    expectHeadError('GET /\r\n\r\n', 'INVALID_REQUEST_LINE', 400)
  })

  it('RFC 9112 §3, §2.2: "GET /\\nHTTP/1.1" (a bare LF in the request line) is rejected with 400', () => {
    expectHeadError('GET /\nHTTP/1.1\r\nHost: a\r\n\r\n', 'BARE_LF', 400)
  })
})

describe('RFC 9112 §3.2: the four forms of request-target', () => {
  it.each([
    ['/', '/'],
    ['/a/b?c=d&e', '/a/b?c=d&e'],
    ['//double/slash', '//double/slash'],
    ['/?', '/?'],
    ['/a?b?c/d', '/a?b?c/d'],
  ])('RFC 9112 §3.2.1: origin-form %j is accepted, authority comes from Host', (target) => {
    const head = expectHead(req(`GET ${target} HTTP/1.1`, HOST))
    expect(head.target).toBe(target)
    expect(head.targetForm).toBe('origin')
    expect(head.authority).toBe('example.com')
  })

  it.each([
    ['http://example.com/x?y', 'example.com'],
    ['http://example.com', 'example.com'],
    ['HTTPS://Example.COM:8443/', 'Example.COM:8443'],
    ['http://[::1]:8080/p', '[::1]:8080'],
    ['http://example.com?q', 'example.com'],
    ['urn:isbn:123', ''],
  ])(
    'RFC 9112 §3.2.2: absolute-form %j is accepted and its authority overrides Host',
    (target, authority) => {
      const head = expectHead(req(`GET ${target} HTTP/1.1`, 'Host: other.example'))
      expect(head.target).toBe(target)
      expect(head.targetForm).toBe('absolute')
      expect(head.authority).toBe(authority)
    },
  )

  it.each([
    ['http://user@example.com/', 'userinfo'],
    ['http:///path', 'an empty host'],
    ['http://:80/', 'a port without host'],
    ['http:/path', 'no "//"'],
    ['https:example.com', 'no "//"'],
    ['http://exa mple.com/', 'a space'],
    ['http://ex<ample/', 'a "<"'],
  ])('RFC 9112 §3.2.2, RFC 9110 §4.2: absolute-form %j (%s) is rejected with 400', (target) => {
    expectHeadError(
      req(`GET ${target} HTTP/1.1`, HOST),
      target.includes(' ') ? 'INVALID_VERSION' : 'INVALID_TARGET',
      400,
    )
  })

  it.each([['example.com:443'], ['127.0.0.1:8080'], ['[::1]:443'], ['[2001:db8::1]:80']])(
    'RFC 9112 §3.2.3: CONNECT with authority-form %j is accepted; its authority overrides Host',
    (target) => {
      const head = expectHead(req(`CONNECT ${target} HTTP/1.1`, 'Host: other.example'))
      expect(head.targetForm).toBe('authority')
      expect(head.authority).toBe(target)
      expect(head.upgrade).toBe('CONNECT')
    },
  )

  it.each([
    ['/', 'origin-form'],
    ['*', 'asterisk-form'],
    ['example.com', 'no port'],
    ['example.com:', 'an empty port'],
    [':443', 'no host'],
    ['example.com:44a', 'a non-digit port'],
    ['user@example.com:443', 'userinfo'],
    ['http://example.com:443/', 'absolute-form'],
    ['example.com:443/path', 'a path'],
  ])('RFC 9112 §3.2.3: CONNECT with %j (%s) is rejected with 400', (target) => {
    expectHeadError(req(`CONNECT ${target} HTTP/1.1`, HOST), 'INVALID_TARGET', 400)
  })

  it.each([['GET 127.0.0.1:80 HTTP/1.1'], ['GET [::1]:80 HTTP/1.1'], ['POST 1example.com:80 HTTP/1.1']])(
    'RFC 9112 §3.2.3: authority-form outside CONNECT, %j, is rejected with 400',
    (line) => {
      expectHeadError(req(line, HOST), 'INVALID_TARGET', 400)
    },
  )

  it('RFC 9112 §3.2.4: OPTIONS * is accepted in asterisk-form', () => {
    const head = expectHead(req('OPTIONS * HTTP/1.1', HOST))
    expect(head.target).toBe('*')
    expect(head.targetForm).toBe('asterisk')
    expect(head.authority).toBe('example.com')
  })

  it.each([
    ['GET * HTTP/1.1'],
    ['POST * HTTP/1.1'],
    ['options * HTTP/1.1'],
    ['OPTIONS *x HTTP/1.1'],
    ['OPTIONS ** HTTP/1.1'],
  ])(
    'RFC 9112 §3.2.4: %j (asterisk-form outside OPTIONS, or not exactly "*") is rejected with 400',
    (line) => {
      expectHeadError(req(line, HOST), 'INVALID_TARGET', 400)
    },
  )

  it.each([['a'], ['?x'], ['-/x']])('RFC 9112 §3.2: target %j in no form is rejected with 400', (target) => {
    expectHeadError(req(`GET ${target} HTTP/1.1`, HOST), 'INVALID_TARGET', 400)
  })
})

describe('RFC 9112 §3.2, RFC 3986 §2: request-target characters', () => {
  it("RFC 3986 §2.2, §2.3: unreserved, sub-delims, ':' '@' '/' '?' and pct-encoded are accepted", () => {
    const target = "/AZaz09-._~!$&'()*+,;=:@/?%20%aF%Af"
    expect(expectHead(req(`GET ${target} HTTP/1.1`, HOST)).target).toBe(target)
  })

  it.each([
    ['|'],
    ['{'],
    ['}'],
    ['"'],
    ['<'],
    ['>'],
    ['\\'],
    ['^'],
    ['`'],
    ['#'],
    ['\x80'],
    ['\xff'],
    ['\x00'],
    ['\x7f'],
    ['\x01'],
  ])('RFC 3986 §2: a target containing %j is rejected with 400', (char) => {
    expectHeadError(req(`GET /a${char}b HTTP/1.1`, HOST), 'INVALID_TARGET', 400)
  })

  it.each([['/%'], ['/%4'], ['/%zz'], ['/%4g'], ['/a%']])(
    'RFC 3986 §2.1: %j (a "%" not followed by two HEXDIG) is rejected with 400',
    (target) => {
      expectHeadError(req(`GET ${target} HTTP/1.1`, HOST), 'INVALID_TARGET', 400)
    },
  )

  it('RFC 9112 §3.2: the target is kept exactly as received (no normalisation)', () => {
    const target = '/a/../b/./%2F?x=%41'
    expect(expectHead(req(`GET ${target} HTTP/1.1`, HOST)).target).toBe(target)
  })
})

describe('RFC 9112 §2.3, RFC 9110 §2.5 / §6.2: HTTP-version', () => {
  it.each([
    ['HTTP/1.1', '1.1'],
    ['HTTP/1.0', '1.0'],
    ['HTTP/1.2', '1.1'],
    ['HTTP/1.9', '1.1'],
  ] as const)('RFC 9110 §2.5: %s is processed as HTTP/%s', (version, processedAs) => {
    expect(expectHead(req(`GET / ${version}`, HOST)).version).toBe(processedAs)
  })

  it.each([['HTTP/2.0'], ['HTTP/0.9'], ['HTTP/3.0'], ['HTTP/9.9'], ['HTTP/0.0']])(
    'RFC 9110 §6.2: the well-formed but unsupported %s is rejected with 505',
    (version) => {
      expectHeadError(req(`GET / ${version}`, HOST), 'UNSUPPORTED_VERSION', 505)
    },
  )

  it.each([
    ['HTTP/1.32'],
    ['http/1.1'],
    ['Http/1.1'],
    ['HTTP/4294967295.255'],
    ['HTTP/1'],
    ['HTTP/1.'],
    ['HTTP/11'],
    ['HTTP/1,1'],
    ['HTTP/a.1'],
    ['HTTP 1.1'],
    ['HTTPS/1.1'],
    ['HTTP/1.1x'],
    ['HTTP/01.1'],
    ['HTTP/1.1/'],
    ['HTTP/\x31.1\x00'],
  ])('RFC 9112 §2.3: the malformed version %j is rejected with 400', (version) => {
    expectHeadError(req(`GET / ${version}`, HOST), 'INVALID_VERSION', 400)
  })
})

describe('RFC 9112 §2.2: empty lines before the request-line are ignored', () => {
  it.each([['\r\n'], ['\r\n\r\n'], ['\r\n\r\n\r\n\r\n\r\n']])(
    'RFC 9112 §2.2: the leading %j is ignored',
    (prefix) => {
      const head = expectHead(prefix + req('GET /x HTTP/1.1', HOST))
      expect(head.target).toBe('/x')
    },
  )

  it('RFC 9112 §2.2: a leading bare LF is rejected with 400 (no leniency)', () => {
    expectHeadError(`\n${req('GET / HTTP/1.1', HOST)}`, 'BARE_LF', 400)
  })

  it('RFC 9112 §2.2: leading whitespace before the method is not an empty line and is rejected', () => {
    expectHeadError(` ${req('GET / HTTP/1.1', HOST)}`, 'INVALID_METHOD', 400)
  })
})
