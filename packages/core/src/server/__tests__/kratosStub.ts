// A scripted Kratos for the server unit tests: whoami and the admin session routes as injected
// `fetch`, with Kratos's extend rule (`expires_at - earliest_possible_extend < now`) on a
// settable clock. Every request is recorded; any route can be replaced by a fixed answer.
import { inspect } from 'node:util'
import { vi } from 'vitest'

export const T0 = Date.UTC(2031, 0, 15, 9, 0, 0)
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const SESSION_ID = '7c6bf0f6-9c2c-4f3c-9d48-4cf2a3f0f0aa'
export const API_KEY = 'ory_pat_TOPSECRETkey123'
export const BASE_URL = 'https://auth.example.com'
export const ADMIN_URL = 'https://admin.example.com'
export const APP = 'https://app.example.com'

export const sessionBody = (expiresAt: number, id = SESSION_ID) => ({
  id,
  active: true,
  expires_at: new Date(expiresAt).toISOString(),
  authenticated_at: new Date(T0 - HOUR).toISOString(),
  identity: { id: 'i-1', schema_id: 'default', schema_url: '', traits: { email: 'user@example.com' } },
})

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

type Route = 'whoami' | 'extend' | 'get'

export interface KratosStubOptions {
  expiresAt?: number
  lifespan?: number
  /** `earliest_possible_extend`; the default, as in Kratos, is the lifespan. */
  window?: number
  fasterSessionExtend?: boolean
  /** Send a `Date` header from the stub's clock. @default true */
  date?: boolean
}

/** @example const kratos = kratosStub({ expiresAt: T0 + HOUR }); createExtendHandler({ ..., fetch: kratos.fetch }) */
export function kratosStub(options: KratosStubOptions = {}) {
  const lifespan = options.lifespan ?? 24 * HOUR
  const window = options.window ?? lifespan
  const state = { now: T0, expiresAt: options.expiresAt ?? T0 + lifespan }
  const calls: { route: Route | 'other'; request: Request }[] = []
  const overrides = new Map<Route, () => Response | Promise<Response>>()
  const dated = (response: Response) => {
    if (options.date !== false) response.headers.set('date', new Date(state.now).toUTCString())
    return response
  }
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    const { pathname } = new URL(request.url)
    const route: Route | 'other' = pathname.endsWith('/sessions/whoami')
      ? 'whoami'
      : pathname.endsWith('/extend')
        ? 'extend'
        : pathname.startsWith('/admin/sessions/')
          ? 'get'
          : 'other'
    calls.push({ route, request })
    const override = route !== 'other' ? overrides.get(route) : undefined
    if (override) return override()
    if (route === 'whoami') {
      const signedIn =
        request.headers.get('cookie')?.includes('ory_kratos_session=') ||
        request.headers.has('x-session-token')
      if (!signedIn || state.expiresAt <= state.now) return dated(json(401, { error: { code: 401 } }))
      return dated(json(200, sessionBody(state.expiresAt)))
    }
    if (route === 'extend') {
      if (state.expiresAt - window < state.now) state.expiresAt = state.now + lifespan
      return options.fasterSessionExtend
        ? dated(new Response(null, { status: 204 }))
        : dated(json(200, sessionBody(state.expiresAt)))
    }
    if (route === 'get') return dated(json(200, sessionBody(state.expiresAt)))
    return new Response('404 page not found', { status: 404 })
  })
  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    state,
    calls,
    /** Requests sent to one route. */
    count: (route: Route) => calls.filter((call) => call.route === route).length,
    /** Answers every later request to `route` with `answer()`. */
    override(route: Route, answer: () => Response | Promise<Response>) {
      overrides.set(route, answer)
    },
  }
}

/** A browser's POST from the app's own page, with the session cookie. */
export const appRequest = (headers: Record<string, string> = {}, init: RequestInit = {}) =>
  new Request(`${APP}/api/session/extend`, {
    method: 'POST',
    headers: { cookie: 'ory_kratos_session=abc', 'sec-fetch-site': 'same-origin', origin: APP, ...headers },
    ...init,
  })

/** Every way an error could be printed, logged or serialised. */
export function everyRendering(error: unknown): string[] {
  const cause = (error as Error).cause
  return [
    String(error),
    (error as Error).message,
    String((error as Error).stack),
    String(JSON.stringify(error)),
    JSON.stringify(Object.entries(error as object)),
    String(JSON.stringify(cause)),
    String(cause),
    inspect(error, { depth: Infinity, showHidden: true }),
  ]
}
