'use client'
import {
  type FreshnessReason,
  type FreshnessRequirement,
  freshnessReason,
  type ReauthenticateOptions,
} from '@session-keeper/core'
import { useCallback, useSyncExternalStore } from 'react'
import { both, useSessionKeeper } from './useSessionKeeper.js'

/**
 * Options of {@link useFreshAuth}: the requirement (`maxAge`, `aal`), and how `reauthenticate`
 * logs in. `authenticatedAfter` is for one action the server refused (`useFreshAction`), not a gate.
 */
export interface FreshAuthOptions extends Omit<FreshnessRequirement, 'authenticatedAfter'> {
  /** @default 'redirect' */
  mode?: ReauthenticateOptions['mode']
}

/** What {@link useFreshAuth} returns. */
export interface FreshAuth {
  fresh: boolean
  /** Why (not): `'fresh'`, `'loading'`, `'signed-out'`, `'too-old'`, `'needs-aal2'`, `'second-factor-unavailable'`. */
  reason: FreshnessReason
  /** Logs in again for this requirement (`keeper.reauthenticate`); stable while the options are. */
  reauthenticate: () => Promise<void>
}

/**
 * Whether the session meets `{ maxAge, aal }`, and why not. It follows the keeper (another
 * tab's login unlocks it) and flips to `'too-old'` by itself when `maxAge` passes. The server
 * and hydration render `'loading'` for a session whose freshness depends on the time.
 *
 * @example
 * const { fresh, reason, reauthenticate } = useFreshAuth({ maxAge: '5m', aal: 'aal2' })
 * if (!fresh) return <button onClick={reauthenticate}>Confirm it’s you ({reason})</button>
 */
export function useFreshAuth({ maxAge, aal, mode }: FreshAuthOptions = {}): FreshAuth {
  const keeper = useSessionKeeper()
  const subscribe = useCallback(
    (onChange: () => void) =>
      both(keeper.subscribeFreshness({ maxAge, aal }, onChange), keeper.subscribe(onChange)),
    [keeper, maxAge, aal],
  )
  const reason = useSyncExternalStore(
    subscribe,
    () => freshnessReason(keeper, { maxAge, aal }),
    () => freshnessReason({ getState: keeper.getInitialState }, { maxAge, aal }),
  )
  const reauthenticate = useCallback(
    () => keeper.reauthenticate({ maxAge, aal, mode }),
    [keeper, maxAge, aal, mode],
  )
  return { fresh: reason === 'fresh', reason, reauthenticate }
}
