/** RFC 9110 §10.1.1 Expect, §15.2.1 100 Continue, §15.5.18 417. */
import type { CaseGroup } from '../types.ts'
import { awaitInterim, head, send, shutdown, wire } from './dsl.ts'

const CONTINUE =
  'A server that receives "Expect: 100-continue" in an HTTP/1.1 request MUST either send 100 (Continue) and keep reading, or send a final status without waiting for the body. It must cope with the body arriving anyway.'

export const expect: CaseGroup = {
  title: 'RFC 9110 §10.1.1 Expect',
  cases: [
    wire({
      id: '9110-10.1.1/continue-then-body',
      rfc: 'RFC 9110',
      section: '10.1.1',
      level: 'SHOULD',
      requirement: `${CONTINUE} The client here waits for the 100 before sending the body.`,
      steps: [
        send(head('POST /e HTTP/1.1', 'Host: x', 'Content-Length: 5', 'Expect: 100-continue')),
        awaitInterim,
        send('hello'),
      ],
      outcomes: [
        {
          name: '100 then 200',
          responses: [{ status: 'accepted', interim: 'required', reflect: { body: 'hello' } }],
          connection: 'open',
        },
        {
          name: 'no 100, final after body',
          responses: [{ status: 'accepted', reflect: { body: 'hello' } }],
          connection: 'open',
          warn: 'no 100 Continue: the client had to wait',
        },
      ],
    }),
    wire({
      id: '9110-10.1.1/continue-body-at-once',
      rfc: 'RFC 9110',
      section: '10.1.1',
      level: 'MUST',
      requirement: `${CONTINUE} Here the body is sent at once without waiting: it is the body, never a new request.`,
      send: `${head('POST /e HTTP/1.1', 'Host: x', 'Content-Length: 5', 'Expect: 100-continue')}@@@@@`,
      outcomes: [
        {
          name: 'answered with the body',
          responses: [{ status: 'accepted', reflect: { body: '@@@@@' } }],
          connection: 'open',
        },
      ],
    }),
    wire({
      id: '9110-10.1.1/continue-chunked',
      rfc: 'RFC 9110',
      section: '10.1.1',
      level: 'SHOULD',
      requirement: CONTINUE,
      steps: [
        send(head('POST /e HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked', 'Expect: 100-continue')),
        awaitInterim,
        send('5\r\nhello\r\n0\r\n\r\n'),
      ],
      outcomes: [
        {
          name: '100 then 200',
          responses: [{ status: 'accepted', interim: 'required', reflect: { body: 'hello' } }],
          connection: 'open',
        },
        {
          name: 'no 100',
          responses: [{ status: 'accepted', reflect: { body: 'hello' } }],
          connection: 'open',
          warn: 'no 100 Continue: the client had to wait',
        },
      ],
    }),
    wire({
      id: '9110-10.1.1/continue-case-insensitive',
      rfc: 'RFC 9110',
      section: '10.1.1',
      level: 'MUST',
      requirement: `${CONTINUE} The expectation value is case-insensitive.`,
      send: `${head('POST /e HTTP/1.1', 'Host: x', 'Content-Length: 5', 'Expect: 100-Continue')}hello`,
      outcomes: [
        {
          name: 'answered with the body',
          responses: [{ status: 'accepted', reflect: { body: 'hello' } }],
          connection: 'open',
        },
      ],
    }),
    wire({
      id: '9110-10.1.1/continue-http10-ignored',
      rfc: 'RFC 9110',
      section: '10.1.1',
      level: 'MUST',
      requirement:
        'A server MUST ignore a 100-continue expectation in an HTTP/1.0 request (1.0 clients do not understand 1xx).',
      send: `${head('POST /e HTTP/1.0', 'Host: x', 'Content-Length: 5', 'Expect: 100-continue')}hello`,
      outcomes: [
        {
          name: 'no 1xx',
          responses: [{ status: 'accepted', interim: 'forbidden', reflect: { body: 'hello' } }],
          connection: 'any',
        },
      ],
    }),
    wire({
      id: '9110-10.1.1/continue-no-body',
      rfc: 'RFC 9110',
      section: '10.1.1',
      level: 'MUST',
      requirement: `${CONTINUE} With Content-Length: 0 there is nothing to wait for.`,
      send: head('POST /e HTTP/1.1', 'Host: x', 'Content-Length: 0', 'Expect: 100-continue'),
      outcomes: [
        { name: 'answered', responses: [{ status: 'accepted', reflect: { body: '' } }], connection: 'open' },
      ],
    }),
    wire({
      id: '9110-10.1.1/continue-too-large',
      rfc: 'RFC 9110',
      section: '10.1.1',
      level: 'MAY',
      requirement: `${CONTINUE} For a body over the server's limit (64 MiB here) the final status (413) can be sent instead of 100.`,
      steps: [
        send(head('POST /e HTTP/1.1', 'Host: x', 'Content-Length: 67108864', 'Expect: 100-continue')),
        awaitInterim,
        shutdown,
      ],
      outcomes: [
        { name: '413 without 100', responses: [{ status: 413, interim: 'forbidden' }], connection: 'any' },
        {
          name: '100, then incomplete',
          responses: [{ status: 400, interim: 'required' }],
          connection: 'close',
        },
        { name: '100, then closed', responses: [], connection: 'close' },
      ],
    }),
    wire({
      id: '9110-10.1.1/unknown-expectation',
      rfc: 'RFC 9110',
      section: '10.1.1',
      level: 'SHOULD',
      requirement:
        'An Expect value other than 100-continue cannot be met: the server MAY answer 417 (Expectation Failed). This suite recommends 417 and warns when the expectation is silently ignored.',
      send: head('GET /e HTTP/1.1', 'Host: x', 'Expect: teapot'),
      outcomes: [
        { name: '417', responses: [{ status: 417 }], connection: 'any' },
        {
          name: 'ignored',
          responses: [{ status: 'accepted' }],
          connection: 'open',
          warn: 'ignored an unknown expectation instead of 417',
        },
      ],
    }),
    wire({
      id: '9110-10.1.1/unknown-expectation-with-body',
      rfc: 'RFC 9110',
      section: '10.1.1',
      level: 'SHOULD',
      requirement:
        'With 417 for an unknown expectation, the body that follows must still be consumed or the connection closed.',
      send: `${head('POST /e HTTP/1.1', 'Host: x', 'Content-Length: 5', 'Expect: 100-continue, foo')}@@@@@`,
      outcomes: [
        { name: '417, open', responses: [{ status: 417 }], connection: 'open' },
        { name: '417, closed', responses: [{ status: 417 }], connection: 'close' },
        {
          name: 'ignored',
          responses: [{ status: 'accepted', reflect: { body: '@@@@@' } }],
          connection: 'open',
          warn: 'ignored an unknown expectation instead of 417',
        },
      ],
    }),
  ],
}
