/**
 * Each property fails against a deliberately broken target, within its CI budget, and the
 * failure is shrunk to a short input. Without these, a property that can never fail would look
 * exactly like a property that holds.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RequestParser } from '../../src/http1/parser.ts'
import type { ParserFactory } from '../oracle/ours.ts'
import { defaultParser, runOurs } from '../oracle/ours.ts'
import { type PropertyResult, runProperty } from '../runner.ts'
import { brokenParsers } from './broken-parsers.ts'
import { differentialProperty } from './differential.ts'
import { roundTripProperty } from './roundtrip.ts'
import { splitProperty } from './split.ts'
import { tcpProperty } from './tcp.ts'
import { totalProperty } from './total.ts'
import type { AnyProperty, TcpTarget } from './types.ts'

const SEED = 424242

async function fails(
  prop: AnyProperty,
  make: ParserFactory,
  runs: number,
  target?: TcpTarget,
): Promise<PropertyResult> {
  const r = await runProperty(prop, {
    seed: SEED,
    runs,
    timeMs: 10_000,
    shrinkTimeMs: 8000,
    ctx: { make, ...(target ? { target } : {}) },
  })
  expect(r.failures.length, `${prop.name} did not fail in ${r.runs} runs`).toBe(1)
  return r
}

const lenient = (leniency: ConstructorParameters<typeof RequestParser>[0]): ParserFactory =>
  function makeLenient() {
    return new RequestParser(leniency)
  }

describe('the differential property catches a planted unsafe leniency', () => {
  it('allowContentLengthWithTransferEncoding: fails and shrinks to a short CL+TE request', async () => {
    const r = await fails(
      differentialProperty,
      lenient({ leniency: { allowContentLengthWithTransferEncoding: true } }),
      3000,
    )
    const f = r.failures[0]!
    expect(f.class).toBe('type')
    expect(f.bytesEscaped.toLowerCase()).toContain('content-length')
    expect(f.bytesEscaped.toLowerCase()).toContain('transfer-encoding')
    expect(f.length).toBeLessThan(100)
  })

  it('allowBareLf: fails and shrinks to a short request with a bare LF', async () => {
    const r = await fails(differentialProperty, lenient({ leniency: { allowBareLf: true } }), 3000)
    const f = r.failures[0]!
    expect(f.class).toBe('type')
    expect(f.length).toBeLessThan(80)
    // The shrunk stream is one the strict parser refuses for its bare LF: the leniency is the bug.
    const strict = runOurs(Buffer.from(f.bytesBase64, 'base64'), [f.length], defaultParser()).outcome
    expect(strict.end.kind === 'error' ? strict.end.code : 'clean').toMatch(/BARE_LF|INVALID_CHUNK_DATA_END/)
  })
})

describe('each property fails against a broken parser', () => {
  it('total: a parser that rescans on every write is caught by the examination bound', async () => {
    const r = await fails(totalProperty, brokenParsers.rescanning, 2000)
    expect(r.failures[0]!.reason).toMatch(/examined \d+ bytes/)
  })

  it('total: a parser that throws is caught', async () => {
    const r = await fails(totalProperty, brokenParsers.throwing, 2000)
    expect(r.failures[0]!.reason).toMatch(/threw: TypeError/)
    expect(r.failures[0]!.length).toBeLessThan(4)
  })

  it('split: a parser whose body events depend on the writes is caught', async () => {
    const r = await fails(splitProperty, brokenParsers.splitSensitive, 2000)
    expect(r.failures[0]!.length).toBeLessThan(120)
  })

  it('roundtrip: a parser that lower-cases field names is caught', async () => {
    const r = await fails(roundTripProperty, brokenParsers.lowerCasing, 2000)
    expect(r.failures[0]!.reason).toMatch(/headers differs/)
    expect(r.failures[0]!.length).toBeLessThan(80)
  })
})

describe('the tcp property fails against a server that reaches the app with requests our parser rejects', () => {
  // node:http with the insecure (lenient) parser, presented as if it were sockhttp, so the strict
  // "one reflection per accepted request, then the error status" rule applies to it.
  let server: http.Server
  let target: TcpTarget
  let dropLastHeader = false
  beforeAll(async () => {
    server = http.createServer({ insecureHTTPParser: true }, (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const pairs: [string, string][] = []
        for (let i = 0; i < req.rawHeaders.length; i += 2)
          pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!])
        if (dropLastHeader) pairs.pop()
        const trailers: [string, string][] = []
        for (let i = 0; i < req.rawTrailers.length; i += 2)
          trailers.push([req.rawTrailers[i]!, req.rawTrailers[i + 1]!])
        res.setHeader('Content-Type', 'application/json')
        res.end(
          JSON.stringify({
            method: req.method,
            target: req.url,
            version: req.httpVersion,
            headers: pairs,
            trailers,
            body: Buffer.concat(chunks).toString('base64'),
          }),
        )
      })
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    const { port } = server.address() as AddressInfo
    target = { host: '127.0.0.1', port, isSockhttp: true }
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((ok) => server.close(() => ok()))
  })

  it('fails within its budget', async () => {
    dropLastHeader = false
    const r = await fails(tcpProperty, defaultParser(), 300, target)
    expect(r.failures[0]!.reason.length).toBeGreaterThan(0)
  })

  it('fails when a reflection is wrong, even for valid pipelines against another implementation', async () => {
    dropLastHeader = true
    const r = await fails(tcpProperty, defaultParser(), 300, { ...target, isSockhttp: false })
    expect(r.failures[0]!.reason).toMatch(
      /is not the reflection of request|responses for \d+ accepted requests/,
    )
  })
})
