import { checkReturnTo } from './checkReturnTo.js'
import type { Inspector } from './createInspector.js'
import {
  createLoginFlows,
  type Flow,
  type KratosBody,
  type LoginFlowsDeps,
  readBody,
  readFlow,
  refused,
} from './createLoginFlows.js'
import { isSessionFresh } from './isSessionFresh.js'
import { parseSession } from './parseSession.js'
import type { ReauthFlow, ReauthFlowResult, UiNode } from './ReauthFlow.js'
import { reauthGuard } from './reauthGuard.js'
import type { WhoamiAnswer } from './requestWhoami.js'
import type { ReauthenticateOptions } from './SessionKeeper.js'
import { ReauthFlowError } from './SessionKeeperError.js'
import type { SessionState } from './types.js'

export interface ReauthFlowDeps extends LoginFlowsDeps {
  now: () => number
  check(): Promise<SessionState>
  /** Applies the answer's session over any whoami in flight, and tells every tab. */
  conclude(answer: Pick<WhoamiAnswer, 'status' | 'session'>): void
  attempt: Inspector['attempt']
}

/** Token mode without a session: signing in makes a new token, which this keeper does not have. */
const noTokenSession = () =>
  new ReauthFlowError(
    'createReauthFlow: the session token has no active session; in token mode a sign-in makes a new token, so sign in and create a keeper with it',
    401,
    null,
  )

/** What a submit's record keeps of its result: a `next` or `invalid` flow holds the CSRF token. */
const statusOf = ({ status }: ReauthFlowResult) => ({ status })

// Methods whose ceremony runs in the browser on Kratos's own page (or a provider's).
const BROWSER_ONLY = ['webauthn', 'passkey', 'oidc', 'saml']

/** The hidden fields the flow carries (CSRF token, the identifier of a refresh), of `method`'s group. */
function hiddenValues(nodes: UiNode[], method: string | undefined) {
  const values: Record<string, string> = {}
  for (const { group, attributes: a } of nodes) {
    if (a.node_type === 'input' && a.type === 'hidden' && a.name && a.value != null) {
      if (group === 'default' || group === method) values[a.name] = String(a.value)
    }
  }
  return values
}

/**
 * Creates `keeper.createReauthFlow`: re-authentication in the page over Kratos's login flow.
 * Cookie mode follows Kratos's SPA recipe (`GET /self-service/login/browser` as JSON with the
 * cookie, submit with the CSRF token from the nodes); token mode uses the API flow
 * (`/self-service/login/api` with `X-Session-Token`). The requirement picks `refresh` and
 * `aal` as `reauthenticate` does. A done submit puts the answer's session in state (no extra
 * whoami) and tells every tab; an expired flow is replaced once, transparently; the second
 * factor is fetched in the page, not navigated to. Creating and each submit are recorded
 * (`reauth-flow`) with the flow's id and the result's status only.
 *
 * @example
 * const createFlow = createReauthFlow({ http, baseUrl, sessionToken, now, store, loginUrl, check, conclude, attempt })
 * const flow = await createFlow({ maxAge: '5m' })
 */
/* @__NO_SIDE_EFFECTS__ */
export function createReauthFlow(
  o: ReauthFlowDeps,
): (options?: ReauthenticateOptions) => Promise<ReauthFlow> {
  const { http, store } = o
  const origin = new URL(o.baseUrl).origin
  const { browserUrl, create, fetchFlow, request } = createLoginFlows(o)
  /** Kratos's 422: an aal2 login on its own origin is fetched as the next step; anything else needs the browser. */
  async function nextStep(body: KratosBody | undefined, requirement: ReauthenticateOptions) {
    let url: URL | undefined
    try {
      url = new URL(checkReturnTo(body?.redirect_browser_to, [origin], 'redirect_browser_to'))
    } catch {}
    if (!url?.pathname.endsWith('/self-service/login/browser'))
      return { status: 'redirect', url: browserUrl(requirement) } as const
    return { status: 'next', flow: wrap(await fetchFlow(url.href), requirement) } as const
  }

  /** A 200: the session, unless an API flow still lacks the aal2 asked for (then its second step). */
  async function done(body: KratosBody | undefined, requirement: ReauthenticateOptions) {
    // Kratos made a new session with a new token (the keeper's had none left): the keeper cannot
    // follow it, so it must not take it (its next whoami would sign out, or an aal2 step loop).
    if (o.sessionToken && body?.session_token !== o.sessionToken) throw noTokenSession()
    const session = parseSession(body?.session)
    if (requirement.aal === 'aal2' && o.sessionToken && !isSessionFresh(session, { aal: 'aal2', now: 0 })) {
      // Kratos leaves the identity out of such an answer (FACTS §2): it must not replace the state.
      return { status: 'next', flow: wrap(await create({ aal: 'aal2' }), requirement) } as const
    }
    o.conclude({ status: 'authenticated', session })
    reauthGuard(null, o.now())
    return { status: 'done', state: store.getState() } as const
  }

  async function submit(
    flow: Flow,
    values: Record<string, string>,
    requirement: ReauthenticateOptions,
    renew: boolean,
  ): Promise<ReauthFlowResult> {
    const submits = flow.nodes.filter(({ attributes: a }) => a.type === 'submit' && a.name === 'method')
    const method = values.method ?? (submits.length === 1 ? String(submits[0]?.attributes.value) : undefined)
    if (method && BROWSER_ONLY.includes(method)) return { status: 'redirect', url: browserUrl(requirement) }
    const action = checkReturnTo(flow.action, [origin], 'ui.action')
    const payload = { ...hiddenValues(flow.nodes, method), ...(method && { method }), ...values }
    const res = await request(() => http.post(action, { prefixUrl: '', json: payload }))
    const body = await readBody(res)
    if (res.status === 200) return done(body, requirement)
    if (res.status === 400 && !body?.error)
      return { status: 'invalid', flow: wrap(readFlow(body), requirement) }
    if (res.status === 422) return nextStep(body, requirement)
    if (res.status === 410 && renew) {
      // The flow expired: Kratos names its successor; submit there, once.
      const next =
        typeof body?.use_flow_id === 'string'
          ? await fetchFlow(
              `${o.baseUrl}/self-service/login/flows?id=${encodeURIComponent(body.use_flow_id)}`,
            )
          : await create(requirement)
      return submit(next, values, requirement, false)
    }
    throw refused(res.status, body)
  }

  function wrap(flow: Flow, requirement: ReauthenticateOptions): ReauthFlow {
    let busy = false
    async function send(values: Record<string, string>) {
      if (busy) throw new TypeError(`ReauthFlow.submit: flow ${flow.id} is already being submitted`)
      busy = true
      try {
        return await submit(flow, values, requirement, true)
      } finally {
        busy = false
      }
    }
    return {
      id: flow.id,
      expiresAt: flow.expiresAt,
      nodes: flow.nodes,
      messages: flow.messages,
      // Recorded with the status alone (`statusOf`), never the values: they hold the password.
      submit: (values) => o.attempt('reauth-flow', send(values), { step: 'submit', flow: flow.id }, statusOf),
    }
  }

  async function open(requirement: ReauthenticateOptions) {
    // While loading nobody knows yet whether the session needs a refresh or a first login.
    if (store.getState().status === 'loading') await o.check()
    if (o.sessionToken && store.getState().status === 'unauthenticated') throw noTokenSession()
    return wrap(await create(requirement), requirement)
  }

  // Recorded with the flow's id alone: its nodes hold the CSRF token.
  return (requirement = {}) =>
    o.attempt('reauth-flow', open(requirement), { step: 'create' }, ({ id }) => ({ flow: id }))
}
