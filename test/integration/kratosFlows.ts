// Sign-in through fake-kratos's real login flows over HTTP, as an app (API flow) or a SPA
// (browser flow as JSON, with the anti-CSRF cookie and token) would. Helpers throw with the
// server's answer on any unexpected status, so a broken flow fails loudly rather than later.

import type { KratosSession } from '@session-keeper/fake-kratos'

interface LoginFlowJson {
  id: string
  ui: { action: string; nodes: { attributes: { name: string; value?: unknown } }[] }
}

async function expectStatus(response: Response, status: number, what: string): Promise<unknown> {
  const text = await response.text()
  if (response.status !== status)
    throw new Error(`${what}: expected ${status}, got ${response.status}: ${text}`)
  return text ? JSON.parse(text) : undefined
}

const json = { accept: 'application/json', 'content-type': 'application/json' }

/**
 * The API login flow: `GET /self-service/login/api` then `POST /self-service/login?flow=` with
 * the password. With `sessionToken` both requests carry it, so `refresh: true` re-authenticates
 * that session instead of making a new one.
 */
export async function apiLogin(
  baseUrl: string,
  options: { identifier: string; password: string; sessionToken?: string; refresh?: boolean },
): Promise<{ session_token: string; session: KratosSession }> {
  const token: Record<string, string> = options.sessionToken
    ? { 'x-session-token': options.sessionToken }
    : {}
  const query = options.refresh ? '?refresh=true' : ''
  const flow = (await expectStatus(
    await fetch(`${baseUrl}/self-service/login/api${query}`, {
      headers: { accept: 'application/json', ...token },
    }),
    200,
    'GET /self-service/login/api',
  )) as LoginFlowJson
  return (await expectStatus(
    await fetch(`${baseUrl}/self-service/login?flow=${flow.id}`, {
      method: 'POST',
      headers: { ...json, ...token },
      body: JSON.stringify({
        method: 'password',
        identifier: options.identifier,
        password: options.password,
      }),
    }),
    200,
    'POST /self-service/login (api)',
  )) as { session_token: string; session: KratosSession }
}

/**
 * The browser login flow as a SPA runs it: `GET /self-service/login/browser` with
 * `Accept: application/json`, then a JSON `POST` to the flow's action with the `csrf_token`
 * node; `fetch` must keep cookies (the anti-CSRF one, then the session). `aal: 'aal2'` submits
 * the TOTP code instead of the password.
 */
export async function browserLogin(
  baseUrl: string,
  fetch: typeof globalThis.fetch,
  options: (
    | { identifier: string; password: string; refresh?: boolean }
    | { aal: 'aal2'; totpCode: string; refresh?: boolean }
  ) & {
    /** Start from this URL (e.g. one the keeper built) instead of building the query here. */
    flowUrl?: string
  },
): Promise<{ session: KratosSession; continue_with: { action: string; redirect_browser_to?: string }[] }> {
  const query = new URLSearchParams()
  if (options.refresh) query.set('refresh', 'true')
  if ('aal' in options) query.set('aal', options.aal)
  const flowUrl = options.flowUrl ?? `${baseUrl}/self-service/login/browser?${query}`
  const flow = (await expectStatus(
    await fetch(flowUrl, { headers: { accept: 'application/json' } }),
    200,
    'GET /self-service/login/browser',
  )) as LoginFlowJson
  const csrfToken = flow.ui.nodes.find((node) => node.attributes.name === 'csrf_token')?.attributes.value
  if (typeof csrfToken !== 'string') throw new Error(`login flow without csrf_token: ${JSON.stringify(flow)}`)
  const body =
    'aal' in options
      ? { method: 'totp', totp_code: options.totpCode, csrf_token: csrfToken }
      : {
          method: 'password',
          identifier: options.identifier,
          password: options.password,
          csrf_token: csrfToken,
        }
  return (await expectStatus(
    await fetch(flow.ui.action, { method: 'POST', headers: json, body: JSON.stringify(body) }),
    200,
    'POST /self-service/login (browser)',
  )) as { session: KratosSession; continue_with: { action: string; redirect_browser_to?: string }[] }
}

/** `GET /sessions/whoami` with the given headers; only the status is returned. */
export async function whoamiStatus(baseUrl: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${baseUrl}/sessions/whoami`, {
    headers: { accept: 'application/json', ...headers },
  })
  await response.body?.cancel()
  return response.status
}
