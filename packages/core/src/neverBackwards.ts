/** How far behind the monotonic clock the wall clock may fall before it counts as set back (NTP slews by less). */
const SET_BACK = 1_000

/**
 * Wraps a wall clock so that it never goes back: when the device's clock is set back (by hand,
 * or by a time sync), it carries on at the pace of `monotonic` (which no clock change moves)
 * from where it was, so it stays exactly the jump ahead of the wall clock, in every tab alike.
 * Forward jumps pass through, as a device waking from sleep must see them.
 *
 * The keeper's deadlines (the next poll, a backoff, `lastCheckedAt` against other tabs' answers)
 * are local times; without this, a clock set back an hour would hold every one of them an hour
 * away and the keeper would stop polling for that hour. The session's own times are the server's,
 * reached through the clock skew that every answer measures again, so they stay right.
 *
 * @example
 * const now = neverBackwards(() => Date.now(), () => performance.now())
 * now() // 1_000_000; 5 s later the clock is set back an hour
 * now() // 1_005_000, and on with the monotonic clock
 */
export function neverBackwards(wallClock: () => number, monotonic: () => number): () => number {
  let offset = 0
  let last = Number.NEGATIVE_INFINITY
  let lastTick = 0
  return () => {
    const wall = wallClock()
    const tick = monotonic()
    const floor = last + (tick - lastTick)
    if (wall + offset < floor - SET_BACK) offset = floor - wall
    last = Math.max(last, wall + offset)
    lastTick = tick
    return last
  }
}
