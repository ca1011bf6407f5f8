import type { FreshnessRequirement } from './isSessionFresh.js'
import { reauthReason } from './reauthReason.js'
import type { ReauthenticateOptions, SessionKeeper } from './SessionKeeper.js'

/** Options of {@link runFreshAction}: the requirement, and how to log in again. */
export interface FreshActionOptions extends FreshnessRequirement {
  /**
   * `'redirect'` leaves the page for the login (the action's promise then never settles);
   * `'popup'` logs in in a window and runs the action when that is done.
   * @default 'redirect'
   */
  mode?: ReauthenticateOptions['mode']
}

type ActionKeeper = Pick<SessionKeeper, 'getState' | 'isFresh' | 'reauthenticate'>

/** Logs in again unless `requirement` holds; settles only when it holds afterwards. */
async function ensureFresh(
  keeper: ActionKeeper,
  requirement: FreshnessRequirement,
  mode: FreshActionOptions['mode'],
) {
  if (keeper.isFresh(requirement)) return
  await keeper.reauthenticate({ ...requirement, mode })
  // A popup resolves once a session meeting the requirement arrived (it rejects with
  // ReauthCancelledError when closed first); a redirect, or a blocked popup falling back to
  // one, resolves as the page leaves: the action must not run then, so wait for nothing.
  if (!keeper.isFresh(requirement)) await new Promise<never>(() => {})
}

/**
 * Runs `action` behind a fresh login. Before it runs: logs in again unless
 * `keeper.isFresh({ maxAge, aal })`. When it fails with Kratos's 403 `session_refresh_required`,
 * 403 `session_aal2_required` or 422 `browser_location_change_required` (see
 * {@link reauthReason}), logs in again as the server asked and, in popup mode, runs it once
 * more; a second failure is the caller's. In redirect mode the promise never settles once the
 * page leaves for the login. A closed login popup rejects with `ReauthCancelledError`.
 *
 * @example
 * await runFreshAction(keeper, () => api.post('api-keys').json(), { maxAge: '5m', mode: 'popup' })
 */
export async function runFreshAction<T>(
  keeper: ActionKeeper,
  action: () => T | PromiseLike<T>,
  { mode, ...requirement }: FreshActionOptions = {},
): Promise<Awaited<T>> {
  await ensureFresh(keeper, requirement, mode)
  try {
    return await action()
  } catch (error) {
    const required = await reauthReason(error)
    if (!required) throw error
    const aal2 =
      required.id === 'session_aal2_required' ||
      (required.id === 'browser_location_change_required' && /[?&]aal=aal2/.test(required.redirectTo ?? ''))
    await ensureFresh(
      keeper,
      // Too old for the server although fresh here (its privileged_session_max_age is shorter):
      // ask for a login newer than this one.
      aal2
        ? { ...requirement, aal: 'aal2' }
        : { ...requirement, authenticatedAfter: keeper.getState().session?.authenticated_at ?? 0 },
      mode,
    )
    return await action()
  }
}
