import type { Checker } from './createChecker.js'
import type { Scheduler } from './createScheduler.js'
import type { SessionStore } from './createSessionStore.js'
import type { TabSync } from './createTabSync.js'
import { isHidden } from './page.js'

export interface WakeDeps {
  store: SessionStore
  scheduler: Scheduler
  checker: Checker
  tabs: TabSync
  now: () => number
  /** A wake-up checks again when the last answer is older than this. */
  recheckOnFocusAfter: number
}

/**
 * Creates the handler of the page's wake-ups (focus, `visibilitychange`, `pageshow`, `online`).
 * Deadlines are absolute, so it re-evaluates them all on the scheduler; it checks when the
 * last answer is older than `recheckOnFocusAfter` (outside a backoff), or at once when the
 * network comes back after a network error. A follower asks the leader instead, which checks
 * once for every tab that asks.
 *
 * @example
 * const unlisten = listenToPage(createWakeHandler({ store, scheduler, checker, tabs, now, recheckOnFocusAfter }), [], noop)
 */
export function createWakeHandler(o: WakeDeps): (event: Event) => void {
  return ({ type }) => {
    const { lastCheckedAt, error } = o.store.getState()
    const t = o.now()
    if (type === 'visibilitychange') o.tabs.visibilityChanged()
    if (
      !isHidden() &&
      ((t - (lastCheckedAt ?? o.checker.pollFrom()) > o.recheckOnFocusAfter && t >= o.checker.retryAt()) ||
        (type === 'online' && error?.name === 'NetworkError'))
    ) {
      if (o.tabs.follower()) o.tabs.ask(o.recheckOnFocusAfter)
      else void o.checker.check({ why: 'wake' })
    }
    o.scheduler.tick()
  }
}
