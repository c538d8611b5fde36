import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Deadline } from './deadline.ts'

describe('Deadline', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('expires once, ms after start', () => {
    const expired = vi.fn()
    const d = new Deadline(100, expired)
    d.start()
    vi.advanceTimersByTime(99)
    expect(expired).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(expired).toHaveBeenCalledTimes(1)
    expect(d.armed).toBe(false)
    vi.advanceTimersByTime(1000)
    expect(expired).toHaveBeenCalledTimes(1)
  })

  it('a restart moves the deadline: the early timer reschedules itself for what is left', () => {
    const expired = vi.fn()
    const d = new Deadline(100, expired)
    d.start()
    vi.advanceTimersByTime(60)
    d.start()
    vi.advanceTimersByTime(40)
    expect(expired).not.toHaveBeenCalled()
    vi.advanceTimersByTime(59)
    expect(expired).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(expired).toHaveBeenCalledTimes(1)
  })

  it('restarts many times within one period cost no expiry until the last one has run its course', () => {
    const expired = vi.fn()
    const d = new Deadline(50, expired)
    for (let i = 0; i < 20; i++) {
      d.start()
      vi.advanceTimersByTime(10)
    }
    expect(expired).not.toHaveBeenCalled()
    vi.advanceTimersByTime(40)
    expect(expired).toHaveBeenCalledTimes(1)
  })

  it('stop disarms; a later start runs a full period again', () => {
    const expired = vi.fn()
    const d = new Deadline(100, expired)
    d.start()
    vi.advanceTimersByTime(50)
    d.stop()
    vi.advanceTimersByTime(200)
    expect(expired).not.toHaveBeenCalled()
    d.start()
    vi.advanceTimersByTime(99)
    expect(expired).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(expired).toHaveBeenCalledTimes(1)
  })

  it('ensure leaves a running deadline where it is, and starts a stopped one', () => {
    const expired = vi.fn()
    const d = new Deadline(100, expired)
    d.ensure()
    vi.advanceTimersByTime(70)
    d.ensure()
    vi.advanceTimersByTime(30)
    expect(expired).toHaveBeenCalledTimes(1)
    d.ensure()
    vi.advanceTimersByTime(100)
    expect(expired).toHaveBeenCalledTimes(2)
  })

  it('dispose cancels for good, and a zero or infinite period never arms', () => {
    const expired = vi.fn()
    const d = new Deadline(100, expired)
    d.start()
    d.dispose()
    vi.advanceTimersByTime(500)
    for (const ms of [0, Number.POSITIVE_INFINITY]) {
      const never = new Deadline(ms, expired)
      never.start()
      expect(never.armed).toBe(false)
    }
    vi.advanceTimersByTime(500)
    expect(expired).not.toHaveBeenCalled()
  })
})
