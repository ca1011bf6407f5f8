import type { Context } from './context.js'
import { badRequest, resourceNotFound, unauthorized } from './errors.js'
import { noContent, writeError, writeJson } from './respond.js'
import { type SessionRecord, sessionJson } from './session.js'

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i

/**
 * The session of the `{id}` path parameter, or the error written: 401 without the API key (when
 * one is set, as on Ory Network), 400 `could not parse UUID`, 404 unknown (FACTS §3).
 */
function adminSession(ctx: Context, rawId: string): SessionRecord | null {
  const { apiKey } = ctx.config
  if (apiKey !== undefined) {
    const [scheme, key, ...rest] = (ctx.req.headers.authorization ?? '').split(' ')
    if (scheme?.toLowerCase() !== 'bearer' || key !== apiKey || rest.length > 0) {
      writeError(
        ctx,
        unauthorized({ reason: 'The request needs a valid API key: Authorization: Bearer <key>.' }),
      )
      return null
    }
  }
  const id = decodeURIComponent(rawId)
  if (!UUID.test(id)) {
    // gofrs/uuid's parse error as the message.
    const why = id.length === 36 || id.length === 32 ? 'format' : `length ${id.length}`
    writeError(
      ctx,
      badRequest({
        reason: 'could not parse UUID',
        message: `uuid: incorrect UUID ${why} in string ${JSON.stringify(id)}`,
      }),
    )
    return null
  }
  const canonical = id
    .toLowerCase()
    .replace(/-/g, '')
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')
  const session = ctx.store.sessions.get(canonical)
  if (!session) writeError(ctx, resourceNotFound())
  return session ?? null
}

const adminSessionJson = (ctx: Context, session: SessionRecord) =>
  sessionJson(session, ctx.store.identities.get(session.identityId) ?? null, {
    now: ctx.clock.now(),
    publicUrl: ctx.config.publicUrl,
  })

/**
 * `PATCH /admin/sessions/{id}/extend`: `expires_at = now + lifespan` once the session is inside
 * the `earliestPossibleExtend` window, else a silent no-op. Checks neither expiry nor revocation,
 * so an expired session comes back and a revoked one stays revoked. 204 with
 * `fasterSessionExtend`, else 200 + Session (FACTS §3).
 */
export function extendSession(ctx: Context, id: string) {
  const session = adminSession(ctx, id)
  if (!session) return
  const now = ctx.clock.now()
  // `CanBeRefreshed` (session.go:353).
  if (session.expiresAt - ctx.config.earliestPossibleExtend < now)
    session.expiresAt = now + ctx.config.lifespan
  if (ctx.config.fasterSessionExtend) return noContent(ctx)
  writeJson(ctx, 200, adminSessionJson(ctx, session))
}

/** `GET /admin/sessions/{id}`: the session with its identity. */
export function getSession(ctx: Context, id: string) {
  const session = adminSession(ctx, id)
  if (session) writeJson(ctx, 200, adminSessionJson(ctx, session))
}
