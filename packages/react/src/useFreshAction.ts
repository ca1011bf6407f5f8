'use client'
import { type FreshActionOptions, runFreshAction } from '@session-keeper/core'
import { useCallback, useInsertionEffect, useRef } from 'react'
import { useSessionKeeper } from './useSessionKeeper.js'

/**
 * A stable function that runs `action` behind a fresh login ({@link runFreshAction}): it logs
 * in again first unless the session meets `{ maxAge, aal }`, and again when the action fails
 * with Kratos's 403 `session_refresh_required` / `session_aal2_required` or 422
 * `browser_location_change_required` (a ky `HTTPError`, a `Response` or a parsed body); in
 * popup mode it then runs the action once more. Redirect mode leaves the page (the promise
 * never settles); a closed popup rejects with `ReauthCancelledError`. The latest `action` and
 * options are used at each call.
 *
 * @example
 * const save = useFreshAction((password: string) => api.post('settings', { json: { password } }), {
 *   maxAge: '5m',
 *   mode: 'popup',
 * })
 * <form onSubmit={() => save(password).then(showSaved, showError)}>…</form>
 */
export function useFreshAction<A extends unknown[], T>(
  action: (...args: A) => T | PromiseLike<T>,
  options: FreshActionOptions = {},
): (...args: A) => Promise<Awaited<T>> {
  const keeper = useSessionKeeper()
  const latest = useRef({ action, options })
  useInsertionEffect(() => {
    latest.current = { action, options }
  })
  return useCallback(
    (...args: A) => runFreshAction(keeper, () => latest.current.action(...args), latest.current.options),
    [keeper],
  )
}
