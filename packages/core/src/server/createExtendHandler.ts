import type { Duration } from '../parseDuration.js'
import { isServerError } from '../SessionKeeperError.js'
import { createIntervalMemory } from './createIntervalMemory.js'
import { forwardWhoami } from './forwardWhoami.js'
import { isSameSiteRequest } from './isSameSiteRequest.js'
import { jsonResponse } from './jsonResponse.js'
import { requestAdminSession, resolveAdminTarget } from './requestAdminSession.js'
import { validate } from './validate.js'

/**
 * Options of {@link createExtendHandler}.
 *
 * @example
 * const options: ExtendHandlerOptions = {
 *   baseUrl: 'https://auth.example.com',
 *   adminUrl: 'http://kratos:4434',
 *   earliestPossibleExtend: '1h',
 *   minInterval: '5m',
 * }
 */
export interface ExtendHandlerOptions {
  /** Kratos's public URL, for whoami: the session (and its id) always comes from Kratos. */
  baseUrl: string
  /** The Kratos admin API URL; never reachable from browsers. */
  adminUrl: string
  /** The Ory API key (`Authorization: Bearer`); leave out for a self-hosted admin port. Never in any answer. */
  apiKey?: string
  /**
   * Kratos's `session.earliest_possible_extend`, as ms or an Ory duration (`'1h'`). When set,
   * a session with more time left than this is answered `outside_window` without calling the
   * admin API. Left out, every request goes to Kratos, which no-ops outside its window (detected
   * afterwards because `expires_at` does not move).
   */
  earliestPossibleExtend?: Duration
  /**
   * At most one extension per session per `minInterval`; a sooner request gets 200
   * `too_soon` (with `retry_after` in seconds), and one that comes while an extension of the
   * same session is in flight waits for it and gets its answer. Kept in memory, per process: each serverless instance has its own, and
   * Kratos's window still bounds what the extensions can do. `0` turns the limit off.
   * @default '5m'
   */
  minInterval?: Duration
  /**
   * Origins besides the request URL's own that may call the handler, checked only when the
   * browser sends no `Sec-Fetch-Site` (e.g. behind a proxy that rewrites the URL's host).
   * @default []
   */
  allowedOrigins?: string[]
  /** The `fetch` for Kratos. @default globalThis.fetch */
  fetch?: typeof fetch
  /** The local clock in epoch ms, for `minInterval` and when Kratos sends no `Date`. @default Date.now */
  now?: () => number
  /** How long to wait for each Kratos request: ms or an Ory duration. @default 10_000 */
  timeout?: Duration
}

/**
 * Why a session was not extended: not inside Kratos's `earliest_possible_extend` window yet, or
 * extended less than `minInterval` ago.
 *
 * @example
 * if (!body.extended && body.reason === 'too_soon') console.info(`again in ${body.retry_after} s`)
 */
export type NotExtendedReason = 'outside_window' | 'too_soon'

/**
 * Every JSON body the handler answers with (ISO 8601 dates). 200 `{ extended: true }` or
 * `{ extended: false, reason: 'outside_window' }` (`extendable_at` when `earliestPossibleExtend`
 * is set), 200 `{ extended: false, reason: 'too_soon', retry_after }`, and `{ error }` for 401, 403, 405,
 * 500 and 502.
 *
 * @example
 * const body = (await (await fetch('/api/session/extend', { method: 'POST' })).json()) as ExtendResponseBody
 * if ('extended' in body && body.extended) console.log('now expires at', body.expires_at)
 */
export type ExtendResponseBody =
  | { extended: true; expires_at: string }
  | { extended: false; reason: 'outside_window'; expires_at: string; extendable_at?: string }
  | { extended: false; reason: 'too_soon'; expires_at: string; retry_after: number }
  | { error: { id: string; message: string } }

const failure = (status: number, id: string, message: string, headers?: Record<string, string>) =>
  jsonResponse(status, { error: { id, message } } satisfies ExtendResponseBody, headers)
const answer = (status: number, body: ExtendResponseBody, headers?: Record<string, string>) =>
  jsonResponse(status, body, headers)
const iso = (ms: number) => new Date(ms).toISOString()

/**
 * A Fetch API handler (`(request: Request) => Promise<Response>`) that extends the caller's
 * Kratos session through the admin API, so the browser never holds the API key. Fits Next.js
 * route handlers, Hono, Remix, SvelteKit, Bun, Deno and edge runtimes (only `fetch`, `Request`,
 * `Response`, `URL` and `AbortSignal` are used). Options are checked here, with a `TypeError`
 * naming a bad one.
 *
 * For each request: not POST → 405 (`Allow: POST`); cross-site → 403 `cross_site_request`
 * (`Sec-Fetch-Site` must be `same-origin`/`same-site`; without it an `Origin` must be the
 * request's own or in `allowedOrigins`; with neither, a non-browser client, it passes); the
 * session from whoami with the request's `Cookie`/`X-Session-Token`: none → 401, Kratos 403
 * → 403 with Kratos's error id, Kratos down → 502; outside `earliestPossibleExtend` (judged by
 * Kratos's clock from its `Date` header) → 200 `outside_window`, no admin call; within
 * `minInterval` of the last extension → 200 `too_soon` (an extension of the same session still
 * in flight is waited for and its answer shared: two tabs asking at once make one admin call,
 * and neither sees an error in its console); then the admin extend
 * (and on its 204 a `GET /admin/sessions/{id}` for the new `expires_at`): moved → 200
 * `{ extended: true, expires_at }`, unchanged (Kratos no-ops outside its window) → 200
 * `outside_window`, admin error → 502 `extend_failed`. Every answer is JSON with
 * `Cache-Control: no-store`.
 *
 * Ory's warning: `earliest_possible_extend` equal to the lifespan (Kratos's default when it is
 * not set) makes every active session extendable at any time, so a session kept open is never
 * forced to end; set a shorter window in Kratos. `minInterval` bounds the admin calls, per
 * process only (serverless instances each keep their own memory).
 *
 * @example
 * // app/api/session/extend/route.ts (Next.js App Router)
 * import { createExtendHandler } from '@session-keeper/core/server'
 *
 * export const POST = createExtendHandler({
 *   baseUrl: process.env.KRATOS_PUBLIC_URL!,
 *   adminUrl: process.env.KRATOS_ADMIN_URL!,
 *   apiKey: process.env.ORY_API_KEY,
 *   earliestPossibleExtend: '1h',
 * })
 */
/* @__NO_SIDE_EFFECTS__ */
export function createExtendHandler(options: ExtendHandlerOptions): (request: Request) => Promise<Response> {
  const where = 'createExtendHandler'
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`[@session-keeper/core/server] ${where}: options must be an object`)
  }
  const admin = resolveAdminTarget(where, options)
  const baseUrl = validate.httpUrl(where, 'baseUrl', options.baseUrl)
  const extendWindow =
    options.earliestPossibleExtend === undefined
      ? undefined
      : validate.duration(where, 'earliestPossibleExtend', options.earliestPossibleExtend, 0)
  const minInterval = validate.duration(where, 'minInterval', options.minInterval, 300_000)
  const allowedOrigins = validate.origins(where, 'allowedOrigins', options.allowedOrigins)
  const now = validate.func(where, 'now', options.now, () => Date.now())
  const whoami = { baseUrl, fetch: admin.fetch, timeout: admin.timeout }
  const memory = createIntervalMemory(minInterval)
  const inFlight = new Map<string, Promise<[number, ExtendResponseBody]>>()

  async function handle(request: Request): Promise<Response> {
    if (request.method !== 'POST') {
      return failure(405, 'method_not_allowed', 'Extend a session with POST', { Allow: 'POST' })
    }
    if (!isSameSiteRequest(request, allowedOrigins)) {
      return failure(403, 'cross_site_request', 'Cross-site requests may not extend a session')
    }
    const outcome = await forwardWhoami(request, whoami)
    if ('error' in outcome) {
      const { error, errorId } = outcome
      if (isServerError(error) && error.status === 403) {
        return failure(403, errorId ?? 'forbidden', error.message)
      }
      return failure(502, 'kratos_unavailable', `Could not check the session: ${error.message}`)
    }
    const { session, serverNow } = outcome
    if (!session) return failure(401, 'session_inactive', 'No valid session: sign in first')
    const expiresAt = session.expires_at.getTime()
    // Kratos judges the window with its own clock: use it when its `Date` is readable.
    if (extendWindow !== undefined && !(expiresAt - extendWindow < (serverNow ?? now()))) {
      return answer(200, {
        extended: false,
        reason: 'outside_window',
        expires_at: iso(expiresAt),
        extendable_at: iso(expiresAt - extendWindow),
      })
    }
    const pending = inFlight.get(session.id)
    if (pending) return answer(...(await pending))
    const wait = memory.reserve(session.id, now())
    if (wait > 0) {
      return answer(200, {
        extended: false,
        reason: 'too_soon',
        expires_at: iso(expiresAt),
        retry_after: Math.ceil(wait / 1000),
      })
    }
    const extension = extend(session.id, expiresAt)
    inFlight.set(session.id, extension)
    try {
      return answer(...(await extension))
    } finally {
      inFlight.delete(session.id)
    }
  }

  /** The admin extend (and on its 204 a read of the new `expires_at`), as the status and body to answer. */
  async function extend(id: string, expiresAt: number): Promise<[number, ExtendResponseBody]> {
    let extendedTo: number
    try {
      const updated =
        (await requestAdminSession(admin, 'extend', id)) ?? (await requestAdminSession(admin, 'get', id))
      extendedTo = (updated as NonNullable<typeof updated>).expires_at.getTime()
    } catch (error) {
      // A failed attempt extended nothing: the next request may try again.
      memory.release(id)
      const message = `Could not extend the session: ${(error as Error).message}`
      return [502, { error: { id: 'extend_failed', message } }]
    }
    if (extendedTo <= expiresAt) {
      return [200, { extended: false, reason: 'outside_window', expires_at: iso(expiresAt) }]
    }
    return [200, { extended: true, expires_at: iso(extendedTo) }]
  }

  return async (request) => {
    try {
      return await handle(request)
    } catch {
      // Unexpected (e.g. a malformed request URL); the message says nothing of the internals.
      return failure(500, 'internal_error', 'The session could not be extended')
    }
  }
}
