import type { Clock } from '../config/clock.js'

export interface FixedClock extends Clock {
  /** Moves time forward. */
  advance(milliseconds: number): void
  set(time: number): void
}

/** A clock that moves only when told: for expiry, idle timeouts and rate-limit windows in tests. */
export function createFixedClock(start = Date.UTC(2026, 0, 1)): FixedClock {
  let time = start
  return {
    now: () => time,
    advance(milliseconds) {
      time += milliseconds
    },
    set(value) {
      time = value
    },
  }
}
