import type { SessionKeeperError } from './SessionKeeperError.js'

/**
 * `@ory/client-fetch`'s stand-in for an enum value newer than the SDK. Listed so that a
 * {@link Session} and the SDK's `Session` are assignable both ways.
 */
export type UnknownEnumValue = '11184809'

/** Authenticator assurance level, as Kratos names it. */
export type AuthenticatorAssuranceLevel = 'aal0' | 'aal1' | 'aal2' | 'aal3' | UnknownEnumValue

/** A method in `authentication_methods`. */
export type AuthenticationMethod =
  | 'password'
  | 'oidc'
  | 'totp'
  | 'lookup_secret'
  | 'webauthn'
  | 'code'
  | 'passkey'
  | 'profile'
  | 'saml'
  | 'deviceauthn'
  | 'identifier_first'
  | 'link_recovery'
  | 'code_recovery'
  | UnknownEnumValue

/**
 * Kratos's session (`GET /sessions/whoami`), with timestamps as `Date`s, as
 * `@ory/client-fetch` types it: the two are assignable both ways. The keeper validates `id`,
 * `expires_at` and `authenticated_at`; the rest is passed on as Kratos sent it.
 * Key nothing on `id`: a refresh through social sign-in makes a new session.
 */
export interface Session {
  id: string
  active?: boolean
  expires_at?: Date
  authenticated_at?: Date
  authenticator_assurance_level?: AuthenticatorAssuranceLevel
  authentication_methods?: Array<{
    method?: AuthenticationMethod
    aal?: AuthenticatorAssuranceLevel
    completed_at?: Date
    provider?: string
    organization?: string
    upstream_acr?: string
    upstream_amr?: Array<string>
  }>
  issued_at?: Date
  identity?: {
    id: string
    schema_id: string
    schema_url: string
    state?: 'active' | 'inactive' | UnknownEnumValue
    // biome-ignore lint/suspicious/noExplicitAny: traits follow the app's identity schema; `any` as in @ory/client-fetch
    traits: any | null
    metadata_public?: object | null
    created_at?: Date
    updated_at?: Date
  }
  devices?: Array<{ id: string; ip_address?: string; user_agent?: string; location?: string }>
  tokenized?: string
}

/** Where the keeper stands with the server. */
export type SessionStatus = 'loading' | 'authenticated' | 'unauthenticated' | 'aal2-required'

/** Where the session stands with its `expires_at`; `null` when there is no session. */
export type SessionPhase = 'active' | 'expiring' | 'expired' | null

/** The keeper's state: read it with `getState()`, follow it with `subscribe()`. */
export interface SessionState {
  status: SessionStatus
  /** The last known good session; kept while checks fail. */
  session: Session | null
  phase: SessionPhase
  /**
   * Local ms of the last answer from the server. An answer that changes nothing else updates
   * it without calling listeners (a poll that changes nothing renders nothing).
   */
  lastCheckedAt: number | null
  /** True while checks fail (network, 5xx, 429, bad body); `session` is then the last good one. */
  stale: boolean
  error: SessionKeeperError | null
  /** True in the tab that polls the server. */
  isLeader: boolean
  /** Server time minus local time in ms, from the `Date` header when readable; 0 when unknown. */
  clockSkew: number
  /** In `aal2-required`: Kratos's `redirect_browser_to` with `return_to` added. */
  aal2RedirectTo: string | null
  /**
   * True once an answer proved that the signed-in identity cannot reach aal2 (a login for the
   * second factor came back still at aal1: it has none set up); false again when a session
   * with aal2 arrives or the session ends. Gates then offer setup instead of another login.
   */
  secondFactorUnavailable: boolean
}
