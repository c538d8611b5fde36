/**
 * Date.now(), read at most once per turn of the event loop. Reading the clock costs more than
 * the rest of a keep-alive request's bookkeeping (measured: about 60 ns a call here), and what
 * needs it, the deadlines and the Date field, wants milliseconds and seconds. Node's own timers
 * work the same way, from libuv's loop time cached once per turn: a handler that blocks the
 * loop delays them as much as it ages this reading.
 */
let cached = -1

function forget(): void {
  cached = -1
}

export function loopNow(): number {
  if (cached < 0) {
    cached = Date.now()
    // Runs once this turn's I/O callbacks are done, before the loop waits again.
    setImmediate(forget)
  }
  return cached
}
