import { randomUUID } from 'node:crypto'
import { authenticateLogin, writeLoginFlowError } from './authenticateLogin.js'
import type { Context } from './context.js'
import { issueSessionCookie } from './cookies.js'
import { csrfCookieToken, csrfError, ensureFlowCsrf, sameCsrfToken } from './csrf.js'
import {
  aal1Required,
  alreadyLoggedIn,
  browserLocationChangeRequired,
  flowExpired,
  gone,
  KratosError,
  resourceNotFound,
} from './errors.js'
import { fetchSession } from './fetchSession.js'
import type { LoginFlow } from './flows.js'
import { goTime } from './json.js'
import { createLoginFlow, loginFlowJson } from './loginFlow.js'
import { loginUiUrl } from './loginPage.js'
import { goEncodeQuery } from './query.js'
import { acceptsJson, isJsonRequest, readForm } from './request.js'
import { redirect, writeError, writeJson } from './respond.js'
import { forwardError } from './selfServiceErrors.js'
import { type SessionRecord, satisfiesRequiredAal, sessionAal, sessionJson } from './session.js'
import { TEXT } from './ui.js'

const returnUrl = (ctx: Context, flow: LoginFlow) => flow.returnTo?.url ?? ctx.config.defaultReturnUrl

/**
 * `GET /self-service/login/browser`: 303 to the login UI, or the flow as JSON for
 * `Accept: application/json`. Already signed in: 303 to `return_to` or JSON 400 (FACTS §2).
 */
export function createBrowserLoginFlow(ctx: Context) {
  let flow: LoginFlow
  try {
    flow = createLoginFlow(ctx, 'browser')
  } catch (error) {
    if (!(error instanceof KratosError)) throw error
    if (error.error.id !== 'session_already_available') return forwardError(ctx, error)
    if (acceptsJson(ctx.req)) return writeError(ctx, error)
    const returnTo = ctx.url.searchParams.get('return_to')
    // return_to was validated before the session check, so it is safe here.
    return redirect(
      ctx,
      returnTo ? new URL(returnTo, ctx.config.defaultReturnUrl).href : ctx.config.defaultReturnUrl,
    )
  }
  if (acceptsJson(ctx.req)) return writeJson(ctx, 200, loginFlowJson(flow))
  redirect(ctx, loginUiUrl(ctx, flow))
}

/** `GET /self-service/login/api`: always JSON, no CSRF. */
export function createNativeLoginFlow(ctx: Context) {
  writeJson(ctx, 200, loginFlowJson(createLoginFlow(ctx, 'api')))
}

/** `GET /self-service/login/flows?id=`: 404, 403 on a CSRF mismatch for browser flows, 410 once expired. */
export function getLoginFlow(ctx: Context) {
  const flow = ctx.store.loginFlows.get(ctx.url.searchParams.get('id') ?? '')
  if (!flow) return writeError(ctx, resourceNotFound())
  // Browser flows are only shown to the browser that made them (ory/kratos#1282).
  if (flow.type === 'browser' && !sameCsrfToken(csrfCookieToken(ctx), flow.csrfToken)) {
    return writeError(ctx, csrfError(ctx, String(ctx.req.headers['x-csrf-token'] ?? '')))
  }
  if (flow.expiresAt < ctx.clock.now()) {
    const { publicUrl } = ctx.config
    const id = 'self_service_flow_expired'
    if (flow.type === 'api') {
      return writeError(
        ctx,
        gone({
          id,
          reason:
            'The login flow has expired. Call the login flow init API endpoint to initialize a new login flow.',
          details: { api: `${publicUrl}/self-service/login/api` },
        }),
      )
    }
    const query = flow.returnTo ? `?${goEncodeQuery({ return_to: flow.returnTo.raw })}` : ''
    return writeError(
      ctx,
      gone({
        id,
        reason:
          'The login flow has expired. Redirect the user to the login flow init endpoint to initialize a new login flow.',
        details: {
          redirect_to: `${publicUrl}/self-service/login/browser${query}`,
          return_to: flow.returnTo?.raw ?? '',
        },
      }),
    )
  }
  writeJson(ctx, 200, loginFlowJson(flow))
}

/**
 * login/error.go `WriteFlowError`: a 400 becomes a message on the flow (container.ParseError),
 * anything else is forwarded (API flows always get JSON, with the error's status).
 */
function flowError(ctx: Context, flow: LoginFlow, error: KratosError) {
  const { code, reason = error.error.message } = error.error
  if (code === 400) return writeLoginFlowError(ctx, flow, [TEXT.generic(reason)])
  flow.type === 'api' ? writeError(ctx, error) : forwardError(ctx, error)
}

/** An expired flow is replaced by a new one made from its original request (login/error.go). */
function replaceExpiredFlow(ctx: Context, flow: LoginFlow) {
  const now = ctx.clock.now()
  const minutes = ((now - flow.expiresAt) / 60_000).toFixed(2)
  const replacement = createLoginFlow({ ...ctx, url: new URL(flow.requestUrl) }, flow.type, [
    TEXT.loginExpired(minutes),
  ])
  if (flow.type === 'browser' && !isJsonRequest(ctx.req)) return redirect(ctx, loginUiUrl(ctx, replacement))
  writeError(ctx, flowExpired(goTime(flow.expiresAt), now - flow.expiresAt, replacement.id))
}

/**
 * `POST /self-service/login?flow=` with `password` (`identifier`, `password`) or `totp`
 * (`totp_code`), form-encoded or JSON. Refresh and step-up keep the session (same id and token),
 * reset `authenticated_at`, extend `expires_at`, append the method; `issued_at` stays stored as it
 * was. Then the whoami AAL check may ask for aal2 (422 / 303) with the cookie already set (FACTS §2).
 */
export async function updateLoginFlow(ctx: Context): Promise<void> {
  const flow = ctx.store.loginFlows.get(ctx.url.searchParams.get('flow') ?? '')
  if (!flow) return forwardError(ctx, resourceNotFound())
  const form = await readForm(ctx.req)
  // handler.go updateLoginFlow: the session first, then expiry, then the strategy (CSRF inside).
  const current = fetchSession(ctx).session
  // 'aal1' < 'aal2' as strings, as the levels compare in Go.
  if (current && !flow.refresh && flow.requestedAal <= sessionAal(current)) {
    if (flow.type === 'browser' && !isJsonRequest(ctx.req)) return redirect(ctx, ctx.config.defaultReturnUrl)
    return flowError(ctx, flow, alreadyLoggedIn())
  }
  if (!current && flow.requestedAal === 'aal2') return flowError(ctx, flow, aal1Required())
  if (flow.expiresAt < ctx.clock.now()) return replaceExpiredFlow(ctx, flow)
  try {
    ensureFlowCsrf(ctx, flow.type, form)
  } catch (error) {
    return flowError(ctx, flow, error as KratosError)
  }
  const proven = authenticateLogin(ctx, flow, form, current)
  if (!proven) return
  const { identity, method } = proven
  const { config } = ctx
  const now = ctx.clock.now()
  const reuse =
    current !== null &&
    current.identityId === identity.id &&
    !(flow.refresh && config.refreshCreatesNewSession && method.aal === 'aal1')
  let session: SessionRecord
  if (reuse) {
    session = current
    session.authenticatedAt = now
    session.expiresAt = now + config.lifespan
    session.methods.push(method)
  } else {
    const userAgent = ctx.req.headers['user-agent']
    session = ctx.store.createSession(identity, [method], now, config.lifespan, {
      id: randomUUID(),
      ip_address: ctx.req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? null,
      user_agent: userAgent ?? null,
      location: null,
    })
  }
  flow.state = 'passed_challenge'
  // The answer shows the in-memory issued_at; the stored one is kept (persister_session.go:275).
  const context = { now, publicUrl: config.publicUrl, issuedAt: now }
  if (flow.type === 'browser') issueSessionCookie(ctx, session)

  const satisfied = satisfiesRequiredAal(config.requiredAal, session, identity)
  if (flow.type === 'api') {
    return writeJson(ctx, 200, {
      session_token: session.token,
      session: sessionJson(session, satisfied ? identity : null, context),
      continue_with: [{ action: 'set_ory_session_token', ory_session_token: session.token }],
    })
  }
  if (!satisfied) {
    const stepUp = `${config.publicUrl}/self-service/login/browser?${goEncodeQuery({ aal: 'aal2', return_to: flow.returnTo?.raw })}`
    if (isJsonRequest(ctx.req)) return writeError(ctx, browserLocationChangeRequired(stepUp))
    return redirect(ctx, stepUp)
  }
  if (!isJsonRequest(ctx.req)) return redirect(ctx, returnUrl(ctx, flow))
  writeJson(ctx, 200, {
    session: sessionJson(session, identity, context),
    continue_with: flow.returnTo
      ? [{ action: 'redirect_browser_to', redirect_browser_to: flow.returnTo.url }]
      : [],
  })
}
