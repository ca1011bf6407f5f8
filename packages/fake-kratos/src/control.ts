import type { Context, FakeState } from './context.js'
import { sessionCookieValue } from './cookies.js'
import { validateFault } from './faults.js'
import { goTime } from './json.js'
import { readRaw } from './request.js'
import { noContent, writeJson } from './respond.js'
import { type AuthenticationMethod, type KratosSession, sessionJson } from './session.js'

/** Prefix of the control API; never a Kratos path. */
export const CONTROL_PREFIX = '/__fake/'

/**
 * What creating a session through the control API gives: the session and both ways to send it.
 *
 * @example
 * const { cookie, sessionToken } = kratos.createSession('mfa@example.com', { aal: 'aal2' })
 * await fetch(`${kratos.url}/sessions/whoami`, { headers: { cookie } })
 * await fetch(`${kratos.url}/sessions/whoami`, { headers: { 'X-Session-Token': sessionToken } })
 */
export interface CreatedSession {
  session: KratosSession
  /** For `X-Session-Token` or `Authorization: Bearer`. */
  sessionToken: string
  /** `name=value`, usable as a `Cookie` header. */
  cookie: string
}

/** Signs an identity in without a login flow (password, plus TOTP for aal2). Throws a TypeError for bad input. */
export function createSessionFor(state: FakeState, email: unknown, aal: unknown = 'aal1'): CreatedSession {
  if (typeof email !== 'string') throw new TypeError('identity must be the email of a configured identity')
  const identity = state.store.identityByEmail(email)
  if (!identity) throw new TypeError(`identity ${JSON.stringify(email)} is not configured`)
  if (aal !== 'aal1' && aal !== 'aal2')
    throw new TypeError(`aal must be "aal1" or "aal2", got ${JSON.stringify(aal)}`)
  const now = state.clock.now()
  const methods: AuthenticationMethod[] = [{ method: 'password', aal: 'aal1', completedAt: now }]
  if (aal === 'aal2') methods.push({ method: 'totp', aal: 'aal2', completedAt: now })
  const session = state.store.createSession(identity, methods, now, state.config.lifespan)
  return {
    session: sessionJson(session, identity, { now, publicUrl: state.config.publicUrl }),
    sessionToken: session.token,
    cookie: `${state.config.cookieName}=${sessionCookieValue(session)}`,
  }
}

/** Revokes a session as a logout would; returns false for an unknown id. */
export function revokeSessionById(state: FakeState, id: string): boolean {
  const session = state.store.sessions.get(id)
  if (session) session.active = false
  return session !== undefined
}

const fail = (ctx: Context, status: number, error: string) => writeJson(ctx, status, { error })

async function readJson(ctx: Context): Promise<Record<string, unknown>> {
  const raw = await readRaw(ctx.req)
  const parsed: unknown = raw.trim() ? JSON.parse(raw) : {}
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new TypeError('body must be a JSON object')
  return parsed as Record<string, unknown>
}

/**
 * The control API under `/__fake/` (JSON in and out, never counted in stats): clock, faults,
 * sessions and stats. Bad input answers 400 `{"error": "<what is wrong>"}`.
 */
export async function control(ctx: Context): Promise<void> {
  const route = `${ctx.req.method} ${ctx.url.pathname.slice(CONTROL_PREFIX.length - 1)}`
  const revoke = /^POST \/sessions\/([^/]+)\/revoke$/.exec(route)
  try {
    if (route === 'GET /clock') return writeJson(ctx, 200, { now: goTime(ctx.clock.now()) })
    if (route === 'POST /clock') {
      const body = await readJson(ctx)
      if ('advance' in body) ctx.clock.advance(body.advance as number)
      else if ('set' in body) ctx.clock.set(body.set as string)
      else throw new TypeError('body needs "advance" (ms) or "set" (ISO 8601 date)')
      return writeJson(ctx, 200, { now: goTime(ctx.clock.now()) })
    }
    if (route === 'POST /faults')
      return writeJson(ctx, 201, ctx.faults.add(validateFault(await readJson(ctx))))
    if (route === 'DELETE /faults') {
      ctx.faults.clear()
      return noContent(ctx)
    }
    if (route === 'POST /sessions') {
      const body = await readJson(ctx)
      const created = createSessionFor(ctx, body.identity, body.aal ?? 'aal1')
      return writeJson(ctx, 201, {
        session: created.session,
        session_token: created.sessionToken,
        cookie: created.cookie,
      })
    }
    if (revoke) {
      if (!revokeSessionById(ctx, decodeURIComponent(revoke[1] as string)))
        return fail(ctx, 404, 'unknown session id')
      return noContent(ctx)
    }
    if (route === 'GET /stats') return writeJson(ctx, 200, ctx.stats.snapshot())
    if (route === 'DELETE /stats') {
      ctx.stats.reset()
      return noContent(ctx)
    }
    fail(ctx, 404, `unknown control route ${ctx.req.method} ${ctx.url.pathname}`)
  } catch (error) {
    if (error instanceof TypeError || error instanceof SyntaxError) return fail(ctx, 400, error.message)
    throw error
  }
}
