// The few Kratos calls this page makes, with the answers sorted into what the UI shows.
// Rules from FACTS.md: send `Accept: application/json` (else Kratos treats fetch as a browser and
// redirects) and `credentials: 'include'` (the session is an HttpOnly cookie on Kratos's origin).

/** The part of Kratos's Session this page reads. */
export interface Session {
  id: string
  authenticator_assurance_level?: string
  authenticated_at: string
  expires_at: string
  identity?: { traits?: Record<string, unknown> }
}

export type Whoami =
  | { status: 'authenticated'; session: Session }
  | { status: 'unauthenticated' }
  | { status: 'aal2-required'; redirectTo: string }
  | { status: 'error'; message: string }

const init: RequestInit = { credentials: 'include', headers: { Accept: 'application/json' } }

/** `path` under the Kratos public URL, which may itself have a path (Ory Tunnel, proxies). */
function kratosUrl(baseUrl: string, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(path.replace(/^\/+/, ''), baseUrl.replace(/\/*$/, '/'))
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value)
  return url
}

/** A URL the server sent us may only lead to Kratos itself, never elsewhere. */
function onKratos(baseUrl: string, url: unknown): URL | null {
  if (typeof url !== 'string' || !URL.canParse(url)) return null
  const parsed = new URL(url)
  return parsed.origin === new URL(baseUrl).origin ? parsed : null
}

export function loginUrl(baseUrl: string, returnTo: string): string {
  return kratosUrl(baseUrl, '/self-service/login/browser', { return_to: returnTo }).href
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json()
  } catch {
    return null
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function isSession(body: unknown): body is Session {
  return (
    isObject(body) &&
    typeof body.id === 'string' &&
    typeof body.expires_at === 'string' &&
    !Number.isNaN(Date.parse(body.expires_at)) &&
    typeof body.authenticated_at === 'string' &&
    !Number.isNaN(Date.parse(body.authenticated_at))
  )
}

/** "Kratos answered 503 Service Unavailable: <reason>", from a herodot error body when there is one. */
function describe(response: Response, body: unknown): string {
  const error = isObject(body) && isObject(body.error) ? body.error : {}
  const detail = [error.reason, error.message].find((text) => typeof text === 'string')
  return `Kratos answered ${response.status} ${response.statusText}${detail ? `: ${detail}` : ''}`.trim()
}

/**
 * Asks `GET /sessions/whoami`. Only a 401 means signed out; network errors, 5xx and anything
 * unexpected are errors, because they say nothing about the session. Rejects only when aborted.
 */
export async function whoami(baseUrl: string, returnTo: string, signal?: AbortSignal): Promise<Whoami> {
  let response: Response
  try {
    response = await fetch(kratosUrl(baseUrl, '/sessions/whoami'), { ...init, signal })
  } catch (error) {
    if (signal?.aborted) throw error
    return { status: 'error', message: `Could not reach Kratos at ${baseUrl} (${(error as Error).message})` }
  }
  const body = await readJson(response)
  if (response.status === 200 && isSession(body)) return { status: 'authenticated', session: body }
  if (response.status === 200) return { status: 'error', message: 'Kratos answered 200 without a session' }
  if (response.status === 401) return { status: 'unauthenticated' }
  if (response.status === 403 && isObject(body) && isObject(body.error)) {
    // Kratos leaves `return_to` out of this redirect (FACTS §1): add it, or the user is stranded.
    const redirect = onKratos(baseUrl, body.redirect_browser_to)
    if (body.error.id === 'session_aal2_required' && redirect) {
      redirect.searchParams.set('return_to', returnTo)
      return { status: 'aal2-required', redirectTo: redirect.href }
    }
  }
  return { status: 'error', message: describe(response, body) }
}

/**
 * Starts the browser logout flow and returns the `logout_url` to navigate to (it ends the session
 * and redirects to `returnTo`), or `null` when there is no session to end. Throws on other failures.
 */
export async function logoutUrl(baseUrl: string, returnTo: string): Promise<string | null> {
  const response = await fetch(
    kratosUrl(baseUrl, '/self-service/logout/browser', { return_to: returnTo }),
    init,
  )
  const body = await readJson(response)
  if (response.status === 401) return null
  const url = response.ok && isObject(body) ? onKratos(baseUrl, body.logout_url) : null
  if (!url) throw new Error(describe(response, body))
  return url.href
}
