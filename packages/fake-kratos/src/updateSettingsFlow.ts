import type { Context } from './context.js'
import { ensureFlowCsrf } from './csrf.js'
import { flowExpired, forbidden, type KratosError, notFound, refreshRequired } from './errors.js'
import type { SettingsFlow } from './flows.js'
import { goTime } from './json.js'
import { goEncodeQuery } from './query.js'
import { field, isJsonRequest, readForm } from './request.js'
import { redirect, writeError, writeJson } from './respond.js'
import { forwardError } from './selfServiceErrors.js'
import { requireSession, settingsAalError, settingsUiUrl } from './settings.js'
import { createSettingsFlow, settingsFlowJson } from './settingsFlow.js'
import { TEXT, type UiText } from './ui.js'

/** The flow with `messages` (settings/error.go's ParseError path): 400 JSON, or back to the settings page. */
function invalid(ctx: Context, flow: SettingsFlow, messages: UiText[]) {
  flow.ui.messages = messages
  for (const node of flow.ui.nodes) node.messages = []
  if (flow.type === 'browser' && !isJsonRequest(ctx.req)) return redirect(ctx, settingsUiUrl(ctx, flow))
  writeJson(ctx, 400, settingsFlowJson(ctx, flow))
}

/**
 * settings/error.go `WriteFlowError`: a 400 becomes a message on the flow (container.ParseError);
 * otherwise API flows and JSON requests get the error, browsers its redirect or the error page.
 */
function flowError(ctx: Context, flow: SettingsFlow | undefined, error: KratosError) {
  const { code, reason = error.error.message } = error.error
  if (flow && code === 400) return invalid(ctx, flow, [TEXT.generic(reason)])
  const json = flow?.type === 'api' || isJsonRequest(ctx.req)
  const to = error.extra.redirect_browser_to
  if (json) return writeError(ctx, error)
  if (typeof to === 'string') return redirect(ctx, to)
  forwardError(ctx, error)
}

/** `PrepareReplacementForExpiredFlow`: a new flow of the same type and request, and a 410 naming it. */
function replaceExpiredFlow(ctx: Context, flow: SettingsFlow) {
  const now = ctx.clock.now()
  const identity = ctx.store.identities.get(flow.identityId)
  if (!identity) return flowError(ctx, flow, notFound())
  const replacement = createSettingsFlow(ctx, identity, flow.returnTo, flow.type)
  replacement.requestUrl = flow.requestUrl
  replacement.ui.messages = [TEXT.settingsExpired(((now - flow.expiresAt) / 60_000).toFixed(2))]
  if (flow.type === 'api' || isJsonRequest(ctx.req))
    return writeError(ctx, flowExpired(goTime(flow.expiresAt), now - flow.expiresAt, replacement.id))
  redirect(ctx, settingsUiUrl(ctx, replacement))
}

/**
 * `POST /self-service/settings?flow=` with method `password`, for browser flows (cookie and
 * CSRF token) and API flows (`X-Session-Token`, no cookie, no `Origin`), in Kratos's order: 401
 * without a session, 404, the required AAL, 410 with `use_flow_id` once expired, another
 * identity's flow, CSRF, then a session older than `privilegedSessionMaxAge` gets 403
 * `session_refresh_required` (JSON) or a 303 (browser) to a refresh login that returns here
 * (FACTS §4). On success the password really changes: 200 with the flow at `state: success`.
 */
export async function updateSettingsFlow(ctx: Context): Promise<void> {
  const fetched = requireSession(ctx)
  if (!fetched) return
  const { session, identity } = fetched
  const flow = ctx.store.settingsFlows.get(ctx.url.searchParams.get('flow') ?? '')
  const reason = 'The settings request could not be found. Please restart the flow.'
  if (!flow) return flowError(ctx, undefined, notFound({ reason }))
  const form = await readForm(ctx.req)
  const here = `${ctx.config.publicUrl}${ctx.url.pathname}${ctx.url.search}`
  const aal = settingsAalError(ctx, session, identity, here)
  if (aal) return flowError(ctx, flow, aal)
  const now = ctx.clock.now()
  if (flow.expiresAt < now) return replaceExpiredFlow(ctx, flow)
  if (identity.id !== flow.identityId) {
    return flowError(
      ctx,
      flow,
      forbidden({
        id: 'security_identity_mismatch',
        reason:
          'The request was initiated by someone else and has been blocked for security reasons. Please go back and try again.',
      }),
    )
  }
  // schema.NewNoSettingsStrategyResponsible: a validation error, so a message on the flow.
  if (field(form, 'method') !== 'password') return invalid(ctx, flow, [TEXT.noSettingsStrategy])
  try {
    ensureFlowCsrf(ctx, flow.type, form)
  } catch (error) {
    return flowError(ctx, flow, error as KratosError)
  }
  const maxAge = ctx.config.privilegedSessionMaxAge
  if (maxAge > 0 && session.authenticatedAt + maxAge <= now) {
    const to = `${ctx.config.publicUrl}/self-service/login/browser?${goEncodeQuery({ refresh: 'true', return_to: here })}`
    return flowError(ctx, flow, refreshRequired(to))
  }
  const password = field(form, 'password')
  const passwordNode = flow.ui.nodes.find((node) => node.attributes.name === 'password')
  if (passwordNode) passwordNode.messages = password ? [] : [TEXT.missing('password')]
  if (password) {
    identity.password = password
    identity.updatedAt = now
    flow.state = 'success'
    flow.ui.messages = [TEXT.saved]
  }
  if (flow.type === 'browser' && !isJsonRequest(ctx.req)) return redirect(ctx, settingsUiUrl(ctx, flow))
  writeJson(ctx, password ? 200 : 400, settingsFlowJson(ctx, flow))
}
