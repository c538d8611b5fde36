import { Target } from './target-process.ts'
import { converse, get } from './wire.ts'

const t = await Target.start({ server: { backlog: 1024 } })
const keep = await Promise.all(Array.from({ length: 40 }, () => converse(t.port)))
const s = performance.now()
const res = await Promise.all(
  Array.from({ length: 40 }, async (_, i) => {
    const c = await converse(t.port)
    c.socket.write(get('/'))
    const first = await c.waitFor(1, 5_000).catch((e) => String(e))
    return [i, typeof first === 'string' ? first : first.status, performance.now() - s]
  }),
)
console.log(res.filter((r) => (r[2] as number) > 100))
await t.stop()
