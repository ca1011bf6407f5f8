import { type Duration, parseDuration } from './parseDuration.js'
import type { Session } from './types.js'

/** What a screen asks of the login behind a session. */
export interface FreshnessRequirement {
  /** How long ago the user may have last proven who they are (`authenticated_at`). */
  maxAge?: Duration
  /** The assurance level the session must have at least. */
  aal?: 'aal1' | 'aal2'
  /**
   * A login newer than this one: for when the server refused a login this keeper still
   * thinks fresh (Kratos's `privileged_session_max_age` is shorter than `maxAge`).
   */
  authenticatedAfter?: Date | number
}

const AAL_RANK: Record<string, number> = { aal0: 0, aal1: 1, aal2: 2, aal3: 3 }

/**
 * Pure freshness check: the session exists, `now - authenticated_at <= maxAge`, and its AAL
 * ranks at least `aal`. Fails closed: without a valid `authenticated_at` it is not fresh, and
 * when `aal` is asked for, neither is an unknown AAL. `now` is server time (local time plus the keeper's `clockSkew`).
 *
 * @example
 * isSessionFresh(session, { maxAge: '5m', aal: 'aal2', now: Date.now() }) // true or false
 */
export function isSessionFresh(
  session: Session | null | undefined,
  { maxAge, aal, authenticatedAfter, now }: FreshnessRequirement & { now: number },
): boolean {
  if (!session) return false
  if (aal && (AAL_RANK[session.authenticator_assurance_level ?? ''] ?? -1) < (AAL_RANK[aal] as number)) {
    return false
  }
  const authenticatedAt = session.authenticated_at ? new Date(session.authenticated_at).getTime() : Number.NaN
  if (authenticatedAfter !== undefined && !(authenticatedAt > +authenticatedAfter)) return false
  return maxAge === undefined || now - authenticatedAt <= parseDuration(maxAge)
}
