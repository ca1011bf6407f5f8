import { randomUUID } from 'node:crypto'
import type { Context } from './context.js'
import { generateCsrfToken } from './csrf.js'
import type { SettingsFlow } from './flows.js'
import { type IdentityRecord, identityJson } from './identity.js'
import { goTime } from './json.js'
import type { ReturnTo } from './returnTo.js'
import { csrfNode, inputNode, LABEL } from './ui.js'

/** `selfservice.flows.settings.lifespan` default. */
export const SETTINGS_FLOW_LIFESPAN = 3_600_000

/**
 * A settings flow for the session's identity, offering a new password (the only method the fake
 * has). API flows carry a CSRF node too: the password strategy sets it on every flow.
 */
export function createSettingsFlow(
  ctx: Context,
  identity: IdentityRecord,
  returnTo: ReturnTo | undefined,
  type: SettingsFlow['type'],
): SettingsFlow {
  const now = ctx.clock.now()
  const id = randomUUID()
  const flow: SettingsFlow = {
    id,
    type,
    expiresAt: now + SETTINGS_FLOW_LIFESPAN,
    issuedAt: now,
    requestUrl: `${ctx.config.publicUrl}${ctx.url.pathname}${ctx.url.search}`,
    returnTo,
    identityId: identity.id,
    ui: {
      action: `${ctx.config.publicUrl}/self-service/settings?flow=${id}`,
      method: 'POST',
      nodes: [
        csrfNode(generateCsrfToken(ctx)),
        inputNode('password', 'password', 'password', {
          required: true,
          autocomplete: 'new-password',
          label: LABEL.password,
        }),
        inputNode('password', 'method', 'submit', { value: 'password', label: LABEL.save }),
      ],
    },
    state: 'show_form',
  }
  ctx.store.settingsFlows.set(id, flow)
  return flow
}

/** The flow as Kratos marshals it (spec `settingsFlow`), in Go field order. */
export function settingsFlowJson(ctx: Context, flow: SettingsFlow): Record<string, unknown> {
  const identity = ctx.store.identities.get(flow.identityId) as IdentityRecord
  return {
    id: flow.id,
    type: flow.type,
    expires_at: goTime(flow.expiresAt),
    issued_at: goTime(flow.issuedAt),
    request_url: flow.requestUrl,
    return_to: flow.returnTo?.raw,
    ui: flow.ui,
    identity: identityJson(identity, ctx.config.publicUrl),
    state: flow.state,
  }
}
