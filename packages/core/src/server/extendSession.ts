import type { Duration } from '../parseDuration.js'
import type { Session } from '../types.js'
import { requestAdminSession, resolveAdminTarget } from './requestAdminSession.js'
import { validate } from './validate.js'

/**
 * Options of {@link extendSession}.
 *
 * @example
 * const options: ExtendSessionOptions = { sessionId: session.id, adminUrl: 'http://kratos:4434', timeout: '5s' }
 */
export interface ExtendSessionOptions {
  /** The session's id. Take it from {@link getSessionFromRequest}, never from what a client sends. */
  sessionId: string
  /**
   * The Kratos admin API: `http://kratos:4434` self-hosted, `https://<slug>.projects.oryapis.com`
   * on Ory Network. Never reachable from browsers.
   */
  adminUrl: string
  /**
   * The Ory API key, sent as `Authorization: Bearer <apiKey>`. Leave it out for a self-hosted
   * admin port, which has no auth. It never appears in an error, a log or a debug output.
   */
  apiKey?: string
  /** The `fetch` to use, e.g. one with a proxy agent. @default globalThis.fetch */
  fetch?: typeof fetch
  /** How long to wait for Kratos: ms or an Ory duration such as `'5s'`. @default 10_000 */
  timeout?: Duration
}

/**
 * Extends a session through the Kratos admin API (`PATCH /admin/sessions/{id}/extend`) to
 * `now + session.lifespan`, as Kratos does once the session is inside its
 * `earliest_possible_extend` window; outside it Kratos silently changes nothing and still
 * answers success. Server-side only: it needs the admin API and its key.
 *
 * Resolves `null` on 204 (`feature_flags.faster_session_extend`, the default of new Ory
 * Network projects) and the updated Session on 200 (self-hosted default). Rejects with
 * `ServerError` (`status` 400 bad id, 401/403 key refused, 404 unknown or being extended by a
 * concurrent request, 5xx), `NetworkError` (unreachable, timeout) or `InvalidResponseError`
 * (a 200 body that is not a session); with a `TypeError` naming a bad argument.
 *
 * @example
 * import { extendSession, getSessionFromRequest } from '@session-keeper/core/server'
 *
 * const session = await getSessionFromRequest(request, { baseUrl: process.env.KRATOS_PUBLIC_URL })
 * if (session) {
 *   const updated = await extendSession({
 *     sessionId: session.id,
 *     adminUrl: process.env.KRATOS_ADMIN_URL,
 *     apiKey: process.env.ORY_API_KEY,
 *   })
 *   console.log(updated?.expires_at ?? 'extended (204: no body)')
 * }
 */
export async function extendSession(options: ExtendSessionOptions): Promise<Session | null> {
  const where = 'extendSession'
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`[@session-keeper/core/server] ${where}: options must be an object`)
  }
  const sessionId = validate.text(where, 'sessionId', options.sessionId)
  return requestAdminSession(resolveAdminTarget(where, options), 'extend', sessionId)
}
