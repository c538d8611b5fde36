import { explain } from './check.ts'
import { CAP_SMALL, runConnectionCap } from './connection-cap.ts'

const r = await runConnectionCap(CAP_SMALL)
console.log(r.ok, r.durationMs, explain(r), JSON.stringify(r.figures))
const b = await runConnectionCap({ ...CAP_SMALL, brokenMaxConnections: null })
console.log(b.ok, b.durationMs, explain(b))
