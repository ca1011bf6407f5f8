// @session-keeper/core/server against @session-keeper/fake-kratos over real HTTP: the extend
// handler in cookie and token mode, Kratos's 200 and 204 (faster_session_extend) answers, the
// earliest_possible_extend window (with no admin call before it), admin errors, and the API
// key kept out of every error and answer.

import { inspect } from 'node:util'
import {
  createExtendHandler,
  type ExtendHandlerOptions,
  extendSession,
  getSessionFromRequest,
  isServerError,
  ServerError,
} from '@session-keeper/core/server'
import type { FakeKratos } from '@session-keeper/fake-kratos'
import { describe, expect, it } from 'vitest'
import { requestsTo, startKratos, T0 } from './harness.js'
import { apiLogin } from './kratosFlows.js'

const APP = 'https://app.example.com'
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const API_KEY = 'ory_pat_integrationSECRET42'
const iso = (ms: number) => new Date(ms).toISOString()

/** A browser's same-origin POST to the app's extend route. */
const post = (headers: Record<string, string>) =>
  new Request(`${APP}/api/session/extend`, {
    method: 'POST',
    headers: { 'sec-fetch-site': 'same-origin', origin: APP, ...headers },
  })

/** The admin API is the fake's own port here; `apiKey` matches the fake's unless overridden. */
const handlerFor = (kratos: FakeKratos, options: Partial<ExtendHandlerOptions> = {}) =>
  createExtendHandler({
    baseUrl: kratos.url,
    adminUrl: kratos.url,
    apiKey: API_KEY,
    now: () => kratos.clock.now(),
    ...options,
  })

const call = async (handler: (request: Request) => Promise<Response>, request: Request) => {
  const response = await handler(request)
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) }
}

const extendRoute = (id: string) => `PATCH /admin/sessions/${id}/extend`

/** Every way an error could be printed, logged or serialised. */
const everyRendering = (error: unknown) => [
  String(error),
  String((error as Error).stack),
  String(JSON.stringify(error)),
  String(JSON.stringify((error as Error).cause)),
  inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
]

describe('createExtendHandler against fake-kratos', () => {
  it('should extend a cookie session (200 + Session mode) and answer the new expires_at', async () => {
    const kratos = await startKratos({ apiKey: API_KEY, lifespan: '1h' })
    const { session, cookie } = kratos.createSession('user@example.com')
    kratos.clock.advance(10 * MINUTE)

    const { status, headers, body } = await call(handlerFor(kratos), post({ cookie }))

    expect(status).toBe(200)
    expect(headers.get('cache-control')).toBe('no-store')
    expect(body).toEqual({ extended: true, expires_at: iso(T0 + 10 * MINUTE + HOUR) })
    expect(requestsTo(kratos, extendRoute(session.id))).toBe(1)
    expect(requestsTo(kratos, `GET /admin/sessions/${session.id}`)).toBe(0)
    const after = await getSessionFromRequest(new Request(APP, { headers: { cookie } }), {
      baseUrl: kratos.url,
    })
    expect(after?.expires_at).toEqual(new Date(T0 + 10 * MINUTE + HOUR))
  })

  it('should extend a token session (204 mode), reading expires_at with GET /admin/sessions/{id}', async () => {
    const kratos = await startKratos({ apiKey: API_KEY, lifespan: '1h', fasterSessionExtend: true })
    const login = await apiLogin(kratos.url, { identifier: 'user@example.com', password: 'password' })
    kratos.clock.advance(20 * MINUTE)

    const { status, body } = await call(handlerFor(kratos), post({ 'x-session-token': login.session_token }))

    expect(status).toBe(200)
    expect(body).toEqual({ extended: true, expires_at: iso(T0 + 20 * MINUTE + HOUR) })
    expect(requestsTo(kratos, extendRoute(login.session.id))).toBe(1)
    expect(requestsTo(kratos, `GET /admin/sessions/${login.session.id}`)).toBe(1)
  })

  it('should answer outside_window with no admin call before earliestPossibleExtend, then extend', async () => {
    const kratos = await startKratos({ apiKey: API_KEY, lifespan: '1h', earliestPossibleExtend: '10m' })
    const { session, cookie } = kratos.createSession('user@example.com')
    const handler = handlerFor(kratos, { earliestPossibleExtend: '10m' })

    const early = await call(handler, post({ cookie }))
    kratos.clock.advance(50 * MINUTE + 1_000)
    const inside = await call(handler, post({ cookie }))

    expect(early.body).toEqual({
      extended: false,
      reason: 'outside_window',
      expires_at: iso(T0 + HOUR),
      extendable_at: iso(T0 + 50 * MINUTE),
    })
    expect(inside.body).toEqual({ extended: true, expires_at: iso(T0 + 50 * MINUTE + 1_000 + HOUR) })
    expect(requestsTo(kratos, extendRoute(session.id))).toBe(1)
  })

  it("should detect Kratos's silent no-op outside its window when the handler is not told the window", async () => {
    const kratos = await startKratos({ apiKey: API_KEY, lifespan: '1h', earliestPossibleExtend: '10m' })
    const { session, cookie } = kratos.createSession('user@example.com')

    const { status, body } = await call(handlerFor(kratos), post({ cookie }))

    expect(status).toBe(200)
    expect(body).toEqual({ extended: false, reason: 'outside_window', expires_at: iso(T0 + HOUR) })
    expect(requestsTo(kratos, extendRoute(session.id))).toBe(1)
  })

  it('should answer too_soon with retry_after for a second extension within minInterval', async () => {
    const kratos = await startKratos({ apiKey: API_KEY, lifespan: '1h' })
    const { session, cookie } = kratos.createSession('user@example.com')
    const handler = handlerFor(kratos, { minInterval: '5m' })

    await call(handler, post({ cookie }))
    kratos.clock.advance(2 * MINUTE)
    const again = await call(handler, post({ cookie }))

    expect(again.status).toBe(200)
    expect(again.body).toEqual({
      extended: false,
      reason: 'too_soon',
      expires_at: iso(T0 + HOUR),
      retry_after: 180,
    })
    expect(requestsTo(kratos, extendRoute(session.id))).toBe(1)
  })

  it('should refuse a cross-site request before asking Kratos anything', async () => {
    const kratos = await startKratos({ apiKey: API_KEY })
    const { cookie } = kratos.createSession('user@example.com')

    const crossSite = await call(handlerFor(kratos), post({ cookie, 'sec-fetch-site': 'cross-site' }))

    expect(crossSite.status).toBe(403)
    expect(crossSite.body.error.id).toBe('cross_site_request')
    expect(kratos.stats().requests).toEqual({})
  })

  it('should answer 401 for a revoked session, with no admin call', async () => {
    const kratos = await startKratos({ apiKey: API_KEY })
    const { session, cookie } = kratos.createSession('user@example.com')
    kratos.revokeSession(session.id)

    const { status, body } = await call(handlerFor(kratos), post({ cookie }))

    expect(status).toBe(401)
    expect(body.error.id).toBe('session_inactive')
    expect(requestsTo(kratos, extendRoute(session.id))).toBe(0)
  })

  it("should pass Kratos's 403 session_aal2_required through", async () => {
    const kratos = await startKratos({ apiKey: API_KEY })
    const { cookie } = kratos.createSession('mfa@example.com')

    const { status, body } = await call(handlerFor(kratos), post({ cookie }))

    expect(status).toBe(403)
    expect(body.error.id).toBe('session_aal2_required')
  })

  it('should answer 502 for a wrong API key, the key in no part of the answer', async () => {
    const kratos = await startKratos({ apiKey: API_KEY })
    const { cookie } = kratos.createSession('user@example.com')
    const wrongKey = 'ory_pat_wrongKEY'

    const { status, headers, text, body } = await call(
      handlerFor(kratos, { apiKey: wrongKey }),
      post({ cookie }),
    )

    expect(status).toBe(502)
    expect(body.error).toEqual({ id: 'extend_failed', message: expect.stringMatching(/401.*API key/) })
    expect(text).not.toContain(wrongKey)
    expect(text).not.toContain(API_KEY)
    expect(JSON.stringify([...headers])).not.toContain(wrongKey)
  })
})

describe('extendSession against fake-kratos', () => {
  it('should resolve the session in 200 mode and null in 204 mode', async () => {
    const legacy = await startKratos({ apiKey: API_KEY, lifespan: '1h' })
    const faster = await startKratos({ apiKey: API_KEY, lifespan: '1h', fasterSessionExtend: true })
    const a = legacy.createSession('user@example.com').session
    const b = faster.createSession('user@example.com').session
    legacy.clock.advance(MINUTE)

    const session = await extendSession({ sessionId: a.id, adminUrl: legacy.url, apiKey: API_KEY })
    const none = await extendSession({ sessionId: b.id, adminUrl: faster.url, apiKey: API_KEY })

    expect(session?.expires_at).toEqual(new Date(T0 + MINUTE + HOUR))
    expect(none).toBeNull()
  })

  it('should reject an unknown session with ServerError 404 and a bad id with 400', async () => {
    const kratos = await startKratos({ apiKey: API_KEY })

    const unknown = extendSession({
      sessionId: '00000000-0000-4000-8000-000000000000',
      adminUrl: kratos.url,
      apiKey: API_KEY,
    })
    const malformed = extendSession({ sessionId: 'not-a-uuid', adminUrl: kratos.url, apiKey: API_KEY })

    await expect(unknown).rejects.toThrow(ServerError)
    await expect(unknown).rejects.toMatchObject({
      status: 404,
      message: expect.stringMatching(/no session has this id/),
    })
    await expect(malformed).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/not a UUID/),
    })
  })

  it('should reject a wrong API key with ServerError 401 that never contains the key', async () => {
    const kratos = await startKratos({ apiKey: API_KEY })
    const { session } = kratos.createSession('user@example.com')
    const wrongKey = 'ory_pat_wrongKEY'

    const error = await extendSession({
      sessionId: session.id,
      adminUrl: kratos.url,
      apiKey: wrongKey,
    }).catch((reason: unknown) => reason)

    expect(isServerError(error)).toBe(true)
    expect(error).toMatchObject({ status: 401, message: expect.stringMatching(/refused the admin API key/) })
    for (const text of everyRendering(error)) {
      expect(text).not.toContain(wrongKey)
      expect(text).not.toContain(API_KEY)
    }
  })

  it('should reject a missing API key with 401 too', async () => {
    const kratos = await startKratos({ apiKey: API_KEY })
    const { session } = kratos.createSession('user@example.com')

    await expect(extendSession({ sessionId: session.id, adminUrl: kratos.url })).rejects.toMatchObject({
      status: 401,
    })
  })
})

describe('getSessionFromRequest against fake-kratos', () => {
  it('should read the session in cookie mode and in token mode, and null without one', async () => {
    const kratos = await startKratos()
    const { session, cookie, sessionToken } = kratos.createSession('user@example.com')

    const byCookie = await getSessionFromRequest(new Request(APP, { headers: { cookie } }), {
      baseUrl: kratos.url,
    })
    const byToken = await getSessionFromRequest(
      new Request(APP, { headers: { 'x-session-token': sessionToken } }),
      {
        baseUrl: kratos.url,
      },
    )
    const stranger = await getSessionFromRequest(
      new Request(APP, { headers: { 'x-session-token': 'ory_st_unknown' } }),
      { baseUrl: kratos.url },
    )

    expect(byCookie?.id).toBe(session.id)
    expect(byToken?.id).toBe(session.id)
    expect(byCookie?.expires_at).toEqual(new Date(session.expires_at))
    expect(stranger).toBeNull()
  })
})
