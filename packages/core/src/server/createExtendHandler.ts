import { isServerError } from '../SessionKeeperError.js'
import type { ExtendHandlerOptions } from './ExtendHandlerOptions.js'
import type { ExtendResponseBody } from './ExtendResponseBody.js'
import { forwardWhoami } from './forwardWhoami.js'
import { isSameSiteRequest } from './isSameSiteRequest.js'
import { jsonResponse } from './jsonResponse.js'
import { requestAdminSession } from './requestAdminSession.js'
import { resolveExtendHandlerOptions } from './resolveExtendHandlerOptions.js'

// Re-exported so the types stay importable from where they were first declared.
export type { ExtendHandlerOptions } from './ExtendHandlerOptions.js'
export type { ExtendResponseBody, NotExtendedReason } from './ExtendResponseBody.js'

type Outcome = [status: number, body: ExtendResponseBody]

const failure = (status: number, id: string, message: string, headers?: Record<string, string>) =>
  jsonResponse(status, { error: { id, message } } satisfies ExtendResponseBody, headers)
const answer = (status: number, body: ExtendResponseBody, headers?: Record<string, string>) =>
  jsonResponse(status, body, headers)
const iso = (ms: number) => new Date(ms).toISOString()
const tooSoon = (expiresAt: number, wait: number): ExtendResponseBody => ({
  extended: false,
  reason: 'too_soon',
  expires_at: iso(expiresAt),
  retry_after: Math.ceil(wait / 1000),
})

/**
 * A Fetch API handler (`(request: Request) => Promise<Response>`) that extends the caller's
 * Kratos session through the admin API, so the browser never holds the API key. Fits Next.js
 * route handlers, Hono, Remix, SvelteKit, Bun, Deno and edge runtimes (only `fetch`, `Request`,
 * `Response`, `URL` and `AbortSignal` are used). Options are checked here, with a `TypeError`
 * naming a bad one.
 *
 * For each request: not POST → 405 (`Allow: POST`); cross-site → 403 `cross_site_request`
 * (`Sec-Fetch-Site` must be `same-origin`/`same-site`; without it an `Origin` must be the
 * request's own or in `allowedOrigins`; with neither, a non-browser client, it passes unless
 * its body is form-encoded, multipart or text/plain, as an old browser's cross-site form); the
 * session from whoami with the request's `Cookie`/`X-Session-Token`: none → 401, Kratos 403
 * → 403 with Kratos's error id, Kratos down → 502; outside `earliestPossibleExtend` (judged by
 * Kratos's clock from its `Date` header) → 200 `outside_window`, no admin call; within
 * `minInterval` of the last extension (a claim in `claimStore`) → 200 `too_soon` (an extension
 * of the same session still in flight in this process is waited for and its answer shared: two
 * tabs asking at once make one admin call, and neither sees an error in its console); then the
 * admin extend
 * (and on its 204 a `GET /admin/sessions/{id}` for the new `expires_at`): moved → 200
 * `{ extended: true, expires_at }`, unchanged (Kratos no-ops outside its window) → 200
 * `outside_window`, admin error → 502 `extend_failed`. Every answer is JSON with
 * `Cache-Control: no-store`.
 *
 * Ory's warning: `earliest_possible_extend` equal to the lifespan (Kratos's default when it is
 * not set) makes every active session extendable at any time, so a session kept open is never
 * forced to end; set a shorter window in Kratos. `minInterval` bounds the admin calls: per
 * process with the default memory store, across every instance with a shared `claimStore`
 * (which, when it fails or is slower than `claimTimeout`, gives way to per-process memory and
 * is reported to `onError`; the user's request is answered all the same).
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
  const { admin, whoami, extendWindow, minInterval, allowedOrigins, now, claims } =
    resolveExtendHandlerOptions(options)
  const inFlight = new Map<string, Promise<Outcome>>()

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
    // Set before the first await of the attempt, so every request of this process that comes
    // meanwhile shares it (and its one claim and one admin call).
    let attempt = inFlight.get(session.id)
    if (!attempt) {
      attempt = claimAndExtend(session.id, expiresAt).finally(() => inFlight.delete(session.id))
      inFlight.set(session.id, attempt)
    }
    return answer(...(await attempt))
  }

  /** The `minInterval` claim, then the admin extend, as the status and body to answer. */
  async function claimAndExtend(id: string, expiresAt: number): Promise<Outcome> {
    if (minInterval > 0) {
      const claim = await claims.claim(id, Math.ceil(minInterval))
      if (!claim.claimed) return [200, tooSoon(expiresAt, claim.retryAfter)]
    }
    let extendedTo: number
    try {
      const updated =
        (await requestAdminSession(admin, 'extend', id)) ?? (await requestAdminSession(admin, 'get', id))
      extendedTo = (updated as NonNullable<typeof updated>).expires_at.getTime()
    } catch (error) {
      // A failed attempt extended nothing: the next request may try again.
      if (minInterval > 0) await claims.release(id)
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
