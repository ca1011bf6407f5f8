import type { Context } from './context.js'
import type { LoginFlow } from './flows.js'
import type { IdentityRecord } from './identity.js'
import { loginFlowJson } from './loginFlow.js'
import { loginUiUrl } from './loginPage.js'
import { field, isJsonRequest } from './request.js'
import { redirect, writeJson } from './respond.js'
import type { AuthenticationMethod, SessionRecord } from './session.js'
import { TEXT, type UiText } from './ui.js'

/** A validation failure: 400 with the flow for JSON and API clients, 303 back to the form for browsers. */
export function writeLoginFlowError(
  ctx: Context,
  flow: LoginFlow,
  messages: UiText[],
  nodeMessages: Record<string, UiText> = {},
) {
  flow.ui.messages = messages
  for (const node of flow.ui.nodes) {
    node.messages = nodeMessages[node.attributes.name] ? [nodeMessages[node.attributes.name] as UiText] : []
  }
  if (flow.type === 'browser' && !isJsonRequest(ctx.req)) return redirect(ctx, loginUiUrl(ctx, flow))
  writeJson(ctx, 400, loginFlowJson(flow))
}

/** Checks the submitted credentials; returns the identity and the method they prove, or writes the error. */
export function authenticateLogin(
  ctx: Context,
  flow: LoginFlow,
  form: Record<string, unknown>,
  session: SessionRecord | null,
): { identity: IdentityRecord; method: AuthenticationMethod } | null {
  const now = ctx.clock.now()
  const method = field(form, 'method')
  if (method === 'password' && flow.requestedAal === 'aal1') {
    const identifier = field(form, 'identifier')
    const password = field(form, 'password')
    const identifierNode = flow.ui.nodes.find((node) => node.attributes.name === 'identifier')
    if (identifierNode && identifierNode.attributes.type !== 'hidden')
      identifierNode.attributes.value = identifier
    if (!identifier || !password) {
      const missing = identifier ? 'password' : 'identifier'
      writeLoginFlowError(ctx, flow, [], { [missing]: TEXT.missing(missing) })
      return null
    }
    const identity = ctx.store.identityByEmail(identifier)
    if (!identity || identity.password !== password) {
      writeLoginFlowError(ctx, flow, [TEXT.invalidCredentials])
      return null
    }
    return { identity, method: { method: 'password', aal: 'aal1', completedAt: now } }
  }
  const identity = session && ctx.store.identities.get(session.identityId)
  if (method === 'totp' && flow.requestedAal === 'aal2' && identity?.totpCode !== undefined) {
    if (field(form, 'totp_code') !== identity.totpCode) {
      writeLoginFlowError(ctx, flow, [], { totp_code: TEXT.invalidTotp })
      return null
    }
    return { identity, method: { method: 'totp', aal: 'aal2', completedAt: now } }
  }
  writeLoginFlowError(ctx, flow, [TEXT.noStrategy])
  return null
}
