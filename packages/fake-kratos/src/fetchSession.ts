import type { Context } from './context.js'
import { readSessionCookie } from './cookies.js'
import type { IdentityRecord } from './identity.js'
import { isActive, type SessionRecord } from './session.js'

export type FetchedSession =
  | { session: SessionRecord; identity: IdentityRecord }
  | { session: null; credentialsMissing: boolean }

/**
 * The credential in Kratos's order (`extractToken`, manager_http.go:225): `X-Session-Token`,
 * then the session cookie, then `Authorization: Bearer` (exactly 2 parts, scheme in any case).
 */
export function extractToken(ctx: Context): string | undefined {
  const header = ctx.req.headers['x-session-token']
  if (typeof header === 'string' && header) return header
  const cookie = readSessionCookie(ctx)
  if (cookie) return cookie.session_token
  const parts = (ctx.req.headers.authorization ?? '').split(' ')
  if (parts.length === 2 && parts[0]?.toLowerCase() === 'bearer' && parts[1]) return parts[1]
  return undefined
}

/**
 * `FetchFromRequest`: the active session of the request. Expired, revoked, unknown and missing
 * sessions are all the same "no session" (FACTS §1); only a missing credential is told apart.
 */
export function fetchSession(ctx: Context): FetchedSession {
  const token = extractToken(ctx)
  if (token === undefined) return { session: null, credentialsMissing: true }
  const session = ctx.store.sessionByToken(token)
  const identity = session && ctx.store.identities.get(session.identityId)
  if (!session || !identity || !isActive(session, ctx.clock.now()))
    return { session: null, credentialsMissing: false }
  return { session, identity }
}
