import type { Context } from './context.js'
import { issueSessionCookie, readSessionCookie } from './cookies.js'
import { aal2Required, badRequest, noSessionFound } from './errors.js'
import { fetchSession } from './fetchSession.js'
import { writeError, writeJson } from './respond.js'
import { satisfiesRequiredAal, sessionJson } from './session.js'

/** Go's `fmt.Sprintf("%0.f", x)`: rounds half to even. */
export function formatSeconds(seconds: number): string {
  const rounded = Math.round(seconds)
  return String(Math.abs(seconds % 1) === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded)
}

/**
 * `GET /sessions/whoami` (`toSession`, session/handler.go:238), following its processing order
 * step by step (FACTS §1). It never extends the session (FACTS §3).
 */
export function whoami(ctx: Context) {
  const { config } = ctx
  const now = ctx.clock.now()
  const fetched = fetchSession(ctx)
  if (!fetched.session) {
    if (config.cacheableSessionsMaxAge !== null && fetched.credentialsMissing)
      ctx.res.setHeader('Ory-Session-Cache-For', '60')
    return writeError(ctx, noSessionFound())
  }
  const { session, identity } = fetched
  if (!satisfiesRequiredAal(config.requiredAal, session, identity)) {
    // whoami passes no request URL, so the redirect carries no return_to (FACTS §1).
    return writeError(ctx, aal2Required(`${config.publicUrl}/self-service/login/browser?aal=aal2`))
  }
  const tokenizeAs = ctx.url.searchParams.get('tokenize_as')
  // The fake has no tokenizer templates, so every one is unknown.
  if (tokenizeAs)
    return writeError(ctx, badRequest({ reason: `Unable to find tokenizer template "${tokenizeAs}".` }))
  ctx.res.setHeader('X-Kratos-Authenticated-Identity-Id', identity.id)
  if (config.cacheableSessionsMaxAge !== null) {
    const cacheFor = Math.min(session.expiresAt - now, config.cacheableSessionsMaxAge)
    ctx.res.setHeader('Ory-Session-Cache-For', formatSeconds(cacheFor / 1000))
  }
  // `RefreshCookie`: only when the request carried the cookie and its expiry lags the session's.
  const cookie = readSessionCookie(ctx)
  if (cookie === null || (cookie && cookie.expires_at < session.expiresAt)) issueSessionCookie(ctx, session)
  writeJson(ctx, 200, sessionJson(session, identity, { now, publicUrl: config.publicUrl }))
}
