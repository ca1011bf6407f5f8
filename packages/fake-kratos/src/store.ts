import { randomBytes, randomUUID } from 'node:crypto'
import type { LoginFlow, SettingsFlow } from './flows.js'
import { type IdentityRecord, toIdentityRecord } from './identity.js'
import type { FakeIdentity } from './options.js'
import type { AuthenticationMethod, SessionRecord } from './session.js'

/** A stored self-service error (`GET /self-service/errors?id=`, spec `flowError`). */
export interface StoredError {
  id: string
  error: Record<string, unknown>
  createdAt: number
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** A random token with Kratos's prefix (`ory_st_`, `ory_lo_`; x/token_prefixes.go), 32 letters/digits. */
export function randomToken(prefix: string): string {
  return prefix + Array.from(randomBytes(32), (byte) => ALPHANUMERIC[byte % 62]).join('')
}

/** The fake's whole state: identities, sessions, flows and errors, in memory. */
export interface Store {
  identities: Map<string, IdentityRecord>
  sessions: Map<string, SessionRecord>
  loginFlows: Map<string, LoginFlow>
  settingsFlows: Map<string, SettingsFlow>
  errors: Map<string, StoredError>
  identityByEmail(email: string): IdentityRecord | undefined
  sessionByToken(token: string): SessionRecord | undefined
  createSession(
    identity: IdentityRecord,
    methods: AuthenticationMethod[],
    now: number,
    lifespan: number,
    device?: SessionRecord['devices'][number],
  ): SessionRecord
}

export function createStore(identities: FakeIdentity[], now: number): Store {
  const records = identities.map((identity) => toIdentityRecord(identity, now))
  const sessions = new Map<string, SessionRecord>()
  return {
    identities: new Map(records.map((record) => [record.id, record])),
    sessions,
    loginFlows: new Map(),
    settingsFlows: new Map(),
    errors: new Map(),
    identityByEmail(email) {
      const wanted = email.trim().toLowerCase()
      return records.find((record) => record.email.toLowerCase() === wanted)
    },
    sessionByToken(token) {
      for (const session of sessions.values()) if (session.token === token) return session
      return undefined
    },
    createSession(identity, methods, at, lifespan, device) {
      const session: SessionRecord = {
        id: randomUUID(),
        token: randomToken('ory_st_'),
        logoutToken: randomToken('ory_lo_'),
        identityId: identity.id,
        active: true,
        expiresAt: at + lifespan,
        authenticatedAt: at,
        issuedAt: at,
        methods,
        devices: device ? [device] : [],
      }
      sessions.set(session.id, session)
      return session
    },
  }
}
