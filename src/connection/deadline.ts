/**
 * One timeout of a connection (headers, body, idle, close grace). Restarting it is the hot path:
 * the idle deadline restarts after every keep-alive request. So a restart only notes the time,
 * and the timer, once scheduled, is left alone; when it fires early (the deadline moved since),
 * it schedules itself again for what is left. Moving a node timer on every request costs a
 * list removal, an insertion and a clock read through the C++ binding; this costs one
 * Date.now(). Timers are unref'd so that an idle connection never keeps the process alive.
 * `stop()` only disarms; a disarmed timer that fires does nothing.
 */
export class Deadline {
  readonly #ms: number
  readonly #onExpire: () => void
  #timer: NodeJS.Timeout | null = null
  /** The delay #timer was made with: refresh() re-arms it for that long. */
  #timerMs = 0
  /** A timer is scheduled and has not fired yet. */
  #scheduled = false
  #armed = false
  /** When the running deadline started (Date.now()). */
  #startedAt = 0

  constructor(ms: number, onExpire: () => void) {
    this.#ms = ms
    this.#onExpire = onExpire
  }

  get armed(): boolean {
    return this.#armed
  }

  /** `now` is Date.now(), when the caller has just read it. */
  start(now = Date.now()): void {
    if (!(this.#ms > 0) || !Number.isFinite(this.#ms)) return
    this.#armed = true
    this.#startedAt = now
    if (!this.#scheduled) this.#schedule(this.#ms)
  }

  /** Starts the deadline unless it is already running: a total time limit, not an inactivity one. */
  ensure(now?: number): void {
    if (!this.#armed) this.start(now)
  }

  stop(): void {
    this.#armed = false
  }

  /** Frees the timer for good, when the connection is gone. */
  dispose(): void {
    this.#armed = false
    this.#scheduled = false
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
  }

  #schedule(ms: number): void {
    this.#scheduled = true
    // The timer object is reused when the delay is the one it was made with.
    if (this.#timer !== null && ms === this.#timerMs) {
      this.#timer.refresh()
      return
    }
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.#fire(), ms)
    this.#timer.unref()
    this.#timerMs = ms
  }

  #fire(): void {
    this.#scheduled = false
    if (!this.#armed) return
    const left = this.#startedAt + this.#ms - Date.now()
    if (left > 0) {
      this.#schedule(left)
      return
    }
    this.#armed = false
    this.#onExpire()
  }
}
