import { Target } from './target-process.ts'
import { converse, get } from './wire.ts'
const t = await Target.start({ server: { backlog: 1024 } })
const c = await converse(t.port)
c.socket.write(get('/'))
let s = performance.now()
const first = await c.waitFor(1, 5_000).catch(() => null)
console.log('first', first?.status, performance.now() - s)
await t.stop()
