import type { Context } from './context.js'
import {
  aal2Required,
  gone,
  identityMismatch,
  type KratosError,
  resourceNotFound,
  sessionInactive,
  unauthorized,
} from './errors.js'
import { fetchSession } from './fetchSession.js'
import type { SettingsFlow } from './flows.js'
import type { IdentityRecord } from './identity.js'
import { LOGIN_UI_PATH } from './loginPage.js'
import { goEncodeQuery } from './query.js'
import { acceptsJson, isJsonRequest } from './request.js'
import { redirect, writeError, writeJson } from './respond.js'
import { checkReturnTo, type ReturnTo } from './returnTo.js'
import { forwardError } from './selfServiceErrors.js'
import { type SessionRecord, satisfiesRequiredAal } from './session.js'
import { createSettingsFlow, settingsFlowJson } from './settingsFlow.js'
import { SETTINGS_UI_PATH } from './settingsPage.js'

export const settingsUiUrl = (ctx: Context, flow: SettingsFlow) =>
  `${ctx.config.publicUrl}${SETTINGS_UI_PATH}?flow=${flow.id}`

/**
 * `DoesSessionSatisfy` with `selfservice.flows.settings.required_aal` (the fake uses
 * `requiredAal` for it too): null when the session passes, else 403 `session_aal2_required` whose
 * redirect returns to `returnTo` (none without one, as for whoami).
 */
export function settingsAalError(
  ctx: Context,
  session: SessionRecord,
  identity: IdentityRecord,
  returnTo: string | undefined,
): KratosError | null {
  if (satisfiesRequiredAal(ctx.config.requiredAal, session, identity)) return null
  return aal2Required(
    `${ctx.config.publicUrl}/self-service/login/browser?${goEncodeQuery({ aal: 'aal2', return_to: returnTo })}`,
  )
}

/**
 * settings `OnUnauthenticated` (strategy_helper.go): without a session JSON clients get a 401
 * without an id, browsers a 303 to the login page. Returns the session, or null once answered.
 */
export function requireSession(ctx: Context) {
  const fetched = fetchSession(ctx)
  if (fetched.session) return fetched
  if (!isJsonRequest(ctx.req)) {
    redirect(ctx, `${ctx.config.publicUrl}${LOGIN_UI_PATH}`)
    return null
  }
  writeError(ctx, unauthorized({ reason: 'A valid Ory Session Cookie or Ory Session Token is missing.' }))
  return null
}

/**
 * `GET /self-service/settings/browser`: 200 settingsFlow for `Accept: application/json`, else 303
 * to the settings page. Without a session: JSON 401 `session_inactive` with the stray
 * `"CredentialsMissing": false` field, browsers 303 to the login page (FACTS §4).
 */
export function createBrowserSettingsFlow(ctx: Context) {
  const fetched = fetchSession(ctx)
  if (!fetched.session) {
    if (isJsonRequest(ctx.req)) return writeError(ctx, sessionInactive({ CredentialsMissing: false }))
    return redirect(ctx, `${ctx.config.publicUrl}${LOGIN_UI_PATH}`)
  }
  let returnTo: ReturnTo | undefined
  try {
    returnTo = checkReturnTo(ctx.config, ctx.url.searchParams.get('return_to'))
  } catch (error) {
    return forwardError(ctx, error as KratosError)
  }
  const here = `${ctx.config.publicUrl}${ctx.url.pathname}${ctx.url.search}`
  const aal = settingsAalError(ctx, fetched.session, fetched.identity, here)
  if (aal) {
    if (isJsonRequest(ctx.req)) return writeError(ctx, aal)
    return redirect(ctx, aal.extra.redirect_browser_to as string)
  }
  const flow = createSettingsFlow(ctx, fetched.identity, returnTo, 'browser')
  if (acceptsJson(ctx.req)) return writeJson(ctx, 200, settingsFlowJson(ctx, flow))
  redirect(ctx, settingsUiUrl(ctx, flow))
}

/**
 * `GET /self-service/settings/api` (createNativeSettingsFlow): needs a session, from
 * `X-Session-Token` as an app sends it; 401 `session_inactive` without one, 403
 * `session_aal2_required` (redirect without `return_to`) below the required AAL, else 200 with an
 * `api` settingsFlow. Always JSON.
 */
export function createNativeSettingsFlow(ctx: Context) {
  const fetched = fetchSession(ctx)
  if (!fetched.session) {
    // session.Handler.IsAuthenticated without a fallback: the reason replaces the default one,
    // and with it the stray CredentialsMissing field goes (FACTS §4).
    const reason = 'This endpoint can only be accessed with a valid session. Please log in and try again.'
    const { error } = sessionInactive()
    return writeError(ctx, unauthorized({ ...error, reason }))
  }
  const aal = settingsAalError(ctx, fetched.session, fetched.identity, undefined)
  if (aal) return writeError(ctx, aal)
  const returnTo = checkReturnTo(ctx.config, ctx.url.searchParams.get('return_to'))
  writeJson(ctx, 200, settingsFlowJson(ctx, createSettingsFlow(ctx, fetched.identity, returnTo, 'api')))
}

/**
 * `GET /self-service/settings/flows?id=`: 401 without a session, 404, 403 for another identity's
 * flow or below the required AAL, 410 once expired (browser flows point to the browser init
 * endpoint, API flows to the API one). Errors are always JSON.
 */
export function getSettingsFlow(ctx: Context) {
  const fetched = requireSession(ctx)
  if (!fetched) return
  const flow = ctx.store.settingsFlows.get(ctx.url.searchParams.get('id') ?? '')
  if (!flow) return writeError(ctx, resourceNotFound())
  if (fetched.identity.id !== flow.identityId) return writeError(ctx, identityMismatch())
  const aal = settingsAalError(ctx, fetched.session, fetched.identity, settingsUiUrl(ctx, flow))
  if (aal) return writeError(ctx, aal)
  if (flow.expiresAt < ctx.clock.now()) return writeError(ctx, settingsFlowGone(ctx, flow))
  writeJson(ctx, 200, settingsFlowJson(ctx, flow))
}

/** getSettingsFlow's 410 (settings/handler.go), by flow type. */
function settingsFlowGone(ctx: Context, flow: SettingsFlow): KratosError {
  const { publicUrl } = ctx.config
  const id = 'self_service_flow_expired'
  if (flow.type === 'api') {
    return gone({
      id,
      reason:
        'The settings flow has expired. Call the settings flow init API endpoint to initialize a new settings flow.',
      details: { api: `${publicUrl}/self-service/settings/api` },
    })
  }
  const query = flow.returnTo ? `?${goEncodeQuery({ return_to: flow.returnTo.raw })}` : ''
  return gone({
    id,
    reason:
      'The settings flow has expired. Redirect the user to the settings flow init endpoint to initialize a new settings flow.',
    details: {
      redirect_to: `${publicUrl}/self-service/settings/browser${query}`,
      return_to: flow.returnTo?.raw ?? '',
    },
  })
}
