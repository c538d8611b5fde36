import { Target } from './target-process.ts'
import { converse, get } from './wire.ts'

for (let k = 0; k < 5; k++) {
  const t = await Target.start({
    server: { backlog: 1024, poolSize: 64, timeouts: { headers: 25000, request: 2000, keepAlive: 1500 } },
  })
  await t.resetPeak()
  const c = await converse(t.port, { keep: false })
  const before = await t.snapshot()
  for (let i = 0; i < 800; i++) {
    c.socket.write(get('/'))
    try {
      await c.waitFor(i + 1, 2000)
    } catch (e) {
      const snap = await t.snapshot()
      console.log(
        k,
        i,
        String(e),
        c.reader.error,
        c.reader.count,
        c.reader.bytesReceived,
        c.reader.midResponse,
        snap.stats.requests - before.stats.requests,
        snap.handlerRuns - before.handlerRuns,
        snap.stats.connections,
        JSON.stringify(snap.stats.pool),
      )
      break
    }
    if (i >= 500) await new Promise((r) => setTimeout(r, 3))
  }
  c.socket.destroy()
  await t.stop()
}
