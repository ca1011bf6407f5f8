import type { Duration } from '../parseDuration.js'
import type { Session } from '../types.js'
import { forwardWhoami } from './forwardWhoami.js'
import { DEFAULT_TIMEOUT, globalFetch, validate } from './validate.js'

/**
 * Options of {@link getSessionFromRequest}.
 *
 * @example
 * const options: GetSessionFromRequestOptions = { baseUrl: 'https://auth.example.com', timeout: '5s' }
 */
export interface GetSessionFromRequestOptions {
  /** Kratos's public URL (`serve.public.base_url`), e.g. `https://auth.example.com` or `http://kratos:4433`. */
  baseUrl: string
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: typeof fetch
  /** How long to wait for Kratos: ms or an Ory duration such as `'5s'`. @default 10_000 */
  timeout?: Duration
}

/**
 * The Kratos session of an incoming request, asked from Kratos's whoami with only the request's
 * `Cookie` and `X-Session-Token` headers (the two places Kratos reads a session from; nothing
 * else of the request leaves the server). Use its `id` for admin calls, never an id the client
 * sends.
 *
 * Resolves the Session (dates revived by `parseSession`), or `null` when Kratos answers 401 or
 * the request carries neither header (no request is then sent). Rejects with `ServerError`
 * for 403 (the message names Kratos's error id, e.g. `session_aal2_required`) and any other
 * status, `NetworkError` when Kratos cannot be reached in time, `InvalidResponseError` for a
 * body that is not a session.
 *
 * @example
 * // app/api/me/route.ts (Next.js App Router)
 * import { getSessionFromRequest } from '@session-keeper/core/server'
 *
 * export async function GET(request: Request) {
 *   const session = await getSessionFromRequest(request, { baseUrl: process.env.KRATOS_PUBLIC_URL! })
 *   if (!session) return new Response(null, { status: 401 })
 *   return Response.json({ email: session.identity?.traits.email })
 * }
 */
export async function getSessionFromRequest(
  request: Request,
  options: GetSessionFromRequestOptions,
): Promise<Session | null> {
  const where = 'getSessionFromRequest'
  if (typeof (request as Request | null)?.headers?.get !== 'function') {
    throw new TypeError(`[@session-keeper/core/server] ${where}: "request" must be a Fetch API Request`)
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`[@session-keeper/core/server] ${where}: options must be an object`)
  }
  const outcome = await forwardWhoami(request, {
    baseUrl: validate.httpUrl(where, 'baseUrl', options.baseUrl),
    fetch: validate.func(where, 'fetch', options.fetch, globalFetch),
    timeout: validate.duration(where, 'timeout', options.timeout, DEFAULT_TIMEOUT, true),
  })
  if ('error' in outcome) throw outcome.error
  return outcome.session
}
