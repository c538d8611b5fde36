/** RFC 9112 §9.5 failures and timeouts; RFC 9110 §15.5.9 408 Request Timeout. */
import type { CaseGroup } from '../types.ts'
import { pause, send, wire } from './dsl.ts'

const TIMEOUT =
  'A server may close a connection whose request head does not arrive in time; it SHOULD first send 408 (Request Timeout). Here the target is configured with a short headers timeout, and the answer (408 or a close) must come within that time plus slack.'

export const timeouts: CaseGroup = {
  title: 'RFC 9112 §9.5 Timeouts',
  cases: [
    wire({
      id: '9112-9.5/slow-head',
      section: '9.5',
      level: 'SHOULD',
      requirement: TIMEOUT,
      steps: [send('GET /slow HTTP/1.1\r\nHost: x\r\n')],
      usesHeadersTimeout: true,
      split: false,
      outcomes: [
        { name: '408 and close', responses: [{ status: 408 }], connection: 'close' },
        {
          name: 'closed without 408',
          responses: [],
          connection: 'close',
          warn: 'closed a slow connection without sending 408',
        },
      ],
    }),
    wire({
      id: '9112-9.5/slow-request-line',
      section: '9.5',
      level: 'SHOULD',
      requirement: TIMEOUT,
      steps: [send('GET /slow')],
      usesHeadersTimeout: true,
      split: false,
      outcomes: [
        { name: '408 and close', responses: [{ status: 408 }], connection: 'close' },
        {
          name: 'closed without 408',
          responses: [],
          connection: 'close',
          warn: 'closed a slow connection without sending 408',
        },
      ],
    }),
    wire({
      id: '9112-9.5/slowloris',
      section: '9.5',
      level: 'SHOULD',
      requirement: `${TIMEOUT} A client trickling one header line every 250 ms must not keep the head open past the timeout.`,
      steps: [
        send('GET /slow HTTP/1.1\r\nHost: x\r\n'),
        ...Array.from({ length: 24 }, (_, i) => [pause(250), send(`X-${i}: v\r\n`)]).flat(),
      ],
      usesHeadersTimeout: true,
      split: false,
      outcomes: [
        { name: '408 and close', responses: [{ status: 408 }], connection: 'close' },
        {
          name: 'closed without 408',
          responses: [],
          connection: 'close',
          warn: 'closed a slow connection without sending 408',
        },
      ],
    }),
  ],
}
