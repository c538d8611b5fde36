/** RFC 9110 §9 methods (HEAD, OPTIONS, CONNECT), §15.5.6 405 + Allow, §15.6.2 501, §7.8 Upgrade. */
import type { CaseGroup, Outcome } from '../types.ts'
import { accept, get, head, reject, wire } from './dsl.ts'

const HEAD_RULE =
  'The server MUST NOT send content in a response to HEAD; the response is otherwise the one GET would get (its Content-Length, if sent, is the GET body length).'
const ALLOW_405 =
  'An origin server MUST send an Allow field listing the supported methods with a 405 (Method Not Allowed).'
const UNKNOWN_501 =
  'An origin server that receives a method it does not recognise or implement SHOULD answer 501 (Not Implemented); 405 is right when the method is known but not allowed on this resource.'
const UPGRADE =
  'A server MAY ignore an Upgrade it does not support and answer as usual; it switches only with 101 and an Upgrade field. A server MUST ignore Upgrade in an HTTP/1.0 request.'

/** Refusing the whole request over an Upgrade it could ignore breaks clients that try h2c and fall back. */
const refusedUpgrade: Outcome = {
  name: 'refused because of the Upgrade',
  responses: [{ status: [400, 426, 501] }],
  connection: 'any',
  warn: 'refused a valid request because of an Upgrade it could have ignored',
}

export const methods: CaseGroup = {
  title: 'RFC 9110 §9 Methods, 405/501, CONNECT and Upgrade',
  cases: [
    wire({
      id: '9110-9.3.2/head-no-body',
      rfc: 'RFC 9110',
      section: '9.3.2',
      level: 'MUST',
      requirement: HEAD_RULE,
      send: head('HEAD /h HTTP/1.1', 'Host: x'),
      methods: ['HEAD'],
      outcomes: [{ name: 'no content', responses: [{ status: 200, bodyEmpty: true }], connection: 'open' }],
    }),
    wire({
      id: '9110-9.3.2/head-then-get',
      rfc: 'RFC 9110',
      section: '9.3.2',
      level: 'MUST',
      requirement: `${HEAD_RULE} Pipelined after a HEAD, the next response must start right after the HEAD response's head (no stray body bytes).`,
      send: head('HEAD /h HTTP/1.1', 'Host: x') + get('/after-head'),
      methods: ['HEAD', 'GET'],
      outcomes: [
        {
          name: 'HEAD then GET',
          responses: [
            { status: 200, bodyEmpty: true },
            { status: 'accepted', reflect: { method: 'GET', target: '/after-head' } },
          ],
          connection: 'open',
        },
      ],
    }),
    wire({
      id: '9110-9.3.2/head-hello-length',
      rfc: 'RFC 9110',
      section: '9.3.2',
      level: 'SHOULD',
      requirement: `${HEAD_RULE} The hello app answers GET / with "Hello World", so HEAD / may announce Content-Length: 11 but sends no bytes.`,
      send: head('HEAD / HTTP/1.1', 'Host: x'),
      methods: ['HEAD'],
      app: 'hello',
      outcomes: [
        {
          name: 'no content, GET length',
          responses: [{ status: 200, bodyEmpty: true, headers: { 'content-length': '11' } }],
          connection: 'open',
        },
        {
          name: 'no content, no length',
          responses: [{ status: 200, bodyEmpty: true, headers: { 'content-length': null } }],
          connection: 'open',
        },
      ],
    }),
    wire({
      id: '9110-15.5.6/405-allow',
      rfc: 'RFC 9110',
      section: '15.5.6',
      level: 'MUST',
      requirement: ALLOW_405,
      send: head('DELETE / HTTP/1.1', 'Host: x'),
      app: 'hello',
      outcomes: [
        {
          name: '405 with Allow',
          responses: [{ status: 405, headers: { allow: /\bGET\b/ } }],
          connection: 'open',
        },
      ],
    }),
    wire({
      id: '9110-15.5.6/405-allow-post-body',
      rfc: 'RFC 9110',
      section: '15.5.6',
      level: 'MUST',
      requirement: `${ALLOW_405} The request body is still consumed, so the connection stays usable.`,
      send: `${head('POST / HTTP/1.1', 'Host: x', 'Content-Length: 5')}@@@@@`,
      app: 'hello',
      outcomes: [
        {
          name: '405 with Allow',
          responses: [{ status: 405, headers: { allow: /\bGET\b/ } }],
          connection: 'open',
        },
        {
          name: '405 with Allow, closed',
          responses: [{ status: 405, headers: { allow: /\bGET\b/ } }],
          connection: 'close',
        },
      ],
    }),
    wire({
      id: '9110-15.6.2/501-unknown-method',
      rfc: 'RFC 9110',
      section: '15.6.2',
      level: 'SHOULD',
      requirement: UNKNOWN_501,
      send: head('BREW / HTTP/1.1', 'Host: x'),
      app: 'hello',
      outcomes: [
        { name: '501', responses: [{ status: 501 }], connection: 'any' },
        {
          name: '405 with Allow',
          responses: [{ status: 405, headers: { allow: /\bGET\b/ } }],
          connection: 'any',
        },
      ],
    }),
    wire({
      id: '9110-15.6.2/501-lowercase-get',
      rfc: 'RFC 9110',
      section: '15.6.2',
      level: 'SHOULD',
      requirement: `${UNKNOWN_501} Methods are case-sensitive, so "get" is not GET.`,
      send: head('get / HTTP/1.1', 'Host: x'),
      app: 'hello',
      outcomes: [
        { name: '501', responses: [{ status: 501 }], connection: 'any' },
        {
          name: '405 with Allow',
          responses: [{ status: 405, headers: { allow: /\bGET\b/ } }],
          connection: 'any',
        },
        reject(400),
      ],
    }),
    wire({
      id: '9110-15.5.5/404-unknown-path',
      rfc: 'RFC 9110',
      section: '15.5.5',
      level: 'MUST',
      requirement: 'A path with no resource behind it gets 404, and the connection stays usable.',
      send: get('/no/such/path'),
      app: 'hello',
      outcomes: [{ name: '404', responses: [{ status: 404 }], connection: 'open' }],
    }),
    wire({
      id: '9110-9.3.7/options-path',
      rfc: 'RFC 9110',
      section: '9.3.7',
      level: 'MUST',
      requirement: 'OPTIONS on a resource is answered with a 2xx (an Allow field is recommended).',
      send: head('OPTIONS / HTTP/1.1', 'Host: x'),
      app: 'hello',
      outcomes: [
        {
          name: '2xx with Allow',
          responses: [{ status: [200, 204], headers: { allow: /\bGET\b/ } }],
          connection: 'open',
        },
        {
          name: '2xx without Allow',
          responses: [{ status: [200, 204] }],
          connection: 'open',
          warn: 'no Allow field in the OPTIONS response',
        },
      ],
    }),
    wire({
      id: '9110-9.3.7/options-asterisk-hello',
      rfc: 'RFC 9110',
      section: '9.3.7',
      level: 'MUST',
      requirement: 'OPTIONS * asks about the server in general and gets a 2xx.',
      send: head('OPTIONS * HTTP/1.1', 'Host: x'),
      app: 'hello',
      outcomes: [{ name: '2xx', responses: [{ status: [200, 204] }], connection: 'open' }],
    }),
    wire({
      id: '9110-9.3.7/options-content-length-0',
      rfc: 'RFC 9110',
      section: '9.3.7',
      level: 'MUST',
      requirement: 'An OPTIONS request with Content-Length: 0 is an ordinary request with an empty body.',
      send: head('OPTIONS /o HTTP/1.1', 'Host: x', 'Content-Length: 0'),
      outcomes: [accept({ method: 'OPTIONS', body: '' })],
    }),
    wire({
      id: '9110-9.3.6/connect',
      rfc: 'RFC 9110',
      section: '9.3.6',
      level: 'MUST',
      requirement:
        'CONNECT asks for a tunnel. An origin server that does not tunnel refuses it with an error status; one that does answers 2xx and MUST NOT send Content-Length or Transfer-Encoding in that 2xx.',
      send: head('CONNECT a.example:443 HTTP/1.1', 'Host: a.example:443'),
      methods: ['CONNECT'],
      outcomes: [
        {
          name: 'tunnel established',
          responses: [
            {
              status: [200, 201, 202, 203, 204],
              headers: { 'content-length': null, 'transfer-encoding': null },
            },
          ],
          connection: 'any',
        },
        { name: 'refused', responses: [{ status: [400, 403, 404, 405, 501, 502] }], connection: 'any' },
        {
          name: 'closed without a response',
          responses: [],
          connection: 'close',
          warn: 'closed without answering CONNECT',
        },
      ],
    }),
    wire({
      id: '9110-9.3.6/connect-no-host',
      rfc: 'RFC 9110',
      section: '9.3.6',
      level: 'MUST',
      requirement:
        'An HTTP/1.1 CONNECT without Host lacks the required Host field and gets 400 (RFC 9112 §3.2).',
      send: head('CONNECT a.example:443 HTTP/1.1'),
      methods: ['CONNECT'],
      outcomes: [reject(400)],
    }),
    wire({
      id: '9110-9.3.6/connect-bad-authority',
      rfc: 'RFC 9110',
      section: '9.3.6',
      level: 'SHOULD',
      requirement: 'A CONNECT target must be host:port; one without a port is invalid and SHOULD get 400.',
      send: head('CONNECT a.example HTTP/1.1', 'Host: a.example'),
      methods: ['CONNECT'],
      outcomes: [reject([400, 405, 501])],
    }),
    wire({
      id: '9110-7.8/upgrade-unsupported',
      rfc: 'RFC 9110',
      section: '7.8',
      level: 'MUST',
      requirement: UPGRADE,
      send: head('GET /u HTTP/1.1', 'Host: x', 'Upgrade: foo/1', 'Connection: upgrade'),
      outcomes: [
        accept({ target: '/u' }, 'upgrade ignored'),
        { name: 'switched', responses: [{ status: 101, headers: { upgrade: /foo/i } }], connection: 'any' },
        refusedUpgrade,
      ],
    }),
    wire({
      id: '9110-7.8/upgrade-h2c',
      rfc: 'RFC 9110',
      section: '7.8',
      level: 'MUST',
      requirement: UPGRADE,
      send: head(
        'GET /u HTTP/1.1',
        'Host: x',
        'Upgrade: h2c',
        'Connection: Upgrade, HTTP2-Settings',
        'HTTP2-Settings: AAMAAABkAAQAAP__',
      ),
      outcomes: [
        accept({ target: '/u' }, 'upgrade ignored'),
        { name: 'switched', responses: [{ status: 101, headers: { upgrade: /h2c/i } }], connection: 'any' },
        refusedUpgrade,
      ],
    }),
    wire({
      id: '9110-7.8/upgrade-without-connection-option',
      rfc: 'RFC 9110',
      section: '7.8',
      level: 'MUST',
      requirement: `${UPGRADE} An Upgrade not listed in Connection is not a hop-by-hop request to switch and is ignored.`,
      send: head('GET /u HTTP/1.1', 'Host: x', 'Upgrade: foo/1'),
      outcomes: [
        accept({ target: '/u' }, 'upgrade ignored'),
        { name: 'refused', responses: [{ status: 400 }], connection: 'any' },
      ],
    }),
    wire({
      id: '9110-7.8/upgrade-http10-ignored',
      rfc: 'RFC 9110',
      section: '7.8',
      level: 'MUST',
      requirement: UPGRADE,
      send: head('GET /u HTTP/1.0', 'Host: x', 'Upgrade: foo/1', 'Connection: upgrade'),
      outcomes: [{ ...accept({ target: '/u', version: '1.0' }, 'upgrade ignored'), connection: 'any' }],
    }),
    wire({
      id: '9110-7.8/upgrade-then-pipelined',
      rfc: 'RFC 9110',
      section: '7.8',
      level: 'MUST',
      requirement: `${UPGRADE} If the upgrade is ignored, a request pipelined behind it is answered as HTTP/1.1.`,
      send: head('GET /u HTTP/1.1', 'Host: x', 'Upgrade: foo/1', 'Connection: upgrade') + get('/after'),
      outcomes: [
        {
          name: 'both answered',
          responses: [
            { status: 'accepted', reflect: { target: '/u' } },
            { status: 'accepted', reflect: { target: '/after' } },
          ],
          connection: 'open',
        },
        { name: 'switched', responses: [{ status: 101 }], connection: 'any' },
        refusedUpgrade,
      ],
    }),
  ],
}
