import { runSlowloris, SLOWLORIS_SMALL } from './slowloris.ts'
const r = await runSlowloris({ ...SLOWLORIS_SMALL })
console.log(JSON.stringify(r, null, 1))
