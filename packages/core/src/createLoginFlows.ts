import type { KyInstance } from 'ky'
import type { SessionStore } from './createSessionStore.js'
import type { UiNode, UiText } from './ReauthFlow.js'
import type { LoginUrlOptions, ReauthenticateOptions } from './SessionKeeper.js'
import { InvalidResponseError, NetworkError, ReauthFlowError } from './SessionKeeperError.js'

export interface LoginFlowsDeps {
  http: KyInstance
  baseUrl: string
  /** Token mode: the API flow, with `X-Session-Token` (sent by `http`) instead of cookies and CSRF. */
  sessionToken: string | undefined
  store: SessionStore
  loginUrl(options: LoginUrlOptions): string
}

/** A flow as Kratos sent it, validated: what the public {@link ReauthFlow} wraps. */
export interface Flow {
  id: string
  expiresAt: Date
  action: string
  nodes: UiNode[]
  messages: UiText[]
}

export interface KratosBody {
  id?: unknown
  expires_at?: unknown
  ui?: { action?: unknown; nodes?: unknown; messages?: unknown }
  error?: { id?: unknown; reason?: unknown; details?: { redirect_browser_to?: unknown } }
  redirect_browser_to?: unknown
  use_flow_id?: unknown
  session?: unknown
  /** API flows: the token of the answer's session. */
  session_token?: unknown
}

/** Validates a login flow body; anything else is an `InvalidResponseError`. */
export function readFlow(body: KratosBody | undefined): Flow {
  const ui = body?.ui
  const expiresAt = new Date(body?.expires_at as string)
  if (
    typeof body?.id !== 'string' ||
    Number.isNaN(+expiresAt) ||
    typeof ui?.action !== 'string' ||
    !Array.isArray(ui.nodes)
  ) {
    throw new InvalidResponseError('Invalid login flow: needs id, expires_at, ui.action and ui.nodes')
  }
  const messages = Array.isArray(ui.messages) ? (ui.messages as UiText[]) : []
  return { id: body.id, expiresAt, action: ui.action, nodes: ui.nodes as UiNode[], messages }
}

export const refused = (status: number, body: KratosBody | undefined) => {
  const id = typeof body?.error?.id === 'string' ? body.error.id : null
  const reason = typeof body?.error?.reason === 'string' ? `: ${body.error.reason}` : ''
  return new ReauthFlowError(
    `Kratos refused the login flow (${status}${id ? ` ${id}` : ''})${reason}`,
    status,
    id,
  )
}

/** Kratos's login flows over HTTP: creating and fetching them, and their answers' bodies. */
export interface LoginFlows {
  /** The browser login for `requirement`: where a `redirect` result sends the user. */
  browserUrl(requirement: ReauthenticateOptions): string
  /** Creates a flow for `requirement`: the browser flow as JSON, or the API flow in token mode. */
  create(requirement: ReauthenticateOptions): Promise<Flow>
  /** Fetches a flow by URL; an aal2 flow without a second-factor node proves the factor unavailable. */
  fetchFlow(url: string): Promise<Flow>
  /** Sends a request; a failure to reach Kratos becomes a `NetworkError`. */
  request(send: () => Promise<Response>): Promise<Response>
}

/** The JSON body of an answer, or `undefined` when it has none. */
export const readBody = (res: Response) =>
  res.json().catch(() => undefined) as Promise<KratosBody | undefined>

/**
 * Creates the login flow client of in-page re-authentication: which flow a requirement needs
 * (`refresh` and `aal` as `reauthenticate` picks them), creating it as Kratos's SPA recipe
 * (cookie mode) or API flow (token mode) says, and validating what comes back.
 *
 * @example
 * const flows = createLoginFlows({ http, baseUrl, sessionToken, store, loginUrl })
 * const flow = await flows.create({ maxAge: '5m' })
 */
export function createLoginFlows(o: LoginFlowsDeps): LoginFlows {
  const { http, store } = o
  const request = (send: () => Promise<Response>) =>
    send().catch((error: Error) => {
      throw new NetworkError(`login flow failed: ${error.message}`, { cause: error })
    })

  /** `refresh` and `aal` for `requirement`, as `reauthenticate` picks them. */
  function params({ maxAge, aal }: ReauthenticateOptions): LoginUrlOptions {
    // Kratos refuses aal2 without a session: sign in first, and its flow asks for the second factor.
    return store.getState().status === 'authenticated'
      ? { refresh: maxAge !== undefined || aal !== 'aal2', aal }
      : { refresh: false }
  }

  /** The browser login for `requirement`: where a `redirect` result sends the user. */
  const browserUrl = (requirement: ReauthenticateOptions) =>
    o.loginUrl({ ...params(requirement), returnTo: requirement.returnTo })

  /** Fetches a flow; an aal2 flow without any second-factor node proves the second factor unavailable. */
  async function fetchFlow(url: string) {
    const res = await request(() => http.get(url, { prefixUrl: '' }))
    const body = await readBody(res)
    if (res.status !== 200) throw refused(res.status, body)
    const flow = readFlow(body)
    // Kratos makes an aal2 flow for an identity without a second factor, with only the CSRF node (FACTS §2).
    if (
      new URL(url).searchParams.get('aal') === 'aal2' &&
      flow.nodes.every((node) => node.group === 'default')
    )
      store.update({ secondFactorUnavailable: true })
    return flow
  }

  /** Creates a flow for `requirement`: the browser flow as JSON, or the API flow in token mode. */
  function create(requirement: ReauthenticateOptions) {
    if (!o.sessionToken) return fetchFlow(browserUrl(requirement))
    const { refresh, aal = store.getState().status === 'aal2-required' ? 'aal2' : undefined } =
      params(requirement)
    const url = new URL(`${o.baseUrl}/self-service/login/api`)
    if (refresh) url.searchParams.set('refresh', 'true')
    if (aal === 'aal2') url.searchParams.set('aal', 'aal2')
    return fetchFlow(url.href)
  }

  return { browserUrl, create, fetchFlow, request }
}
