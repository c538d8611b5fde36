/** What the server sends back: RFC 9110 §6.6.1 Date, §2.5 response version, §8.6 Content-Length on 204; RFC 9112 §6.1. */
import type { CaseGroup } from '../types.ts'
import { get, head, wire } from './dsl.ts'

/** RFC 9110 §5.6.7 IMF-fixdate, the form a sender generates. */
const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/
const DATE =
  'An origin server with a clock MUST send a Date field (in IMF-fixdate form) in every 2xx, 3xx and 4xx response.'

export const responses: CaseGroup = {
  title: 'RFC 9110 §6 / §8 Responses',
  cases: [
    wire({
      id: '9110-6.6.1/date-on-200',
      rfc: 'RFC 9110',
      section: '6.6.1',
      level: 'MUST',
      requirement: DATE,
      send: get('/date'),
      outcomes: [
        {
          name: 'Date present',
          responses: [{ status: 'accepted', headers: { date: IMF_FIXDATE } }],
          connection: 'any',
        },
      ],
    }),
    wire({
      id: '9110-6.6.1/date-on-404',
      rfc: 'RFC 9110',
      section: '6.6.1',
      level: 'MUST',
      requirement: DATE,
      send: get('/no/such/path'),
      app: 'hello',
      outcomes: [
        {
          name: 'Date present',
          responses: [{ status: 404, headers: { date: IMF_FIXDATE } }],
          connection: 'any',
        },
      ],
    }),
    wire({
      id: '9110-6.6.1/date-on-400',
      rfc: 'RFC 9110',
      section: '6.6.1',
      level: 'MUST',
      requirement: `${DATE} That includes the 400 sent for a request the parser rejected.`,
      send: get('/', ['Bad Name: v']),
      outcomes: [
        {
          name: 'Date present',
          responses: [{ status: 400, headers: { date: IMF_FIXDATE } }],
          connection: 'any',
        },
        {
          name: 'closed without a response',
          responses: [],
          connection: 'close',
          warn: 'closed without sending an error status',
        },
      ],
    }),
    wire({
      id: '9110-2.5/response-version',
      rfc: 'RFC 9110',
      section: '2.5',
      level: 'SHOULD',
      requirement:
        'A server SHOULD answer with the highest HTTP version it conforms to whose major number is not above the request’s: HTTP/1.1 here, also for an HTTP/1.0 request.',
      send: 'GET /v HTTP/1.0\r\n\r\n',
      outcomes: [
        {
          name: 'HTTP/1.1 status line, no chunked to a 1.0 client',
          responses: [{ status: 'accepted', version: 'HTTP/1.1', headers: { 'transfer-encoding': null } }],
          connection: 'any',
        },
      ],
    }),
    wire({
      id: '9112-6.1/no-chunked-to-http10',
      section: '6.1',
      level: 'MUST',
      requirement:
        'A server MUST NOT send Transfer-Encoding in a response to an HTTP/1.0 request (1.0 clients cannot decode chunked).',
      send: 'POST /e HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc',
      outcomes: [
        {
          name: 'no Transfer-Encoding',
          responses: [{ status: 'accepted', headers: { 'transfer-encoding': null } }],
          connection: 'any',
        },
      ],
    }),
    wire({
      id: '9110-8.6/no-content-length-on-204',
      rfc: 'RFC 9110',
      section: '8.6',
      level: 'MUST',
      requirement: 'A server MUST NOT send Content-Length in a 204 (No Content) response (nor in any 1xx).',
      send: head('OPTIONS * HTTP/1.1', 'Host: x'),
      app: 'hello',
      outcomes: [
        {
          name: '204 without Content-Length',
          responses: [{ status: 204, headers: { 'content-length': null, 'transfer-encoding': null } }],
          connection: 'open',
        },
        { name: '200', responses: [{ status: 200 }], connection: 'open' },
      ],
    }),
    wire({
      id: '9110-8.6/content-length-matches-body',
      rfc: 'RFC 9110',
      section: '8.6',
      level: 'MUST',
      requirement:
        'A response Content-Length is exactly the length of the content that follows, so the next response on the connection starts right after it.',
      send: get('/a') + get('/b'),
      outcomes: [
        {
          name: 'both framed exactly',
          responses: [
            { status: 'accepted', headers: { 'content-length': /^\d+$/ }, reflect: { target: '/a' } },
            { status: 'accepted', headers: { 'content-length': /^\d+$/ }, reflect: { target: '/b' } },
          ],
          connection: 'open',
        },
      ],
    }),
    wire({
      id: '9110-15.5.6/405-date-and-length',
      rfc: 'RFC 9110',
      section: '15.5.6',
      level: 'MUST',
      requirement: `${DATE} A 405 is a 4xx like any other, framed so the connection can continue.`,
      send: head('PUT / HTTP/1.1', 'Host: x', 'Content-Length: 0'),
      app: 'hello',
      outcomes: [
        {
          name: 'Date present',
          responses: [{ status: 405, headers: { date: IMF_FIXDATE, allow: /GET/ } }],
          connection: 'open',
        },
      ],
    }),
  ],
}
