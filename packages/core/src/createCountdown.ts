import type { Scheduler } from './createScheduler.js'
import type { SessionStore } from './createSessionStore.js'
import { isHidden } from './page.js'
import { type Duration, parseDuration } from './parseDuration.js'

/** Time left, read on demand or on a steady beat. */
export interface Countdown {
  /** Milliseconds until `expires_at` against server time, 0 once past; `null` without a session. */
  timeLeft(): number | null
  /** Calls `listener` every `every` while the page is visible and there is a session. */
  subscribeCountdown(every: Duration, listener: () => void): () => void
}

/**
 * Creates the countdown over `store`, its beats on `scheduler`: a countdown nobody can see
 * (hidden page, no session) costs no wake-up.
 *
 * @example
 * const { timeLeft, subscribeCountdown } = createCountdown(store, scheduler, clock.now)
 * subscribeCountdown('1s', () => render(timeLeft()))
 */
/* @__NO_SIDE_EFFECTS__ */
export function createCountdown(store: SessionStore, scheduler: Scheduler, now: () => number): Countdown {
  return {
    timeLeft: () => (store.getState().session ? Math.max(0, store.remaining()) : null),
    subscribeCountdown(every, listener) {
      const step = parseDuration(every)
      let last = now()
      return scheduler.watch({
        name: 'countdown',
        run: () => {
          last = now()
          listener()
        },
        due: () => (isHidden() || !store.getState().session ? Infinity : last + step),
      })
    },
  }
}
