import { Deadline } from '../../src/connection/deadline.ts'
import { Response, Server } from '../../src/index.ts'
import { converse, get } from './wire.ts'

const log: string[] = []
const ids = new WeakMap<object, number>()
let next = 0
const t0 = performance.now()
for (const m of ['start', 'stop', 'ensure'] as const) {
  const orig = Deadline.prototype[m]
  Deadline.prototype[m] = function (this: Deadline) {
    if (!ids.has(this)) ids.set(this, next++)
    log.push(`${(performance.now() - t0).toFixed(1)} d${ids.get(this)} ${m} armed=${this.armed}`)
    if (log.length > 400) log.shift()
    return orig.call(this)
  }
}
const server = new Server(
  { R: { pattern: '/', method: 'GET', handler: () => new Response(200, 'ok') } },
  { timeouts: { headers: 1000, keepAlive: 1500 } },
)
const { port } = await server.start(0)
const c = await converse(port, { keep: false })
for (let i = 0; i < 2000; i++) {
  c.socket.write(get('/'))
  try {
    await c.waitFor(i + 1, 2000)
  } catch (e) {
    console.log(i, String(e), (performance.now() - t0).toFixed(1))
    console.log(log.slice(-60).join('\n'))
    break
  }
  await new Promise((r) => setTimeout(r, 2))
}
c.socket.destroy()
await server.close()
