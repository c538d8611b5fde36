import { ADAPTERS } from './adapters.ts'
import { FIXTURES } from './fixtures.ts'

for (let round = 0; round < 3; round++) {
  for (const fx of Object.values(FIXTURES)) {
    const line: string[] = []
    const rates: Record<string, number> = {}
    for (const ad of Object.values(ADAPTERS)) {
      const s = ad.session()
      const t0 = performance.now()
      let n = 0
      while (performance.now() - t0 < 300) {
        for (let i = 0; i < 1000; i++) s.feed(fx.bytes)
        n += 1000
      }
      const dt = performance.now() - t0
      rates[ad.id] = n / dt
    }
    for (const [id, r] of Object.entries(rates))
      line.push(`${id} ${(r).toFixed(0)}k/s x${(r / rates.llhttp!).toFixed(2)}`)
    console.log(fx.id, line.join(' | '))
  }
}
