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

/**
 * What one whoami request concluded: a `status` for a conclusive answer, or an `error` for
 * anything that must not change who is signed in; plus the timing facts the scheduler needs.
 */
export interface WhoamiAnswer {
  status?: 'authenticated' | 'unauthenticated' | 'aal2-required'
  session?: Session
  /** Kratos's `redirect_browser_to` of a 403 `session_aal2_required`, unchecked. */
  redirectTo?: unknown
  error?: SessionKeeperError
  /** `Retry-After` in ms, when the server sent one with an error. */
  retryAfter?: number | null
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
  } catch (cause) {
    // ky's TimeoutError says "Request timed out"; fetch's TypeError says why it failed.
    return {
      error: new NetworkError(`whoami failed: ${(cause as Error).message}`, { cause }),
      skew: null,
      cacheFor: 0,
    }
  }
  const receivedAt = now()
  const { status, headers } = response
  const date = Date.parse(headers.get('date') ?? '')
  const answer: WhoamiAnswer = {
    // `Date` has whole seconds: the server's clock was somewhere in [date, date + 1 s).
    skew: Number.isNaN(date) ? null : Math.round(date + 500 - (sentAt + receivedAt) / 2),
    cacheFor: Number(headers.get('ory-session-cache-for')) * 1000 || 0,
  }
  const body = await response.json().catch(() => undefined)
  if (status === 401) answer.status = 'unauthenticated'
  else if (status === 403 && body?.error?.id === 'session_aal2_required') {
    answer.status = 'aal2-required'
    answer.redirectTo = body.redirect_browser_to
  } else if (status === 200) {
    try {
      answer.session = parseSession(body)
      answer.status = 'authenticated'
    } catch (error) {
      answer.error = error as InvalidResponseError
    }
  } else {
    const wait = retryAfter(headers.get('retry-after'), receivedAt)
    const message = `whoami answered ${status}`
    answer.error = status === 429 ? new RateLimitedError(message, wait) : new ServerError(message, status)
    answer.retryAfter = wait
  }
  return answer
}
