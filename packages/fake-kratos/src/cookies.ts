import { randomBytes } from 'node:crypto'
import type { Context } from './context.js'
import { getCookie } from './request.js'
import type { SessionRecord } from './session.js'

/** Adds a `Set-Cookie` header without dropping earlier ones (session and CSRF cookies can go together). */
export function appendSetCookie(ctx: Context, cookie: string): void {
  const previous = ctx.res.getHeader('Set-Cookie')
  ctx.res.setHeader('Set-Cookie', [...(Array.isArray(previous) ? previous : []), cookie])
}

/**
 * A cookie in the attribute order Go's `http.Cookie.String` writes, with gorilla's `Expires`
 * beside `Max-Age` and `Domain` when `cookieDomain` is set. `maxAge < 0` deletes it (`Max-Age=0`, expired in 1970), as Kratos's purge does.
 */
export function serializeCookie(ctx: Context, name: string, value: string, maxAge: number): string {
  const expires = maxAge < 0 ? 1000 : ctx.clock.now() + maxAge * 1000
  const secure = ctx.config.publicUrl.startsWith('https:') ? '; Secure' : ''
  const domain = ctx.config.cookieDomain ? `; Domain=${ctx.config.cookieDomain}` : ''
  return `${name}=${value}; Path=/${domain}; Expires=${new Date(expires).toUTCString()}; Max-Age=${Math.max(maxAge, 0)}; HttpOnly${secure}; SameSite=Lax`
}

interface SessionCookie {
  session_token: string
  expires_at: number
  nonce: string
}

/**
 * The session cookie value. Kratos's is an encrypted securecookie holding `session_token`,
 * `expires_at` and `nonce` (FACTS §1, §7); clients only round-trip it, so base64url JSON will do.
 */
export function sessionCookieValue(session: SessionRecord): string {
  const cookie: SessionCookie = {
    session_token: session.token,
    expires_at: session.expiresAt,
    nonce: randomBytes(8).toString('hex'),
  }
  return Buffer.from(JSON.stringify(cookie)).toString('base64url')
}

/** The session cookie as sent: `undefined` when absent, `null` when present but unreadable. */
export function readSessionCookie(ctx: Context): SessionCookie | null | undefined {
  const raw = getCookie(ctx.req, ctx.config.cookieName)
  if (raw === undefined) return undefined
  try {
    const cookie = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as SessionCookie
    return typeof cookie.session_token === 'string' && typeof cookie.expires_at === 'number' ? cookie : null
  } catch {
    return null
  }
}

/** `IssueCookie`: persistent, `Max-Age` = whole seconds until `expires_at` (manager_http.go:188-196). */
export function issueSessionCookie(ctx: Context, session: SessionRecord): void {
  const maxAge = Math.trunc((session.expiresAt - ctx.clock.now()) / 1000)
  appendSetCookie(ctx, serializeCookie(ctx, ctx.config.cookieName, sessionCookieValue(session), maxAge))
}

/** `PurgeFromRequest`: the cookie with `MaxAge=-1`. */
export function clearSessionCookie(ctx: Context): void {
  appendSetCookie(ctx, serializeCookie(ctx, ctx.config.cookieName, '', -1))
}
