/**
 * The fake's own clock: the base time source plus an offset the control API moves. Every
 * timestamp and every `Date` header reads it, so tests can jump hours ahead without waiting.
 *
 * @example
 * kratos.clock.advance(25 * 3_600_000) // every 24h session has now expired
 * kratos.clock.set('2030-01-01T00:00:00Z')
 */
export interface FakeClock {
  /** Current fake time in epoch ms. */
  now(): number
  /** Moves the clock forward (or back, for a negative value) by `ms`; returns the new time. */
  advance(ms: number): number
  /** Jumps to a time (ISO 8601 string or epoch ms); returns the new time. */
  set(time: string | number): number
}

/** Creates a {@link FakeClock} on top of `base` (normally `Date.now`). */
export function createClock(base: () => number): FakeClock {
  let offset = 0
  const now = () => base() + offset
  return {
    now,
    advance(ms) {
      if (typeof ms !== 'number' || !Number.isFinite(ms))
        throw new TypeError('advance must be a finite number of milliseconds')
      offset += ms
      return now()
    },
    set(time) {
      const target =
        typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : Number.NaN
      if (!Number.isFinite(target)) throw new TypeError('set must be an ISO 8601 date or epoch milliseconds')
      offset = target - base()
      return now()
    },
  }
}
