import { randomUUID } from 'node:crypto'
import type { Context } from './context.js'
import { generateCsrfToken } from './csrf.js'
import { aal1Required, alreadyLoggedIn, badRequest } from './errors.js'
import { fetchSession } from './fetchSession.js'
import type { LoginFlow } from './flows.js'
import type { IdentityRecord } from './identity.js'
import { goTime } from './json.js'
import { checkReturnTo } from './returnTo.js'
import { type Aal, type SessionRecord, sessionAal } from './session.js'
import { csrfNode, inputNode, LABEL, TEXT, type UiContainer, type UiNode, type UiText } from './ui.js'

/** `selfservice.flows.login.lifespan` default. */
export const LOGIN_FLOW_LIFESPAN = 3_600_000

// Go's strconv.ParseBool.
const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True']
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False']

function parseRefresh(raw: string | null): boolean {
  if (!raw || FALSE.includes(raw)) return false
  if (TRUE.includes(raw)) return true
  throw badRequest({
    reason: `Unable to parse refresh parameter: strconv.ParseBool: parsing "${raw}": invalid syntax`,
  })
}

/** The nodes each strategy adds (password for aal1, TOTP for aal2), before the CSRF node is set. */
function strategyNodes(aal: Aal, refresh: boolean, identity: IdentityRecord | undefined): UiNode[] {
  if (aal === 'aal2') {
    // An identity without a second factor gets no aal2 nodes: a flow nobody can finish (FACTS §2).
    if (identity?.totpCode === undefined) return []
    return [
      inputNode('totp', 'totp_code', 'text', {
        required: true,
        autocomplete: 'one-time-code',
        label: LABEL.totpCode,
      }),
      inputNode('totp', 'method', 'submit', { value: 'totp', label: LABEL.useTotp }),
    ]
  }
  return [
    refresh && identity
      ? inputNode('default', 'identifier', 'hidden', { value: identity.email, required: true })
      : inputNode('default', 'identifier', 'text', {
          value: '',
          required: true,
          autocomplete: 'username',
          label: LABEL.identifier,
        }),
    inputNode('password', 'password', 'password', {
      required: true,
      autocomplete: 'current-password',
      label: LABEL.password,
    }),
    inputNode('password', 'method', 'submit', { value: 'password', label: LABEL.signIn }),
  ]
}

/**
 * `NewLoginFlow` (login/handler.go:148, flow.go:193): validates `return_to`, `refresh` and `aal`,
 * then applies the decision table of FACTS §2. Throws the Kratos error of each refused case;
 * `session_already_available` carries the session so browsers can be sent on.
 */
export function createLoginFlow(ctx: Context, type: LoginFlow['type'], messages: UiText[] = []): LoginFlow {
  const query = ctx.url.searchParams
  const returnTo = checkReturnTo(ctx.config, query.get('return_to'))
  let refresh = parseRefresh(query.get('refresh'))
  const aal = (query.get('aal') || 'aal1').toLowerCase()
  if (aal !== 'aal1' && aal !== 'aal2') {
    throw badRequest({
      reason: `Unable to parse AuthenticationMethod Assurance Level (AAL): expected one of [aal1, aal2] but got ${aal}`,
    })
  }
  const fetched = fetchSession(ctx)
  let session: SessionRecord | undefined
  let identity: IdentityRecord | undefined
  if (!fetched.session) {
    if (aal === 'aal2') throw aal1Required()
    // handler.go:201: refresh is silently dropped without a session.
    refresh = false
  } else {
    ;({ session, identity } = fetched)
    if (!refresh && (aal === 'aal1' || aal <= sessionAal(session))) throw alreadyLoggedIn()
  }
  const now = ctx.clock.now()
  const id = randomUUID()
  const ui: UiContainer = {
    action: `${ctx.config.publicUrl}/self-service/login?flow=${id}`,
    method: 'POST',
    nodes: strategyNodes(aal, refresh, identity),
    messages: [...messages],
  }
  if (refresh) ui.messages?.push(TEXT.reAuth)
  if (session && aal > sessionAal(session)) ui.messages?.push(TEXT.secondFactor)
  const csrfToken = type === 'browser' ? generateCsrfToken(ctx) : undefined
  if (csrfToken) ui.nodes.unshift(csrfNode(csrfToken))
  const flow: LoginFlow = {
    id,
    type,
    expiresAt: now + LOGIN_FLOW_LIFESPAN,
    issuedAt: now,
    requestUrl: `${ctx.config.publicUrl}${ctx.url.pathname}${ctx.url.search}`,
    returnTo,
    refresh,
    requestedAal: aal,
    csrfToken,
    ui,
    state: 'choose_method',
  }
  ctx.store.loginFlows.set(id, flow)
  return flow
}

/** The flow as Kratos marshals it (spec `loginFlow`), in Go field order. */
export function loginFlowJson(flow: LoginFlow): Record<string, unknown> {
  const { messages, ...ui } = flow.ui
  return {
    id: flow.id,
    organization_id: null,
    type: flow.type,
    expires_at: goTime(flow.expiresAt),
    issued_at: goTime(flow.issuedAt),
    request_url: flow.requestUrl,
    return_to: flow.returnTo?.raw,
    ui: messages?.length ? { ...ui, messages } : ui,
    created_at: goTime(flow.issuedAt),
    updated_at: goTime(flow.issuedAt),
    refresh: flow.refresh,
    requested_aal: flow.requestedAal,
    state: flow.state,
  }
}
