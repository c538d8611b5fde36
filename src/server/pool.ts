/** Counters the load tests read to prove the pool's limits hold. */
export interface PoolStats {
  readonly size: number
  readonly queueLimit: number
  readonly inFlight: number
  readonly maxInFlight: number
  readonly queued: number
  readonly rejected: number
  readonly completed: number
}

/**
 * SockHTTP's thread pool, for an event loop: at most `size` handler invocations run at once
 * across the whole server, further ones wait in a FIFO queue of at most `queueLimit`, and past
 * that `submit()` refuses at once so the caller can answer 503 without running the handler.
 */
export class HandlerPool {
  readonly size: number
  readonly queueLimit: number
  #inFlight = 0
  #maxInFlight = 0
  #rejected = 0
  #completed = 0
  readonly #waiting: Array<() => void> = []

  constructor(size: number, queueLimit: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`poolSize must be a positive integer, got ${size}`)
    if (!(queueLimit >= 0)) throw new RangeError(`queueLimit must be >= 0, got ${queueLimit}`)
    this.size = size
    this.queueLimit = queueLimit
  }

  /**
   * Runs `task` when a slot is free. Returns false, without queuing, when the queue is full.
   * `task` receives `release`, which it must call exactly once when its slot may be reused.
   */
  submit(task: (release: () => void) => void): boolean {
    if (this.#inFlight < this.size) {
      this.#start(task)
      return true
    }
    if (this.#waiting.length >= this.queueLimit) {
      this.#rejected++
      return false
    }
    this.#waiting.push(() => this.#start(task))
    return true
  }

  /**
   * Takes a slot now if one is free and nobody waits, without a task or a closure: the common
   * case, kept cheap. The caller must then call release() exactly once.
   */
  tryAcquire(): boolean {
    if (this.#inFlight >= this.size || this.#waiting.length > 0) return false
    this.#take()
    return true
  }

  /** Gives back a slot taken with tryAcquire(); the first queued task, if any, gets it. */
  release(): void {
    this.#inFlight--
    this.#completed++
    this.#waiting.shift()?.()
  }

  #take(): void {
    this.#inFlight++
    if (this.#inFlight > this.#maxInFlight) this.#maxInFlight = this.#inFlight
  }

  #start(task: (release: () => void) => void): void {
    this.#take()
    let released = false
    task(() => {
      if (released) return
      released = true
      this.release()
    })
  }

  get stats(): PoolStats {
    return {
      size: this.size,
      queueLimit: this.queueLimit,
      inFlight: this.#inFlight,
      maxInFlight: this.#maxInFlight,
      queued: this.#waiting.length,
      rejected: this.#rejected,
      completed: this.#completed,
    }
  }
}
