import { describe, expect, it } from 'vitest'
import { KeyedLock, type Lock, NO_LOCK } from './keyed-lock.ts'

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Runs `count` read-await-write increments on one key and returns the final value. */
async function racedCounter(lock: Lock, count: number): Promise<number> {
  let value = 0
  await Promise.all(
    Array.from({ length: count }, () =>
      lock.run('k', async () => {
        const seen = value
        await tick()
        value = seen + 1
      }),
    ),
  )
  return value
}

describe('KeyedLock', () => {
  it('serialises tasks on the same key so no update is lost', async () => {
    expect(await racedCounter(new KeyedLock(), 200)).toBe(200)
  })

  it('is what prevents the lost update (the same workload without it loses updates)', async () => {
    expect(await racedCounter(NO_LOCK, 200)).toBeLessThan(200)
  })

  it('runs tasks on the same key in arrival order', async () => {
    const lock = new KeyedLock()
    const order: number[] = []
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        lock.run('k', async () => {
          if (i % 2 === 0) await tick()
          order.push(i)
        }),
      ),
    )
    expect(order).toEqual([0, 1, 2, 3, 4])
  })

  it('lets different keys proceed side by side', async () => {
    const lock = new KeyedLock()
    let releaseA: () => void = () => {}
    const a = lock.run('a', () => new Promise<string>((resolve) => (releaseA = () => resolve('a'))))
    // 'b' finishes while 'a' is still held.
    expect(await lock.run('b', async () => 'b')).toBe('b')
    releaseA()
    expect(await a).toBe('a')
  })

  it('keeps going after a task fails and passes the failure to its caller', async () => {
    const lock = new KeyedLock()
    const failed = lock.run('k', async () => {
      throw new Error('boom')
    })
    const next = lock.run('k', async () => 'after')
    await expect(failed).rejects.toThrow('boom')
    expect(await next).toBe('after')
  })

  it('forgets keys once their queue drains', async () => {
    const lock = new KeyedLock()
    await Promise.all([lock.run('a', async () => 1), lock.run('b', async () => 2)])
    await tick()
    expect(lock.activeKeys).toBe(0)
  })
})
