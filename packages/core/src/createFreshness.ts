import type { Scheduler } from './createScheduler.js'
import type { SessionStore } from './createSessionStore.js'
import { type FreshnessRequirement, isSessionFresh } from './isSessionFresh.js'
import { parseDuration } from './parseDuration.js'

/** Freshness on the keeper's clock: the answer now, and a listener for when it flips. */
export interface Freshness {
  /** Whether the session meets `requirement`, against skew-corrected time. */
  isFresh(requirement?: FreshnessRequirement): boolean
  /** Calls `listener` when `isFresh(requirement)` flips, on state changes and when `maxAge` passes. */
  subscribeFreshness(requirement: FreshnessRequirement, listener: (fresh: boolean) => void): () => void
}

/**
 * Creates the freshness queries over `store`, with `maxAge` lapses as deadlines on `scheduler`
 * (a gate re-locks on screen at the moment the login becomes too old, with no poll).
 *
 * @example
 * const { isFresh, subscribeFreshness } = createFreshness(store, scheduler, clock.now)
 * subscribeFreshness({ maxAge: '5m' }, (fresh) => gate.toggle(fresh))
 */
/* @__NO_SIDE_EFFECTS__ */
export function createFreshness(store: SessionStore, scheduler: Scheduler, now: () => number): Freshness {
  function isFresh(requirement: FreshnessRequirement = {}) {
    const { status, session, clockSkew } = store.getState()
    return status === 'authenticated' && isSessionFresh(session, { ...requirement, now: now() + clockSkew })
  }

  function subscribeFreshness(requirement: FreshnessRequirement, listener: (fresh: boolean) => void) {
    let fresh = isFresh(requirement)
    const run = () => {
      if (fresh === isFresh(requirement)) return
      fresh = !fresh
      listener(fresh)
    }
    const unsubscribe = store.subscribe(run)
    const unwatch = scheduler.watch({
      name: 'freshness',
      run,
      // Freshness lapses when authenticated_at + maxAge passes, in local time.
      due: () => {
        const { session, clockSkew } = store.getState()
        return fresh && requirement.maxAge !== undefined
          ? (session?.authenticated_at?.getTime() ?? 0) + parseDuration(requirement.maxAge) - clockSkew + 1
          : Infinity
      },
    })
    return () => {
      unsubscribe()
      unwatch()
    }
  }

  return { isFresh, subscribeFreshness }
}
