import { InvalidResponseError } from './SessionKeeperError.js'
import type { Session } from './types.js'

/** Turns every `…_at` string into a `Date`, as `@ory/client-fetch` does, except in user-defined data. */
function revive(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return key.endsWith('_at') ? new Date(value) : value
  if (
    !value ||
    typeof value !== 'object' ||
    value instanceof Date ||
    key === 'traits' ||
    key.startsWith('metadata')
  ) {
    return value
  }
  if (Array.isArray(value)) return value.map((item) => revive(item))
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, revive(item, name)]))
}

/**
 * Validates a whoami body (or an `initialSession`) and returns it as a {@link Session} with
 * `Date` timestamps. Anything without a string `id` and valid `expires_at` and
 * `authenticated_at`, or nested too deeply to serialise, is an {@link InvalidResponseError}:
 * never a crash, never a sign-out.
 *
 * @example
 * const session = parseSession(await response.json())
 * session.expires_at.getTime()
 */
export function parseSession(body: unknown): Session & { expires_at: Date; authenticated_at: Date } {
  let session: Session
  try {
    // The keeper compares and sends sessions as JSON: a body nested past the stack (a hostile
    // tab message, a broken proxy) would throw there, out of reach; it is refused here instead.
    session = revive(body) as Session
    JSON.stringify(session)
  } catch {
    throw new InvalidResponseError('Invalid session: too deep')
  }
  for (const key of ['id', 'expires_at', 'authenticated_at'] as const) {
    const value = session?.[key]
    if (
      key === 'id' ? typeof value !== 'string' || !value : !(value instanceof Date) || Number.isNaN(+value)
    ) {
      throw new InvalidResponseError(`Invalid session: bad "${key}"`)
    }
  }
  return session as Session & { expires_at: Date; authenticated_at: Date }
}
