import { parseSession } from '../parseSession.js'
import { InvalidResponseError, NetworkError, ServerError } from '../SessionKeeperError.js'
import { DEFAULT_TIMEOUT, globalFetch, validate } from './validate.js'

// Calls to the Kratos admin API, shared by extendSession and the extend handler. Private to the
// package. The API key goes into one header of one request and nowhere else: plain `fetch`
// rather than ky (whose HTTPError carries the Request and its headers), no Request or Headers
// on any error, and a fetch failure whose text mentions the key loses that text.

/** A parsed session: `expires_at` and `authenticated_at` are always valid dates. */
export type ParsedSession = ReturnType<typeof parseSession>

/** Where and how to reach the admin API, validated once. */
export interface AdminTarget {
  adminUrl: string
  apiKey: string | undefined
  fetch: typeof fetch
  timeout: number
}

/**
 * Validates the admin options of `where` (the function name, for the TypeError).
 *
 * @example
 * const target = resolveAdminTarget('extendSession', options)
 */
export function resolveAdminTarget(
  where: string,
  options: { adminUrl?: unknown; apiKey?: unknown; fetch?: unknown; timeout?: unknown },
): AdminTarget {
  return {
    adminUrl: validate.httpUrl(where, 'adminUrl', options.adminUrl),
    apiKey: validate.secret(where, 'apiKey', options.apiKey),
    fetch: validate.func(where, 'fetch', options.fetch, globalFetch),
    timeout: validate.duration(where, 'timeout', options.timeout, DEFAULT_TIMEOUT, true),
  }
}

/** Whether `value` (an error, its cause chain, its string properties) contains `secret`. */
function mentions(value: unknown, secret: string, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(secret)
  if (depth > 4 || typeof value !== 'object' || value === null) return false
  const error = value as { message?: unknown; stack?: unknown; cause?: unknown }
  return [error.message, error.stack, error.cause, ...Object.values(value)].some((item) =>
    mentions(item, secret, depth + 1),
  )
}

const STATUS_MEANING: Record<number, string> = {
  400: 'Kratos could not parse the session id (not a UUID)',
  401: 'Kratos refused the admin API key (missing or wrong apiKey)',
  403: 'the admin API key is not allowed to manage sessions of this project',
}

function statusError(status: number, what: string, action: 'extend' | 'get'): ServerError {
  const meaning =
    STATUS_MEANING[status] ??
    (status === 404
      ? action === 'extend'
        ? 'no session has this id, or another request is extending it right now'
        : 'no session has this id'
      : status >= 500
        ? 'the Kratos admin API failed; try again later'
        : status >= 300 && status < 400
          ? 'a redirect, not followed so the API key goes nowhere else: adminUrl must be the admin API itself'
          : 'a status Kratos does not send here')
  return new ServerError(`${what} answered ${status}: ${meaning}`, status)
}

/**
 * `PATCH /admin/sessions/{id}/extend` (`action: 'extend'`) or `GET /admin/sessions/{id}`
 * (`'get'`): the parsed Session of a 200, `null` for the 204 of an extend with
 * `faster_session_extend`. Rejects with a {@link ServerError} for other statuses, a
 * {@link NetworkError} when Kratos cannot be reached in time, an {@link InvalidResponseError}
 * for a body that is not a session.
 *
 * @example
 * const session = await requestAdminSession(target, 'get', id)
 */
export async function requestAdminSession(
  target: AdminTarget,
  action: 'extend' | 'get',
  sessionId: string,
): Promise<ParsedSession | null> {
  const what = action === 'extend' ? 'Kratos admin extend' : 'Kratos admin get session'
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (target.apiKey !== undefined) headers.Authorization = `Bearer ${target.apiKey}`
  const path = `/admin/sessions/${encodeURIComponent(sessionId)}${action === 'extend' ? '/extend' : ''}`
  let response: Response
  try {
    response = await target.fetch(`${target.adminUrl}${path}`, {
      method: action === 'extend' ? 'PATCH' : 'GET',
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(target.timeout),
    })
  } catch (cause) {
    const name = (cause as Error | null)?.name
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new NetworkError(`${what}: the Kratos admin API did not answer within ${target.timeout} ms`)
    }
    const leaks = target.apiKey !== undefined && mentions(cause, target.apiKey)
    const why = leaks ? 'the request failed' : String((cause as Error | null)?.message ?? cause)
    throw new NetworkError(
      `${what}: could not reach the Kratos admin API: ${why}`,
      leaks ? undefined : { cause },
    )
  }
  if (response.status === 204 && action === 'extend') {
    await response.body?.cancel()
    return null
  }
  if (response.status !== 200) {
    await response.body?.cancel()
    throw statusError(response.status, what, action)
  }
  const body: unknown = await response.json().catch(() => {
    throw new InvalidResponseError(`${what} answered 200 with a body that is not JSON`)
  })
  try {
    return parseSession(body)
  } catch (error) {
    throw new InvalidResponseError(
      `${what} answered 200 without a valid session: ${(error as Error).message}`,
    )
  }
}
