import { createStore } from 'zustand/vanilla'
import { isSessionFresh } from './isSessionFresh.js'
import type { RemoteState } from './TabMessage.js'
import type { Session, SessionState } from './types.js'

/**
 * The keeper's state and the only code that writes it: a zustand vanilla store whose `phase`
 * is derived from `expires_at` and the clock on every write.
 */
export interface SessionStore {
  getState(): SessionState
  getInitialState(): SessionState
  subscribe(listener: (state: SessionState, previous: SessionState) => void): () => void
  /**
   * Merges `partial`, re-derives the phase, and notifies only on a real change. `quiet` fields
   * (`lastCheckedAt`) change without notifying when nothing else does.
   */
  update(partial: Partial<SessionState>, quiet?: Partial<SessionState>): void
  /** Takes a conclusive answer checked at `at`, from the server or another tab. */
  accept(answer: RemoteState): void
  /** `expires_at` in ms on the server's clock; NaN without a session. */
  expiresAt(state?: SessionState): number
  /** Milliseconds until `expires_at` against server time; NaN without a session. */
  remaining(state?: SessionState): number
  /** The clock correction to keep after measuring `skew` (`null`: not measured). */
  newSkew(skew: number | null): number
}

const SECOND = 1_000

// Structural sharing: an equal answer keeps the same object, so selectors see no change.
const shared = (current: Session | null, next: Session | null) =>
  JSON.stringify(current) === JSON.stringify(next) ? current : next

/**
 * Creates the store, starting from `initialSession` (`undefined`: loading, `null`: signed out).
 *
 * @example
 * const store = createSessionStore({ now: Date.now, expiringThreshold: 300_000, initialSession: undefined })
 * store.update({ isLeader: true })
 */
/* @__NO_SIDE_EFFECTS__ */
export function createSessionStore({
  now,
  expiringThreshold,
  initialSession,
}: {
  now: () => number
  expiringThreshold: number
  initialSession: Session | null | undefined
}): SessionStore {
  const expiresAt = (state = get()) => state.session?.expires_at?.getTime() ?? Number.NaN
  const remaining = (state = get()) => expiresAt(state) - now() - state.clockSkew

  /**
   * Sets `phase` from `expires_at` on `state`, a new object; at expiry the session is over
   * without waiting for the server (a check confirms). A missing second factor is a fact about
   * a signed-in identity below aal2: it ends with the session or when aal2 arrives.
   */
  const derive = (state: SessionState): SessionState => {
    const left = remaining(state)
    state.phase = left <= 0 ? 'expired' : left <= expiringThreshold ? 'expiring' : left > 0 ? 'active' : null
    if (state.phase === 'expired' && state.status === 'authenticated') state.status = 'unauthenticated'
    if (state.status !== 'authenticated' || isSessionFresh(state.session, { aal: 'aal2', now: 0 }))
      state.secondFactorUnavailable = false
    return state
  }
  const initial = derive({
    status: initialSession ? 'authenticated' : initialSession === null ? 'unauthenticated' : 'loading',
    session: initialSession ?? null,
    phase: null,
    lastCheckedAt: null,
    stale: false,
    error: null,
    isLeader: false,
    clockSkew: 0,
    aal2RedirectTo: null,
    secondFactorUnavailable: false,
  })
  const store = createStore<SessionState>()(() => initial)
  const get = store.getState

  function update(partial: Partial<SessionState>, quiet?: Partial<SessionState>) {
    const current = get()
    const next = derive({ ...current, ...partial })
    const changed = (Object.keys(next) as (keyof SessionState)[]).some(
      (key) => !Object.is(next[key], current[key]),
    )
    // An answer that changes nothing else refreshes `quiet` fields without waking listeners.
    if (changed || (quiet && current === initial)) store.setState(Object.assign(next, quiet), true)
    else Object.assign(current, quiet)
  }

  return {
    getState: get,
    getInitialState: store.getInitialState,
    subscribe: store.subscribe,
    update,
    accept: ({ at, status, session, aal2RedirectTo, clockSkew, secondFactorUnavailable }) =>
      update(
        {
          status,
          session: shared(get().session, session),
          aal2RedirectTo,
          stale: false,
          error: null,
          clockSkew,
          // Once proven, the fact lasts until `derive` sees aal2 or the session end.
          secondFactorUnavailable: secondFactorUnavailable || get().secondFactorUnavailable,
        },
        { lastCheckedAt: at },
      ),
    expiresAt,
    remaining,
    // `Date` has whole seconds: only a larger move of the server clock is news.
    newSkew(skew) {
      const { clockSkew } = get()
      return skew !== null && Math.abs(skew - clockSkew) > SECOND ? skew : clockSkew
    },
  }
}
