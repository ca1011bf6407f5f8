/** Absolute, so `/.ory` (the dev-server proxy to an Ory project) becomes `<this origin>/.ory`. */
export const KRATOS_URL = new URL(
  import.meta.env.VITE_KRATOS_URL || 'http://localhost:4433',
  window.location.origin,
).href

/** `path` (starting with `/`) on Kratos, keeping a base path such as `/.ory`. */
export const kratosUrl = (path: string) => `${KRATOS_URL.replace(/\/$/, '')}${path}`

/** A Kratos answer that was not 2xx; `response` lets `reauthReason` (and so `useFreshAction`) read it. */
export class KratosRequestError extends Error {
  constructor(
    message: string,
    readonly response: Response,
  ) {
    super(message)
    this.name = 'KratosRequestError'
  }
}

interface UiText {
  text?: string
}
interface KratosErrorBody {
  error?: { message?: string; reason?: string }
  ui?: { messages?: UiText[]; nodes?: { messages?: UiText[] }[] }
}

/** The most helpful text in a Kratos error or flow body. */
async function describe(response: Response): Promise<string> {
  try {
    const body = (await response.clone().json()) as KratosErrorBody
    const texts = [
      body.error?.reason ?? body.error?.message,
      ...(body.ui?.messages ?? []).map((message) => message.text),
      ...(body.ui?.nodes ?? []).flatMap((node) => (node.messages ?? []).map((message) => message.text)),
    ].filter((text): text is string => Boolean(text))
    if (texts.length) return texts.join(' ')
  } catch {
    // Not JSON: the status says enough.
  }
  return `Kratos answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`
}

/** A JSON request to Kratos with the browser's cookies; rejects with {@link KratosRequestError} unless 2xx. */
export async function kratosJson<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(kratosUrl(path), {
    method: init.method ?? 'GET',
    credentials: 'include',
    headers: {
      Accept: 'application/json',
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  if (!response.ok) throw new KratosRequestError(await describe(response), response)
  return (await response.json()) as T
}

interface UiNode {
  attributes: { name?: string; value?: unknown }
}
interface SettingsFlow {
  id: string
  state?: string
  ui: { action: string; nodes: UiNode[]; messages?: UiText[] }
}

/**
 * Changes the password through Kratos's settings flow: creates a browser flow, then submits
 * `method: password` with the flow's CSRF token. A sign-in older than Kratos's
 * `privileged_session_max_age` gets 403 `session_refresh_required` (a {@link KratosRequestError}).
 */
export async function changePassword(password: string): Promise<string> {
  const flow = await kratosJson<SettingsFlow>('/self-service/settings/browser')
  const csrf = flow.ui.nodes.find((node) => node.attributes.name === 'csrf_token')?.attributes.value
  const done = await kratosJson<SettingsFlow>(`/self-service/settings?flow=${encodeURIComponent(flow.id)}`, {
    method: 'POST',
    body: { method: 'password', password, csrf_token: typeof csrf === 'string' ? csrf : '' },
  })
  return done.ui.messages?.map((message) => message.text).join(' ') || 'Your password was changed.'
}

/** Node groups of a login flow that are not a second factor. */
const FIRST_FACTOR_GROUPS = new Set(['default', 'password', 'oidc', 'code', 'identifier_first', 'captcha'])

/**
 * Whether this session's identity has a second factor, asked the way Kratos's own UI learns it:
 * an `aal=aal2` login flow offers the identity's second-factor methods (TOTP, WebAuthn, lookup
 * codes…) and nothing for an identity without one. Needed where Kratos lets aal1 sessions in
 * (`required_aal: aal1`), so an aal1 session says nothing about the identity.
 */
export async function hasSecondFactor(): Promise<boolean> {
  const flow = await kratosJson<{ ui: { nodes: { group?: string }[] } }>(
    '/self-service/login/browser?aal=aal2',
  )
  return flow.ui.nodes.some((node) => node.group !== undefined && !FIRST_FACTOR_GROUPS.has(node.group))
}
