import type { Context } from './context.js'
import { ensureCsrf } from './csrf.js'
import {
  aal2Required,
  badRequest,
  flowExpired,
  identityMismatch,
  KratosError,
  refreshRequired,
  resourceNotFound,
  sessionInactive,
} from './errors.js'
import { fetchSession } from './fetchSession.js'
import type { SettingsFlow } from './flows.js'
import type { IdentityRecord } from './identity.js'
import { goTime } from './json.js'
import { LOGIN_UI_PATH } from './loginPage.js'
import { goEncodeQuery } from './query.js'
import { acceptsJson, field, isJsonRequest, readForm } from './request.js'
import { redirect, writeError, writeJson } from './respond.js'
import { checkReturnTo, type ReturnTo } from './returnTo.js'
import { forwardError } from './selfServiceErrors.js'
import { type SessionRecord, satisfiesRequiredAal } from './session.js'
import { createSettingsFlow, settingsFlowJson } from './settingsFlow.js'
import { SETTINGS_UI_PATH } from './settingsPage.js'
import { TEXT } from './ui.js'

const settingsUiUrl = (ctx: Context, flow: SettingsFlow) =>
  `${ctx.config.publicUrl}${SETTINGS_UI_PATH}?flow=${flow.id}`
const thisUrl = (ctx: Context) => `${ctx.config.publicUrl}${ctx.url.pathname}${ctx.url.search}`

/** JSON clients get the error; browsers follow its `redirect_browser_to` (settings/error.go). */
function sendToLogin(ctx: Context, error: KratosError, redirectTo: string) {
  if (isJsonRequest(ctx.req)) return writeError(ctx, error)
  redirect(ctx, redirectTo)
}

/**
 * `selfservice.flows.settings.required_aal` (the fake uses `requiredAal` for it too): an aal1
 * session of an identity with a second factor is sent to step up, back to this URL.
 */
function checkAal(ctx: Context, session: SessionRecord, identity: IdentityRecord): boolean {
  if (satisfiesRequiredAal(ctx.config.requiredAal, session, identity)) return true
  const to = `${ctx.config.publicUrl}/self-service/login/browser?${goEncodeQuery({ aal: 'aal2', return_to: thisUrl(ctx) })}`
  sendToLogin(ctx, aal2Required(to), to)
  return false
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
  if (!checkAal(ctx, fetched.session, fetched.identity)) return
  const flow = createSettingsFlow(ctx, fetched.identity, returnTo)
  if (acceptsJson(ctx.req)) return writeJson(ctx, 200, settingsFlowJson(ctx, flow))
  redirect(ctx, settingsUiUrl(ctx, flow))
}

/** Finds the flow of `?<param>=` for the request's session; writes the error and returns null otherwise. */
function sessionFlow(ctx: Context, param: string) {
  const flow = ctx.store.settingsFlows.get(ctx.url.searchParams.get(param) ?? '')
  if (!flow) {
    writeError(ctx, resourceNotFound())
    return null
  }
  const fetched = fetchSession(ctx)
  if (!fetched.session) {
    writeError(ctx, sessionInactive({ CredentialsMissing: fetched.credentialsMissing }))
    return null
  }
  if (fetched.identity.id !== flow.identityId) {
    writeError(ctx, identityMismatch())
    return null
  }
  return { flow, session: fetched.session, identity: fetched.identity }
}

/** `GET /self-service/settings/flows?id=`: 404, 401, 403 for another identity's flow, 410 once expired. */
export function getSettingsFlow(ctx: Context) {
  const found = sessionFlow(ctx, 'id')
  if (!found) return
  const { flow } = found
  if (flow.expiresAt < ctx.clock.now()) {
    return writeError(
      ctx,
      new KratosError({
        id: 'self_service_flow_expired',
        code: 410,
        status: 'Gone',
        reason:
          'The settings flow has expired. Redirect the user to the settings flow init endpoint to initialize a new settings flow.',
        details: { redirect_to: `${ctx.config.publicUrl}/self-service/settings/browser` },
        message:
          'The requested resource is no longer available because it has expired or is otherwise invalid.',
      }),
    )
  }
  writeJson(ctx, 200, settingsFlowJson(ctx, flow))
}

/**
 * `POST /self-service/settings?flow=` with method `password`. A session older than
 * `privilegedSessionMaxAge` gets 403 `session_refresh_required` (JSON) or a 303 (browser) to a
 * refresh login that returns here (FACTS §4). On success the password really changes.
 */
export async function updateSettingsFlow(ctx: Context): Promise<void> {
  const found = sessionFlow(ctx, 'flow')
  if (!found) return
  const { flow, session, identity } = found
  const form = await readForm(ctx.req)
  const now = ctx.clock.now()
  if (flow.expiresAt < now) {
    if (!isJsonRequest(ctx.req)) return redirect(ctx, `${ctx.config.publicUrl}/self-service/settings/browser`)
    return writeError(ctx, flowExpired(goTime(flow.expiresAt), now - flow.expiresAt, flow.id))
  }
  try {
    ensureCsrf(ctx, form)
  } catch (error) {
    return forwardError(ctx, error as KratosError)
  }
  if (field(form, 'method') !== 'password') {
    return writeError(
      ctx,
      badRequest({
        reason: 'Could not find a strategy to update your settings. Did you fill out the form correctly?',
      }),
    )
  }
  const maxAge = ctx.config.privilegedSessionMaxAge
  if (maxAge > 0 && session.authenticatedAt + maxAge <= now) {
    const to = `${ctx.config.publicUrl}/self-service/login/browser?${goEncodeQuery({ refresh: 'true', return_to: thisUrl(ctx) })}`
    return sendToLogin(ctx, refreshRequired(to), to)
  }
  if (!checkAal(ctx, session, identity)) return
  const password = field(form, 'password')
  const passwordNode = flow.ui.nodes.find((node) => node.attributes.name === 'password')
  if (passwordNode) passwordNode.messages = password ? [] : [TEXT.missing('password')]
  if (password) {
    identity.password = password
    identity.updatedAt = now
    flow.state = 'success'
    flow.ui.messages = [TEXT.saved]
  }
  if (!isJsonRequest(ctx.req)) return redirect(ctx, settingsUiUrl(ctx, flow))
  writeJson(ctx, password ? 200 : 400, settingsFlowJson(ctx, flow))
}
