/**
 * One timeout of a connection (headers, body, idle, close grace). The underlying timer is
 * created once and refreshed on every restart, never re-created, and it is unref'd so that an
 * idle connection never keeps the process alive. `stop()` only disarms it; a disarmed timer
 * that fires does nothing.
 */
export class Deadline {
  readonly #ms: number
  readonly #onExpire: () => void
  #timer: NodeJS.Timeout | null = null
  #armed = false

  constructor(ms: number, onExpire: () => void) {
    this.#ms = ms
    this.#onExpire = onExpire
  }

  get armed(): boolean {
    return this.#armed
  }

  start(): void {
    if (!(this.#ms > 0) || !Number.isFinite(this.#ms)) return
    this.#armed = true
    if (this.#timer === null) {
      this.#timer = setTimeout(() => this.#fire(), this.#ms)
      this.#timer.unref()
    } else {
      this.#timer.refresh()
    }
  }

  /** Starts the deadline unless it is already running: a total time limit, not an inactivity one. */
  ensure(): void {
    if (!this.#armed) this.start()
  }

  stop(): void {
    this.#armed = false
  }

  /** Frees the timer for good, when the connection is gone. */
  dispose(): void {
    this.#armed = false
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
  }

  #fire(): void {
    if (!this.#armed) return
    this.#armed = false
    this.#onExpire()
  }
}
