import { createHash } from 'node:crypto'
import { goTime } from './json.js'
import type { FakeIdentity } from './options.js'

/** An identity as the store holds it: the option values plus server-side fields. */
export interface IdentityRecord {
  id: string
  email: string
  password: string
  totpCode: string | undefined
  traits: Record<string, unknown>
  createdAt: number
  updatedAt: number
}

// A fixed namespace so ids stay the same across runs, as fixtures expect.
const NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex')

/** A name-based (version 5 style, SHA-1) UUID: the same name always gives the same id. */
export function uuidFromName(name: string): string {
  const bytes = createHash('sha1').update(NAMESPACE).update(name).digest().subarray(0, 16)
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function toIdentityRecord(identity: FakeIdentity, now: number): IdentityRecord {
  return {
    id: identity.id ?? uuidFromName(identity.email.toLowerCase()),
    email: identity.email,
    password: identity.password,
    totpCode: identity.totpCode,
    traits: { ...identity.traits, email: identity.email },
    createdAt: now,
    updatedAt: now,
  }
}

/** `available_aal`: any second factor makes it aal2 (FACTS §5, `SetAvailableAAL`). */
export function availableAal(identity: IdentityRecord): 'aal1' | 'aal2' {
  return identity.totpCode === undefined ? 'aal1' : 'aal2'
}

/**
 * The identity as Kratos marshals it, in Go field order; `credentials` and `metadata_admin`
 * are never sent (FACTS §1, identity.go MarshalJSON).
 */
export function identityJson(identity: IdentityRecord, publicUrl: string): Record<string, unknown> {
  const created = goTime(identity.createdAt)
  const updated = goTime(identity.updatedAt)
  return {
    id: identity.id,
    schema_id: 'default',
    schema_url: `${publicUrl}/schemas/ZGVmYXVsdA`,
    state: 'active',
    state_changed_at: created,
    traits: identity.traits,
    verifiable_addresses: [
      {
        id: uuidFromName(`${identity.id}/verifiable`),
        value: identity.email,
        verified: true,
        via: 'email',
        status: 'completed',
        verified_at: created,
        created_at: created,
        updated_at: created,
      },
    ],
    recovery_addresses: [
      {
        id: uuidFromName(`${identity.id}/recovery`),
        value: identity.email,
        via: 'email',
        created_at: created,
        updated_at: created,
      },
    ],
    metadata_public: null,
    created_at: created,
    updated_at: updated,
  }
}
