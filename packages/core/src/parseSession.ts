import { InvalidResponseError } from './SessionKeeperError.js'
import type { Session } from './types.js'

const DATES = ['expires_at', 'authenticated_at', 'issued_at'] as const

const toDate = (value: unknown) => {
  const date = typeof value === 'string' || value instanceof Date ? new Date(value) : null
  return date && !Number.isNaN(date.getTime()) ? date : null
}

/**
 * Validates a whoami body (or an `initialSession`) and returns it as a {@link Session} with
 * `Date` timestamps. Anything without a string `id` and parseable `expires_at` and
 * `authenticated_at` is an {@link InvalidResponseError}: never a crash, never a sign-out.
 *
 * @example
 * const session = parseSession(await response.json())
 * session.expires_at.getTime()
 */
export function parseSession(body: unknown): Session & { expires_at: Date; authenticated_at: Date } {
  const raw = body as Record<string, unknown> | null
  if (typeof raw !== 'object' || raw === null || typeof raw.id !== 'string' || !raw.id) {
    throw new InvalidResponseError('Invalid session: expected an object with a string "id"')
  }
  const session: Record<string, unknown> = { ...raw }
  for (const key of DATES) {
    if (raw[key] === undefined && key === 'issued_at') continue
    const date = toDate(raw[key])
    if (!date)
      throw new InvalidResponseError(`Invalid session: "${key}" is not a date: ${JSON.stringify(raw[key])}`)
    session[key] = date
  }
  return session as unknown as Session & { expires_at: Date; authenticated_at: Date }
}
