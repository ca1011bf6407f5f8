import { type FreshnessRequirement, isSessionFresh } from './isSessionFresh.js'
import type { SessionKeeper } from './SessionKeeper.js'

/**
 * Why a session does or does not meet a {@link FreshnessRequirement}:
 * - `'fresh'`: it does (exactly when `keeper.isFresh(requirement)`);
 * - `'loading'`: the first answer has not come yet;
 * - `'signed-out'`: no session (never signed in, signed out, or expired);
 * - `'needs-aal2'`: a second factor is asked for (or the server said `session_aal2_required`)
 *   and the session has only the first;
 * - `'second-factor-unavailable'`: the same, but the state says the identity has no second
 *   factor to give (`secondFactorUnavailable`: a login for it came back still at aal1);
 * - `'too-old'`: the user proved who they are longer ago than `maxAge`.
 */
export type FreshnessReason =
  | 'loading'
  | 'signed-out'
  | 'too-old'
  | 'needs-aal2'
  | 'second-factor-unavailable'
  | 'fresh'

/**
 * The {@link FreshnessReason} for `requirement`, in the keeper's own terms (its clock, its
 * skew): `'fresh'` exactly when `keeper.isFresh(requirement)`. Without `isFresh` (server
 * rendering and hydration, where no clock may decide) a session whose freshness depends on
 * the time reads `'loading'`, so server and client render the same thing.
 *
 * @example
 * freshnessReason(keeper, { maxAge: '5m', aal: 'aal2' }) // 'too-old'
 * freshnessReason({ getState: keeper.getInitialState }, strict) // server snapshot: 'loading'
 */
export function freshnessReason(
  keeper: Pick<SessionKeeper, 'getState'> & Partial<Pick<SessionKeeper, 'isFresh'>>,
  requirement: FreshnessRequirement = {},
): FreshnessReason {
  const { status, session, secondFactorUnavailable } = keeper.getState()
  if (status === 'loading') return 'loading'
  if (status === 'unauthenticated') return 'signed-out'
  // The server asks for aal2 only when the identity has a second factor (FACTS §5).
  if (status === 'aal2-required') return 'needs-aal2'
  if (requirement.aal && !isSessionFresh(session, { aal: requirement.aal, now: 0 })) {
    return secondFactorUnavailable ? 'second-factor-unavailable' : 'needs-aal2'
  }
  if (!keeper.isFresh) return 'loading'
  return keeper.isFresh(requirement) ? 'fresh' : 'too-old'
}
