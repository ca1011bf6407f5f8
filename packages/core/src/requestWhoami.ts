import type { KyInstance } from 'ky'
import { parseSession } from './parseSession.js'
import {
  type InvalidResponseError,
  NetworkError,
  RateLimitedError,
  ServerError,
  type SessionKeeperError,
} from './SessionKeeperError.js'
import type { Session } from './types.js'

/** What one whoami request concluded, with the timing facts the scheduler needs. */
export type WhoamiAnswer = (
  | { type: 'session'; session: Session }
  | { type: 'signed-out' }
  | { type: 'aal2-required'; redirectTo: unknown }
  | { type: 'error'; error: SessionKeeperError; retryAfter: number | null }
) & {
  /** Server time minus local time from `Date`, or `null` when the header is not readable. */
  skew: number | null
  /** `Ory-Session-Cache-For` in ms, or 0. */
  cacheFor: number
}

/** `Retry-After` as a delay in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfter(header: string | null, now: number): number | null {
  if (!header) return null
  const delay = /^\d+$/.test(header) ? Number(header) * 1000 : Date.parse(header) - now
  return Number.isFinite(delay) ? Math.max(0, delay) : null
}

/**
 * One `GET /sessions/whoami`, mapped onto what the keeper does with it (DESIGN §3): 200 with a
 * valid body is a session, 401 (whatever the body) a sign-out, 403 `session_aal2_required` a
 * step-up; everything else (network, timeout, 5xx, 429, other 4xx, a bad body) is an error
 * that must never sign the user out. Never rejects.
 */
export async function requestWhoami(http: KyInstance, now: () => number): Promise<WhoamiAnswer> {
  const sentAt = now()
  let response: Response
  try {
    response = await http.get('sessions/whoami')
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message
    return {
      type: 'error',
      error: new NetworkError(`whoami failed: ${reason}`, { cause: error }),
      retryAfter: null,
      skew: null,
      cacheFor: 0,
    }
  }
  const receivedAt = now()
  const date = Date.parse(response.headers.get('date') ?? '')
  // `Date` has whole seconds: the server's clock was somewhere in [date, date + 1 s).
  const skew = Number.isNaN(date) ? null : Math.round(date + 500 - (sentAt + receivedAt) / 2)
  const cacheFor = Number(response.headers.get('ory-session-cache-for')) * 1000 || 0
  const meta = { skew, cacheFor }
  const body: unknown = await response.json().catch(() => undefined)
  const { status } = response
  try {
    if (status === 200) return { type: 'session', session: parseSession(body), ...meta }
    if (status === 401) return { type: 'signed-out', ...meta }
    const error = (body as { error?: { id?: unknown } } | undefined)?.error
    if (status === 403 && error?.id === 'session_aal2_required') {
      return {
        type: 'aal2-required',
        redirectTo: (body as { redirect_browser_to?: unknown }).redirect_browser_to,
        ...meta,
      }
    }
    const wait = retryAfter(response.headers.get('retry-after'), receivedAt)
    const message = `whoami answered ${status}`
    return {
      type: 'error',
      error: status === 429 ? new RateLimitedError(message, wait) : new ServerError(message, status),
      retryAfter: wait,
      ...meta,
    }
  } catch (error) {
    return { type: 'error', error: error as InvalidResponseError, retryAfter: null, ...meta }
  }
}
