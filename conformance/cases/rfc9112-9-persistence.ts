/** RFC 9112 §9.3 persistence, §9.3.2 pipelining, §9.6 tear-down; RFC 9110 §9.3.1 GET with content. */
import type { CaseGroup, ResponseExpect } from '../types.ts'
import { awaitResponse, get, head, pause, send, shutdown, wire } from './dsl.ts'

const PERSIST =
  'HTTP/1.1 connections persist by default: after a response the server keeps reading the next request.'
const CLOSE =
  'A server that receives the "close" connection option MUST close the connection after the final response to that request and MUST NOT process later requests on it; it SHOULD say "Connection: close" in that response.'
const HTTP10 =
  'An HTTP/1.0 request without "keep-alive" ends the connection after its response: the server closes (a 1.0 client may read the body until close).'
const PIPELINE =
  'A server MUST answer pipelined requests in the order received; it may process them in parallel only if it keeps that order.'

const reflected = (target: string, extra: Partial<ResponseExpect> = {}): ResponseExpect => ({
  status: 'accepted',
  reflect: { target },
  ...extra,
})

export const persistence: CaseGroup = {
  title: 'RFC 9112 §9 Persistence and pipelining',
  cases: [
    wire({
      id: '9112-9.3/http11-persists',
      section: '9.3',
      level: 'SHOULD',
      requirement: PERSIST,
      send: get('/p'),
      outcomes: [
        { name: 'kept open', responses: [reflected('/p')], connection: 'open' },
        {
          name: 'closed with notice',
          responses: [reflected('/p', { headers: { connection: /close/i } })],
          connection: 'close',
          warn: 'closed a persistent connection after one request',
        },
      ],
    }),
    wire({
      id: '9112-9.3/sequential-requests',
      section: '9.3',
      level: 'MUST',
      requirement: `${PERSIST} Here three requests are sent one after the other, each after the previous response.`,
      steps: [send(get('/1')), awaitResponse(1), send(get('/2')), awaitResponse(2), send(get('/3'))],
      outcomes: [
        {
          name: 'all answered',
          responses: [reflected('/1'), reflected('/2'), reflected('/3')],
          connection: 'open',
        },
      ],
    }),
    wire({
      id: '9112-9.3/idle-then-request',
      section: '9.3',
      level: 'SHOULD',
      requirement: `${PERSIST} A short idle pause (300 ms) does not end the connection.`,
      steps: [send(get('/1')), awaitResponse(1), pause(300), send(get('/2'))],
      outcomes: [
        { name: 'both answered', responses: [reflected('/1'), reflected('/2')], connection: 'open' },
      ],
    }),
    wire({
      id: '9112-9.6/connection-close',
      section: '9.6',
      level: 'MUST',
      requirement: CLOSE,
      send: get('/c', ['Connection: close']),
      outcomes: [
        {
          name: 'closed with notice',
          responses: [reflected('/c', { headers: { connection: /\bclose\b/i } })],
          connection: 'close',
        },
        {
          name: 'closed without notice',
          responses: [reflected('/c')],
          connection: 'close',
          warn: 'no "Connection: close" in the final response',
        },
      ],
    }),
    wire({
      id: '9112-9.6/connection-close-then-data',
      section: '9.6',
      level: 'MUST',
      requirement: CLOSE,
      send: get('/c', ['Connection: close']) + get('/ignored'),
      outcomes: [
        {
          name: 'only the first answered',
          responses: [reflected('/c', { headers: { connection: /\bclose\b/i } })],
          connection: 'close',
        },
        {
          name: 'only the first, no notice',
          responses: [reflected('/c')],
          connection: 'close',
          warn: 'no "Connection: close" in the final response',
        },
      ],
    }),
    wire({
      id: '9112-9.6/connection-close-uppercase',
      section: '9.6',
      level: 'MUST',
      requirement: `${CLOSE} Connection options are case-insensitive.`,
      send: get('/c', ['Connection: CLOSE']),
      outcomes: [
        {
          name: 'closed with notice',
          responses: [reflected('/c', { headers: { connection: /\bclose\b/i } })],
          connection: 'close',
        },
        {
          name: 'closed without notice',
          responses: [reflected('/c')],
          connection: 'close',
          warn: 'no "Connection: close" in the final response',
        },
      ],
    }),
    wire({
      id: '9112-9.6/connection-close-in-list',
      section: '9.6',
      level: 'MUST',
      requirement: `${CLOSE} "close" counts wherever it appears in the list.`,
      send: get('/c', ['Connection: keep-alive, foo, close']),
      outcomes: [
        {
          name: 'closed with notice',
          responses: [reflected('/c', { headers: { connection: /\bclose\b/i } })],
          connection: 'close',
        },
        {
          name: 'closed without notice',
          responses: [reflected('/c')],
          connection: 'close',
          warn: 'no "Connection: close" in the final response',
        },
      ],
    }),
    wire({
      id: '9112-9.6/connection-close-second-line',
      section: '9.6',
      level: 'MUST',
      requirement: `${CLOSE} Two Connection lines combine into one list.`,
      send: get('/c', ['Connection: keep-alive', 'Connection: close']),
      outcomes: [
        {
          name: 'closed with notice',
          responses: [reflected('/c', { headers: { connection: /\bclose\b/i } })],
          connection: 'close',
        },
        {
          name: 'closed without notice',
          responses: [reflected('/c')],
          connection: 'close',
          warn: 'no "Connection: close" in the final response',
        },
      ],
    }),
    wire({
      id: '9112-9.6/connection-close-post-body',
      section: '9.6',
      level: 'MUST',
      requirement: `${CLOSE} The body of that request is still read in full.`,
      send: `${head('POST /c HTTP/1.1', 'Host: x', 'Content-Length: 5', 'Connection: close')}hello`,
      outcomes: [
        {
          name: 'answered and closed',
          responses: [{ status: 'accepted', reflect: { body: 'hello' } }],
          connection: 'close',
        },
      ],
    }),
    wire({
      id: '9112-9.3/http10-closes',
      section: '9.3',
      level: 'MUST',
      requirement: HTTP10,
      send: 'GET /old HTTP/1.0\r\n\r\n',
      outcomes: [
        {
          name: 'closed',
          responses: [{ status: 'accepted', reflect: { version: '1.0' } }],
          connection: 'close',
        },
      ],
    }),
    wire({
      id: '9112-9.3/http10-close-then-data',
      section: '9.3',
      level: 'MUST',
      requirement: `${HTTP10} A request sent after it on the same connection is not processed.`,
      send: 'GET /old HTTP/1.0\r\n\r\nGET /ignored HTTP/1.0\r\n\r\n',
      outcomes: [
        {
          name: 'only the first answered',
          responses: [{ status: 'accepted', reflect: { target: '/old' } }],
          connection: 'close',
        },
      ],
    }),
    wire({
      id: '9112-9.3/http10-keep-alive',
      section: '9.3',
      level: 'SHOULD',
      requirement:
        'An HTTP/1.0 request with "Connection: keep-alive" may persist; if the server keeps the connection, its response must say "Connection: keep-alive" so the 1.0 client knows.',
      send: 'GET /ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
      outcomes: [
        {
          name: 'kept open, announced',
          responses: [{ status: 'accepted', headers: { connection: /keep-alive/i } }],
          connection: 'open',
        },
        { name: 'closed', responses: [{ status: 'accepted' }], connection: 'close' },
        {
          name: 'kept open silently',
          responses: [{ status: 'accepted' }],
          connection: 'open',
          warn: 'persisted a 1.0 connection without announcing keep-alive',
        },
      ],
    }),
    wire({
      id: '9112-9.3.2/pipeline-3',
      section: '9.3.2',
      level: 'MUST',
      requirement: PIPELINE,
      send: get('/1') + get('/2') + get('/3'),
      outcomes: [
        {
          name: 'in order',
          responses: [reflected('/1'), reflected('/2'), reflected('/3')],
          connection: 'open',
        },
      ],
    }),
    wire({
      id: '9112-9.3.2/pipeline-10',
      section: '9.3.2',
      level: 'MUST',
      requirement: PIPELINE,
      send: Array.from({ length: 10 }, (_, i) => get(`/${i}`)).join(''),
      outcomes: [
        {
          name: 'in order',
          responses: Array.from({ length: 10 }, (_, i) => reflected(`/${i}`)),
          connection: 'open',
        },
      ],
    }),
    wire({
      id: '9112-9.3.2/pipeline-bodies',
      section: '9.3.2',
      level: 'MUST',
      requirement: `${PIPELINE} Requests with Content-Length and chunked bodies, pipelined, keep their bodies apart.`,
      send:
        `${head('POST /a HTTP/1.1', 'Host: x', 'Content-Length: 3')}one` +
        `${head('POST /b HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked')}3\r\ntwo\r\n0\r\n\r\n` +
        get('/c'),
      outcomes: [
        {
          name: 'in order',
          responses: [
            { status: 'accepted', reflect: { target: '/a', body: 'one' } },
            { status: 'accepted', reflect: { target: '/b', body: 'two' } },
            reflected('/c'),
          ],
          connection: 'open',
        },
      ],
    }),
    wire({
      id: '9112-9.3.2/pipeline-then-close',
      section: '9.3.2',
      level: 'MUST',
      requirement: `${PIPELINE} ${CLOSE}`,
      send: get('/1') + get('/2', ['Connection: close']) + get('/3'),
      outcomes: [
        { name: 'two answered, closed', responses: [reflected('/1'), reflected('/2')], connection: 'close' },
      ],
    }),
    wire({
      id: '9112-9.3.2/invalid-after-valid',
      section: '9.3.2',
      level: 'MUST',
      requirement: `${PIPELINE} An invalid request after valid ones does not lose their responses: they come first, then the error, then the close.`,
      send: `${get('/1')}${get('/2')}GET /bad\x01 HTTP/1.1\r\nHost: x\r\n\r\n`,
      outcomes: [
        {
          name: 'valid answered, then 400',
          responses: [reflected('/1'), reflected('/2'), { status: 400 }],
          connection: 'close',
        },
        {
          name: 'valid answered, then closed',
          responses: [reflected('/1'), reflected('/2')],
          connection: 'close',
          warn: 'closed without an error status for the invalid request',
        },
      ],
    }),
    wire({
      id: '9112-9.3.2/invalid-framing-after-valid',
      section: '9.3.2',
      level: 'MUST',
      requirement: `${PIPELINE} A request with conflicting Content-Length after a valid one: the valid one is answered, then 400 and close.`,
      send: `${get('/1')}${head('POST /2 HTTP/1.1', 'Host: x', 'Content-Length: 1', 'Content-Length: 2')}ab`,
      outcomes: [
        {
          name: 'valid answered, then 400',
          responses: [reflected('/1'), { status: 400 }],
          connection: 'close',
        },
        {
          name: 'valid answered, then closed',
          responses: [reflected('/1')],
          connection: 'close',
          warn: 'closed without an error status for the invalid request',
        },
      ],
    }),
    wire({
      id: '9112-6.3/cl0-leftover-request',
      section: '6.3',
      level: 'MUST',
      requirement: 'After a Content-Length: 0 request, the following bytes are the next request.',
      send: head('POST /z HTTP/1.1', 'Host: x', 'Content-Length: 0') + get('/next'),
      outcomes: [
        {
          name: 'both answered',
          responses: [{ status: 'accepted', reflect: { target: '/z', body: '' } }, reflected('/next')],
          connection: 'open',
        },
      ],
    }),
    wire({
      id: '9112-6.3/cl0-leftover-garbage',
      section: '6.3',
      level: 'MUST',
      requirement:
        'After a Content-Length: 0 request, leftover bytes that are not a request are rejected as the next request (400 and close).',
      send: `${head('POST /z HTTP/1.1', 'Host: x', 'Content-Length: 0')}@@@@@\r\n\r\n`,
      outcomes: [
        {
          name: 'answered, then 400',
          responses: [{ status: 'accepted', reflect: { body: '' } }, { status: 400 }],
          connection: 'close',
        },
        {
          name: 'answered, then closed',
          responses: [{ status: 'accepted', reflect: { body: '' } }],
          connection: 'close',
          warn: 'closed without an error status for the garbage',
        },
      ],
    }),
    wire({
      id: '9110-9.3.1/get-with-body',
      rfc: 'RFC 9110',
      section: '9.3.1',
      level: 'MUST',
      requirement:
        'A GET with content has no defined semantics, but its framing still applies: the body is read (or the request rejected), never taken as the next request.',
      send: `${head('GET /g HTTP/1.1', 'Host: x', 'Content-Length: 5')}@@@@@${get('/next')}`,
      outcomes: [
        {
          name: 'body read, next answered',
          responses: [{ status: 'accepted', reflect: { target: '/g', body: '@@@@@' } }, reflected('/next')],
          connection: 'open',
        },
        {
          name: 'body read and ignored, next answered',
          responses: [{ status: 'accepted', reflect: { target: '/g', body: '' } }, reflected('/next')],
          connection: 'open',
        },
        { name: 'rejected', responses: [{ status: 400 }], connection: 'close' },
      ],
    }),
    wire({
      id: '9110-9.3.2/head-with-body',
      rfc: 'RFC 9110',
      section: '9.3.2',
      level: 'MUST',
      requirement:
        'A HEAD with content is framed like any request: the content is read (or rejected), never taken as the next request.',
      send: `${head('HEAD /h HTTP/1.1', 'Host: x', 'Content-Length: 5')}@@@@@${get('/next')}`,
      methods: ['HEAD', 'GET'],
      outcomes: [
        {
          name: 'body read, next answered',
          responses: [{ status: 'accepted', bodyEmpty: true }, reflected('/next')],
          connection: 'open',
        },
        { name: 'rejected', responses: [{ status: 400 }], connection: 'close' },
      ],
    }),
    wire({
      id: '9112-8/eof-mid-head',
      section: '8',
      level: 'MUST',
      requirement:
        'A head cut off by the end of the stream is an incomplete message: the server must not process it as a request (it may answer 400 or just close).',
      steps: [send('GET /cut HTTP/1.1\r\nHost: x\r\n'), shutdown],
      outcomes: [
        { name: 'rejected with 400', responses: [{ status: 400 }], connection: 'close' },
        { name: 'closed', responses: [], connection: 'close' },
      ],
    }),
    wire({
      id: '9112-9.6/half-close-after-request',
      section: '9.6',
      level: 'SHOULD',
      requirement:
        'A client may half-close after sending a complete request; the server SHOULD still send the response before closing.',
      steps: [send(get('/half')), shutdown],
      outcomes: [
        { name: 'answered, then closed', responses: [reflected('/half')], connection: 'close' },
        { name: 'answered, connection left half-open', responses: [reflected('/half')], connection: 'any' },
        {
          name: 'closed without a response',
          responses: [],
          connection: 'close',
          warn: 'dropped a complete request because the client half-closed',
        },
      ],
    }),
    wire({
      id: '9112-9.3/keep-alive-after-error-status-404',
      section: '9.3',
      level: 'SHOULD',
      requirement:
        'An application-level error (404) is a normal response and does not end a persistent connection.',
      app: 'hello',
      steps: [send(get('/missing')), awaitResponse(1), send(get('/'))],
      outcomes: [
        { name: 'both answered', responses: [{ status: 404 }, { status: 200 }], connection: 'open' },
      ],
    }),
  ],
}
