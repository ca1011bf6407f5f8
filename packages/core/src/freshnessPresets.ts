import type { FreshnessRequirement } from './isSessionFresh.js'

/**
 * Freshness requirements for common screens. They fail closed: a session that cannot show it
 * meets one (no `authenticated_at`, unknown AAL) is not fresh.
 *
 * @example
 * keeper.isFresh(strict) // signed in with a second factor within the last 10 minutes
 * <RequireFreshAuth {...moderate}><ApiKeys /></RequireFreshAuth>
 */
export const strict: Readonly<FreshnessRequirement> = Object.freeze({ maxAge: '10m', aal: 'aal2' })
/** Signed in within the last hour. @example keeper.isFresh(moderate) */
export const moderate: Readonly<FreshnessRequirement> = Object.freeze({ maxAge: '1h' })
/** Signed in within the last day. @example keeper.isFresh(lax) */
export const lax: Readonly<FreshnessRequirement> = Object.freeze({ maxAge: '24h' })
