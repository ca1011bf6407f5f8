import { parseSession } from '../parseSession.js'
import {
  InvalidResponseError,
  NetworkError,
  ServerError,
  type SessionKeeperError,
} from '../SessionKeeperError.js'
import type { ParsedSession } from './requestAdminSession.js'

// whoami on behalf of an incoming request. Private to the package: getSessionFromRequest is the
// public face; the extend handler also needs Kratos's clock and error id, which that hides.

/** What whoami concluded: a session or none (401), or an error and Kratos's error id. */
export type WhoamiOutcome =
  | {
      session: ParsedSession | null
      /** Kratos's clock from the `Date` header (whole seconds), or `null` when unreadable. */
      serverNow: number | null
    }
  | { error: SessionKeeperError; errorId: string | undefined }

/** The incoming headers Kratos reads a session from (FACTS §1); nothing else is forwarded. */
const FORWARDED = ['cookie', 'x-session-token'] as const

/** Kratos's `error.id`, when the body is a herodot error with a plain one. */
const errorIdOf = (body: unknown): string | undefined => {
  const id = (body as { error?: { id?: unknown } } | null)?.error?.id
  return typeof id === 'string' && /^[a-z0-9_]{1,64}$/.test(id) ? id : undefined
}

/**
 * `GET {baseUrl}/sessions/whoami` with only the `Cookie` and `X-Session-Token` of `request`.
 * Never rejects: 200 → session, 401 → `session: null` (also without any credential, with no
 * request sent), anything else → `error`.
 *
 * @example
 * const outcome = await forwardWhoami(request, { baseUrl, fetch, timeout: 10_000 })
 */
export async function forwardWhoami(
  request: Request,
  options: { baseUrl: string; fetch: typeof fetch; timeout: number },
): Promise<WhoamiOutcome> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  for (const name of FORWARDED) {
    const value = request.headers.get(name)
    if (value) headers[name === 'cookie' ? 'Cookie' : 'X-Session-Token'] = value
  }
  if (Object.keys(headers).length === 1) return { session: null, serverNow: null }
  let response: Response
  try {
    response = await options.fetch(`${options.baseUrl}/sessions/whoami`, {
      headers,
      signal: AbortSignal.timeout(options.timeout),
    })
  } catch (cause) {
    const name = (cause as Error | null)?.name
    const why =
      name === 'TimeoutError' || name === 'AbortError'
        ? `did not answer within ${options.timeout} ms`
        : `could not be reached: ${(cause as Error | null)?.message ?? cause}`
    // The cause would carry nothing of the forwarded cookie: fetch errors name the host only.
    return { error: new NetworkError(`Kratos whoami ${why}`, { cause }), errorId: undefined }
  }
  const { status } = response
  const date = Date.parse(response.headers.get('date') ?? '')
  const serverNow = Number.isNaN(date) ? null : date
  if (status === 401) {
    await response.body?.cancel()
    return { session: null, serverNow }
  }
  const text = await response.text().catch(() => '')
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  if (status === 200) {
    if (body === undefined) {
      return {
        error: new InvalidResponseError('Kratos whoami answered 200 with a body that is not JSON'),
        errorId: undefined,
      }
    }
    try {
      return { session: parseSession(body), serverNow }
    } catch (error) {
      return { error: error as InvalidResponseError, errorId: undefined }
    }
  }
  const errorId = errorIdOf(body)
  const meaning =
    status === 403
      ? 'the session does not meet Kratos requirements (e.g. session_aal2_required: a second factor is needed)'
      : status >= 500
        ? 'Kratos failed; try again later'
        : 'a status whoami does not send for a session check'
  return {
    error: new ServerError(
      `Kratos whoami answered ${status}${errorId ? ` ${errorId}` : ''}: ${meaning}`,
      status,
    ),
    errorId,
  }
}
