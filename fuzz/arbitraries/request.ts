/**
 * Valid requests (RFC 9112 §2.1):
 *   HTTP-message = start-line CRLF *( field-line CRLF ) CRLF [ message-body ]
 *   request-line = method SP request-target SP HTTP-version
 */
import fc from 'fast-check'
import { bodyData, chunkedBody } from './body.ts'
import { connectionField, expectField, fieldLineArb, hostField, trailerField } from './fields.ts'
import type { BodyModel, FieldLine, RequestModel } from './model.ts'
import { absoluteForm, authorityForm, oddPath, originForm } from './target.ts'
import { acceptedVersion, method } from './token.ts'

interface RequestParts {
  readonly version: '1.0' | '1.1'
  readonly method: string
  readonly special: 'none' | 'connect' | 'asterisk' | 'upgrade'
  readonly targetKind: 'origin' | 'absolute' | 'odd'
  readonly origin: string
  readonly absolute: string
  readonly odd: string
  readonly authority: string
  readonly host: FieldLine
  readonly hostIn10: boolean
  readonly hostAt: number
  readonly fields: readonly FieldLine[]
  readonly connection: FieldLine | null
  readonly expect: FieldLine | null
  readonly framing: 'none' | 'length' | 'chunked'
  readonly data: Uint8Array
  readonly chunked: BodyModel
  readonly framingAt: number
  readonly framingName: string
}

export interface RequestOptions {
  /** Allow `Connection: close` (which ends a pipeline early). */
  readonly allowClose?: boolean
  /** Allow CONNECT and Upgrade requests (which end HTTP/1.1 on the connection). */
  readonly allowUpgrade?: boolean
}

function insertAt<T>(list: T[], at: number, item: T): void {
  list.splice(at % (list.length + 1), 0, item)
}

/** Puts the independently generated parts together into one consistent request. */
function assembleRequest(p: RequestParts): RequestModel {
  let m = p.method
  let target = p.targetKind === 'origin' ? p.origin : p.targetKind === 'absolute' ? p.absolute : p.odd
  let framing = p.framing
  const headers: FieldLine[] = [...p.fields]
  if (p.special === 'connect') {
    // RFC 9112 §3.2.3: authority-form is only used with CONNECT.
    m = 'CONNECT'
    target = p.authority
    framing = 'none'
  } else if (p.special === 'asterisk') {
    // RFC 9112 §3.2.4: asterisk-form is only used with OPTIONS.
    m = 'OPTIONS'
    target = '*'
  }
  if (p.version === '1.1' || p.hostIn10) insertAt(headers, p.hostAt, p.host)
  if (p.connection !== null && p.special !== 'upgrade') headers.push(p.connection)
  if (p.special === 'upgrade') {
    // RFC 9110 §7.8: Upgrade is only honoured with `Connection: upgrade`.
    headers.push({ name: 'Connection', value: 'Upgrade', lead: ' ', trail: '' })
    headers.push({ name: 'Upgrade', value: 'websocket', lead: ' ', trail: '' })
    framing = 'none'
  }
  if (p.expect !== null && framing !== 'none') headers.push(p.expect)
  // RFC 9112 §6.1: Transfer-Encoding is not defined for HTTP/1.0 recipients.
  if (p.version === '1.0' && framing === 'chunked') framing = 'length'
  let body: BodyModel = { kind: 'none' }
  if (framing === 'length') {
    insertAt(headers, p.framingAt, {
      name: p.framingName === 'lower' ? 'content-length' : 'Content-Length',
      value: String(p.data.length),
      lead: ' ',
      trail: '',
    })
    body = { kind: 'raw', data: p.data }
  } else if (framing === 'chunked') {
    insertAt(headers, p.framingAt, {
      name: p.framingName === 'lower' ? 'transfer-encoding' : 'Transfer-Encoding',
      value: 'chunked',
      lead: ' ',
      trail: '',
    })
    body = p.chunked
    if (body.kind === 'chunked' && body.trailers.length > 0)
      headers.push(trailerField(body.trailers.map((t) => t.name)))
  }
  return { method: m, target, version: `HTTP/${p.version}`, headers, body }
}

/** A request every RFC 9112 parser must accept, with its fields chosen at random. */
export function validRequest(opts: RequestOptions = {}): fc.Arbitrary<RequestModel> {
  const special = fc.oneof(
    { weight: 30, arbitrary: fc.constant('none' as const) },
    { weight: 1, arbitrary: fc.constant('asterisk' as const) },
    { weight: opts.allowUpgrade ? 1 : 0, arbitrary: fc.constant('connect' as const) },
    { weight: opts.allowUpgrade ? 1 : 0, arbitrary: fc.constant('upgrade' as const) },
  )
  const connection = opts.allowClose
    ? fc.option(connectionField, { freq: 6 })
    : fc.option(
        connectionField.filter((f) => !f.value.toLowerCase().includes('close')),
        { freq: 6 },
      )
  return fc
    .record({
      version: acceptedVersion,
      method,
      special,
      targetKind: fc.constantFrom<'origin' | 'absolute' | 'odd'>(
        'origin',
        'origin',
        'origin',
        'absolute',
        'odd',
      ),
      origin: originForm,
      absolute: absoluteForm,
      odd: oddPath,
      authority: authorityForm,
      host: hostField,
      hostIn10: fc.boolean(),
      hostAt: fc.nat(8),
      fields: fc.array(fieldLineArb, { maxLength: 6 }),
      connection,
      expect: fc.option(expectField, { freq: 8 }),
      framing: fc.constantFrom<'none' | 'length' | 'chunked'>('none', 'length', 'chunked'),
      data: bodyData,
      chunked: chunkedBody,
      framingAt: fc.nat(8),
      framingName: fc.constantFrom('canonical', 'canonical', 'lower'),
    })
    .map(assembleRequest)
}
