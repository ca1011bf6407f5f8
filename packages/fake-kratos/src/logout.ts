import type { Context } from './context.js'
import { clearSessionCookie } from './cookies.js'
import { generateCsrfToken } from './csrf.js'
import { badRequest, forbidden, KratosError, sessionInactive } from './errors.js'
import { fetchSession } from './fetchSession.js'
import { goEncodeQuery } from './query.js'
import { field, isJsonRequest, readForm } from './request.js'
import { noContent, redirect, writeError, writeJson } from './respond.js'
import { checkReturnTo } from './returnTo.js'
import { forwardError } from './selfServiceErrors.js'

/** Runs `fn`, sending any Kratos error it throws through `errorx.Forward`. */
function forwarding(ctx: Context, fn: () => void): void {
  try {
    fn()
  } catch (error) {
    if (!(error instanceof KratosError)) throw error
    forwardError(ctx, error)
  }
}

/**
 * `GET /self-service/logout/browser[?return_to=]`: 200 `{logout_url, logout_token}`, always JSON.
 * The token is the session's own, so the URL stays valid as long as the session (FACTS §6).
 */
export function createBrowserLogoutFlow(ctx: Context) {
  forwarding(ctx, () => {
    const { session } = fetchSession(ctx)
    if (!session) throw sessionInactive()
    const returnTo = checkReturnTo(ctx.config, ctx.url.searchParams.get('return_to'))
    // Go's url.Values.Encode sorts the keys: return_to comes before token.
    const query = goEncodeQuery({ token: session.logoutToken, return_to: returnTo?.raw })
    writeJson(ctx, 200, {
      logout_url: `${ctx.config.publicUrl}/self-service/logout?${query}`,
      logout_token: session.logoutToken,
    })
  })
}

/**
 * `GET /self-service/logout?token=`: revokes the session, expires the cookie, renews the CSRF
 * cookie; 204 for JSON clients, else 303 to `return_to` or the default return URL (FACTS §6).
 */
export function updateLogoutFlow(ctx: Context) {
  forwarding(ctx, () => {
    const token = ctx.url.searchParams.get('token')
    if (!token) throw badRequest({ reason: 'Please include a token in the URL query.' })
    const { session } = fetchSession(ctx)
    if (!session) throw sessionInactive()
    if (session.logoutToken !== token) {
      throw forbidden({
        reason:
          'Unable to log out because the logout token in the URL query does not match the session cookie.',
      })
    }
    session.active = false
    clearSessionCookie(ctx)
    generateCsrfToken(ctx, true)
    if (isJsonRequest(ctx.req)) return noContent(ctx)
    const returnTo = checkReturnTo(ctx.config, ctx.url.searchParams.get('return_to'))
    redirect(ctx, returnTo?.url ?? ctx.config.defaultReturnUrl)
  })
}

/** `DELETE /self-service/logout/api` with `{"session_token": …}`: 204, also when already revoked. */
export async function performNativeLogout(ctx: Context): Promise<void> {
  const session = ctx.store.sessionByToken(field(await readForm(ctx.req), 'session_token'))
  if (!session) {
    return writeError(
      ctx,
      forbidden({
        reason: 'The provided Ory Session Token could not be found, is invalid, or otherwise malformed.',
      }),
    )
  }
  session.active = false
  noContent(ctx)
}
