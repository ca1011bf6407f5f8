import { availableAal, type IdentityRecord, identityJson } from './identity.js'
import { goTime } from './json.js'

export type Aal = 'aal1' | 'aal2'

/** A completed authentication step, kept in order (`authentication_methods`). */
export interface AuthenticationMethod {
  method: 'password' | 'totp'
  aal: Aal
  completedAt: number
}

export interface SessionRecord {
  id: string
  token: string
  /** The `ory_lo_` token of this session's logout URL; it lives as long as the session. */
  logoutToken: string
  identityId: string
  /** False once revoked; an expired session stays active and an admin extend revives it (FACTS §3). */
  active: boolean
  expiresAt: number
  authenticatedAt: number
  issuedAt: number
  methods: AuthenticationMethod[]
  devices: { id: string; ip_address: string | null; user_agent: string | null; location: string | null }[]
}

/**
 * A session as Kratos sends it (spec `session`), in Go field order.
 *
 * @example
 * const session: KratosSession = await (await fetch(`${kratos.url}/sessions/whoami`, { headers: { cookie } })).json()
 * session.authenticator_assurance_level // 'aal1'
 */
export interface KratosSession {
  id: string
  active: boolean
  expires_at: string
  authenticated_at: string
  authenticator_assurance_level: 'aal0' | 'aal1' | 'aal2' | 'aal3'
  authentication_methods: { method: string; aal: string; completed_at: string }[]
  issued_at: string
  identity?: Record<string, unknown>
  devices: { id: string; ip_address: string | null; user_agent: string | null; location: string | null }[]
}

/** `IsActive`: not revoked and not expired (session.go:316). */
export function isActive(session: SessionRecord, now: number): boolean {
  return session.active && session.expiresAt > now
}

/** The AAL recomputed from the AMR: any aal2 method makes the session aal2 (FACTS §2). */
export function sessionAal(session: SessionRecord): Aal {
  return session.methods.some((m) => m.aal === 'aal2') ? 'aal2' : 'aal1'
}

/**
 * `DoesSessionSatisfy` (FACTS §5): under `highest_available` an aal1 session of an identity
 * with a second factor falls short; under `aal1` every session passes.
 */
export function satisfiesRequiredAal(
  requiredAal: 'aal1' | 'highest_available',
  session: SessionRecord,
  identity: IdentityRecord,
): boolean {
  return requiredAal === 'aal1' || sessionAal(session) === 'aal2' || availableAal(identity) === 'aal1'
}

/**
 * Marshals a session. `identity` is left out when `null` (the API-flow AAL case, FACTS §2);
 * `issuedAt` overrides the stored value for login answers, which show the in-memory one.
 */
export function sessionJson(
  session: SessionRecord,
  identity: IdentityRecord | null,
  context: { now: number; publicUrl: string; issuedAt?: number },
): KratosSession {
  return {
    id: session.id,
    active: isActive(session, context.now),
    expires_at: goTime(session.expiresAt),
    authenticated_at: goTime(session.authenticatedAt),
    authenticator_assurance_level: sessionAal(session),
    authentication_methods: session.methods.map((m) => ({
      method: m.method,
      aal: m.aal,
      completed_at: goTime(m.completedAt),
    })),
    issued_at: goTime(context.issuedAt ?? session.issuedAt),
    ...(identity && { identity: identityJson(identity, context.publicUrl) }),
    devices: session.devices,
  }
}
