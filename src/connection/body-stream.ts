/**
 * The body of a request, handed to a streaming handler as it arrives. When the handler reads
 * slower than the client sends, `push()` returns false and the connection stops reading the
 * socket until `onDrain` says the handler has caught up: TCP backpressure all the way back.
 */
export class BodyStream implements AsyncIterable<Uint8Array> {
  readonly #highWaterMark: number
  readonly #onDrain: () => void
  readonly #chunks: Uint8Array[] = []
  #buffered = 0
  #ended = false
  #error: Error | null = null
  #discarding = false
  #wake: (() => void) | null = null
  #iterated = false

  constructor(highWaterMark: number, onDrain: () => void) {
    this.#highWaterMark = highWaterMark
    this.#onDrain = onDrain
  }

  /** Returns false when the reader is behind and the producer should pause. */
  push(chunk: Uint8Array): boolean {
    if (this.#discarding) return true
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
    this.#wakeReader()
    return this.#buffered < this.#highWaterMark
  }

  end(): void {
    this.#ended = true
    this.#wakeReader()
  }

  fail(error: Error): void {
    this.#error ??= error
    this.#wakeReader()
  }

  /** The handler is done with the body: drop what is left so the connection can move on. */
  discard(): void {
    this.#discarding = true
    this.#chunks.length = 0
    if (this.#buffered > 0) {
      this.#buffered = 0
      this.#onDrain()
    }
  }

  get isPaused(): boolean {
    return !this.#discarding && this.#buffered >= this.#highWaterMark
  }

  #wakeReader(): void {
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#iterated) throw new Error('a request body stream can be read only once')
    this.#iterated = true
    for (;;) {
      const chunk = this.#chunks.shift()
      if (chunk !== undefined) {
        const wasPaused = this.#buffered >= this.#highWaterMark
        this.#buffered -= chunk.length
        if (wasPaused && this.#buffered < this.#highWaterMark) this.#onDrain()
        yield chunk
        continue
      }
      if (this.#error !== null) throw this.#error
      if (this.#ended) return
      await new Promise<void>((resolve) => {
        this.#wake = resolve
      })
    }
  }
}
