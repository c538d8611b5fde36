/**
 * One queue per key: tasks for the same key run one after another, tasks for different keys run
 * side by side. A handler that reads a stock, awaits something, then writes it would otherwise
 * interleave with every other handler touching that stock (the lost update the original had).
 */

export interface Lock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>
}

export class KeyedLock implements Lock {
  /** The tail of each key's queue; removed once the queue drains so the map does not grow forever. */
  readonly #tails = new Map<string, Promise<void>>()

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve()
    // A failing task must not wedge the queue, so the next one waits on a promise that never rejects.
    const result = previous.then(task)
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.#tails.set(key, tail)
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
    return result
  }

  /** Keys with work queued or running (for tests and stats). */
  get activeKeys(): number {
    return this.#tails.size
  }
}

/** No locking at all: kept only so a test can show the race the lock prevents. */
export const NO_LOCK: Lock = {
  run: (_key, task) => task(),
}
