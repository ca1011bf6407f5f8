// @session-keeper/core against @session-keeper/fake-kratos over real HTTP, in Node: sign-in in
// token and cookie mode, expiry, revocation, step-up to aal2, refresh through the login flow,
// clock skew, logout (issue 3, DESIGN §3). The keeper is not started here (in Node `start()`
// does nothing): every answer comes from an explicit `check()`. keeper.started.test.ts covers
// the timers with the browser globals stubbed.

import { createSessionKeeper, isNetworkError, isReauthLoopError, isServerError } from '@session-keeper/core'
import type { FakeKratos } from '@session-keeper/fake-kratos'
import { describe, expect, it, vi } from 'vitest'
import { stubBrowserGlobals } from './browserGlobals.js'
import { createCookieJarFetch } from './cookieJarFetch.js'
import { createFetchRecorder } from './fetchRecorder.js'
import { countEvents, keeperFor, requestsTo, startKratos, T0, tokenKeeperFor } from './harness.js'
import { apiLogin, browserLogin, whoamiStatus } from './kratosFlows.js'
import { createManualClock, type ManualClock } from './manualClock.js'

const USER = { identifier: 'user@example.com', password: 'password' }
const COOKIE = 'ory_kratos_session'

/** Time passes for both sides: the fake's clock and the keeper's move together. */
const elapse = (kratos: FakeKratos, clock: ManualClock, ms: number) => {
  kratos.clock.advance(ms)
  clock.advance(ms)
}

describe('token mode', () => {
  it('should report the session of an API login as authenticated, sending X-Session-Token', async () => {
    const kratos = await startKratos()
    const login = await apiLogin(kratos.url, USER)
    const recorder = createFetchRecorder()
    const keeper = keeperFor(kratos, {
      sessionToken: login.session_token,
      fetch: recorder.fetch,
      clock: createManualClock(T0),
    })
    const events = countEvents(keeper)

    const state = await keeper.check()

    expect(state).toMatchObject({
      status: 'authenticated',
      phase: 'active',
      stale: false,
      error: null,
      lastCheckedAt: T0,
      clockSkew: 0,
      aal2RedirectTo: null,
    })
    expect(state.session?.id).toBe(login.session.id)
    expect(state.session?.identity?.traits).toMatchObject({ email: 'user@example.com' })
    expect(state.session?.expires_at).toEqual(new Date(login.session.expires_at))
    expect(state.session?.authenticated_at).toEqual(new Date(T0))
    expect(recorder.calls).toHaveLength(1)
    const [request] = recorder.calls
    expect(request?.method).toBe('GET')
    expect(request?.url).toBe(`${kratos.url}/sessions/whoami`)
    expect(request?.headers.get('x-session-token')).toBe(login.session_token)
    expect(request?.headers.get('accept')).toBe('application/json')
    expect(request?.headers.get('cookie')).toBeNull()
    expect(events.changed).toBe(1)
  })

  it('should be unauthenticated with a token Kratos does not know', async () => {
    const kratos = await startKratos()
    const keeper = keeperFor(kratos, { sessionToken: 'ory_st_unknown', clock: createManualClock(T0) })

    const state = await keeper.check()

    expect(state).toMatchObject({ status: 'unauthenticated', session: null, phase: null, error: null })
    expect(state.lastCheckedAt).toBe(T0)
  })
})

describe('cookie mode (cookie-jar fetch)', () => {
  it('should be authenticated with the cookie of a browser login flow run as JSON', async () => {
    const kratos = await startKratos()
    const recorder = createFetchRecorder()
    const browser = createCookieJarFetch(recorder.fetch)
    const login = await browserLogin(kratos.url, browser.fetch, USER)
    expect(browser.jar.get(COOKIE)).toBeDefined()
    const keeper = keeperFor(kratos, { fetch: browser.fetch, clock: createManualClock(T0) })

    const state = await keeper.check()

    expect(state.status).toBe('authenticated')
    expect(state.session?.id).toBe(login.session.id)
    expect(state.session?.identity?.traits).toMatchObject({ email: 'user@example.com' })
    const whoami = recorder.calls.filter((call) => call.url === `${kratos.url}/sessions/whoami`)
    expect(whoami).toHaveLength(1)
    expect(whoami[0]?.headers.get('cookie')).toContain(`${COOKIE}=${browser.jar.get(COOKIE)}`)
    expect(whoami[0]?.headers.get('x-session-token')).toBeNull()
  })

  it('should be authenticated with the cookie createSession() gives', async () => {
    const kratos = await startKratos()
    const browser = createCookieJarFetch()
    const created = kratos.createSession('user@example.com')
    browser.jar.set(created.cookie)
    const keeper = keeperFor(kratos, { fetch: browser.fetch, clock: createManualClock(T0) })

    const state = await keeper.check()

    expect(state.status).toBe('authenticated')
    expect(state.session?.id).toBe(created.session.id)
  })

  it('should be unauthenticated without a session cookie, with no error', async () => {
    const kratos = await startKratos()
    const keeper = keeperFor(kratos, { fetch: createCookieJarFetch().fetch, clock: createManualClock(T0) })
    const events = countEvents(keeper)

    const state = await keeper.check()

    expect(state).toMatchObject({ status: 'unauthenticated', session: null, phase: null, stale: false })
    expect(state.error).toBeNull()
    expect(events.error).toBe(0)
  })
})

describe('answers over time', () => {
  it('should keep the same session object and call no listener when a check changes nothing', async () => {
    const kratos = await startKratos()
    const clock = createManualClock(T0)
    const keeper = tokenKeeperFor(kratos, { clock })
    const first = await keeper.check()
    const listener = vi.fn()
    keeper.subscribe(listener)

    elapse(kratos, clock, 60_000)
    const second = await keeper.check()

    expect(second.session).toBe(first.session)
    expect(listener).not.toHaveBeenCalled()
    expect(keeper.getState().lastCheckedAt).toBe(T0 + 60_000)
    expect(requestsTo(kratos, 'GET /sessions/whoami')).toBe(2)
  })

  it('should share one whoami request between concurrent checks', async () => {
    const kratos = await startKratos()
    const keeper = tokenKeeperFor(kratos, { clock: createManualClock(T0) })

    const [a, b, c] = [keeper.check(), keeper.check(), keeper.check()]

    expect(b).toBe(a)
    expect(c).toBe(a)
    await a
    expect(requestsTo(kratos, 'GET /sessions/whoami')).toBe(1)
  })

  it('should drop an answer that started before a forced check which has already answered', async () => {
    const kratos = await startKratos()
    const created = kratos.createSession('user@example.com')
    const recorder = createFetchRecorder()
    const keeper = keeperFor(kratos, {
      sessionToken: created.sessionToken,
      fetch: recorder.fetch,
      clock: createManualClock(T0),
    })
    const held = recorder.holdNextResponse()
    const old = keeper.check()
    await held.arrived // the server answered 200 with the session; the keeper has not seen it yet
    kratos.revokeSession(created.session.id)

    const forced = await keeper.check({ force: true })
    expect(forced.status).toBe('unauthenticated')
    held.release()
    await old

    expect(requestsTo(kratos, 'GET /sessions/whoami')).toBe(2)
    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', session: null })
  })
})

describe('expiry, 401 and revocation', () => {
  it('should become unauthenticated once the fake clock passes expires_at and whoami answers 401', async () => {
    const kratos = await startKratos({ lifespan: '1h' })
    const clock = createManualClock(T0)
    const keeper = tokenKeeperFor(kratos, { clock })
    const events = countEvents(keeper)
    expect((await keeper.check()).status).toBe('authenticated')

    elapse(kratos, clock, 3_600_000)
    const state = await keeper.check()

    expect(state).toMatchObject({
      status: 'unauthenticated',
      session: null,
      phase: null,
      stale: false,
      error: null,
    })
    expect(events['signed-out']).toBe(1)
  })

  it('should become unauthenticated when Kratos revokes the session', async () => {
    const kratos = await startKratos()
    const created = kratos.createSession('user@example.com')
    const browser = createCookieJarFetch()
    browser.jar.set(created.cookie)
    const keeper = keeperFor(kratos, { fetch: browser.fetch, clock: createManualClock(T0) })
    const events = countEvents(keeper)
    await keeper.check()

    kratos.revokeSession(created.session.id)
    const state = await keeper.check()

    expect(state).toMatchObject({ status: 'unauthenticated', session: null, error: null })
    expect(events['signed-out']).toBe(1)
    expect(events['signed-in']).toBe(0)
  })

  it('should report phase expiring when the server says expires_at is within expiringThreshold', async () => {
    const kratos = await startKratos({ lifespan: '1h' })
    const clock = createManualClock(T0)
    const keeper = tokenKeeperFor(kratos, { clock, expiringThreshold: '5m' })
    const events = countEvents(keeper)
    expect((await keeper.check()).phase).toBe('active')

    elapse(kratos, clock, 56 * 60_000)
    const state = await keeper.check()

    expect(state).toMatchObject({ status: 'authenticated', phase: 'expiring' })
    expect(events.expiring).toBe(1)
  })

  it('should call a session expired on its local clock even while the server still accepts it', async () => {
    // Server time is what counts, so the keeper's clock must run past expires_at with the server's
    // clock agreeing within a second: the whoami answer (still 200 a moment before) is then expired.
    const kratos = await startKratos({ lifespan: '1h' })
    const clock = createManualClock(T0)
    const keeper = tokenKeeperFor(kratos, { clock })
    const events = countEvents(keeper)
    await keeper.check()
    elapse(kratos, clock, 3_600_000 - 1_000)
    kratos.addFault({ route: 'GET /sessions/whoami', status: 503 })

    clock.advance(1_000) // the keeper's clock reaches expires_at; the server is down
    const state = await keeper.check()

    expect(state).toMatchObject({ status: 'unauthenticated', phase: 'expired', stale: true })
    expect(events.expired).toBe(1)
    expect(events['signed-out']).toBe(1)
  })
})

describe('aal2 required (mfa@example.com with an aal1 session, required_aal highest_available)', () => {
  it('should report aal2-required with Kratos redirect_browser_to and no return_to when Node has no location', async () => {
    const kratos = await startKratos({ requiredAal: 'highest_available' })
    const keeper = tokenKeeperFor(kratos, { clock: createManualClock(T0), email: 'mfa@example.com' })
    const events = countEvents(keeper)

    const state = await keeper.check()

    expect(state).toMatchObject({ status: 'aal2-required', session: null, stale: false, error: null })
    // Without `location` there is no page to come back to: the keeper leaves return_to out.
    expect(state.aal2RedirectTo).toBe(`${kratos.url}/self-service/login/browser?aal=aal2`)
    expect(events['aal2-required']).toBe(1)
  })

  it('should add location.href as return_to to the aal2 redirect', async () => {
    const kratos = await startKratos({ requiredAal: 'highest_available' })
    const page = 'http://app.test/account/security?tab=2'
    stubBrowserGlobals(page)
    const keeper = tokenKeeperFor(kratos, { clock: createManualClock(T0), email: 'mfa@example.com' })

    const state = await keeper.check()

    expect(state.status).toBe('aal2-required')
    const url = new URL(state.aal2RedirectTo ?? '')
    expect(`${url.origin}${url.pathname}`).toBe(`${kratos.url}/self-service/login/browser`)
    expect(Object.fromEntries(url.searchParams)).toEqual({ aal: 'aal2', return_to: page })
  })

  it('should become authenticated at aal2 after the TOTP step of the login flow', async () => {
    const kratos = await startKratos({ requiredAal: 'highest_available' })
    const browser = createCookieJarFetch()
    // The password step of mfa@example.com ends in 422 browser_location_change_required with the
    // aal1 cookie set; createSession() gives that aal1 session directly.
    browser.jar.set(kratos.createSession('mfa@example.com', { aal: 'aal1' }).cookie)
    const keeper = keeperFor(kratos, { fetch: browser.fetch, clock: createManualClock(T0) })
    const events = countEvents(keeper)
    expect((await keeper.check()).status).toBe('aal2-required')
    expect(keeper.loginUrl({ refresh: false, returnTo: undefined })).toBe(
      `${kratos.url}/self-service/login/browser?aal=aal2`,
    )

    await browserLogin(kratos.url, browser.fetch, { aal: 'aal2', totpCode: '123456' })
    const state = await keeper.check()

    expect(state).toMatchObject({ status: 'authenticated', aal2RedirectTo: null })
    expect(state.session?.authenticator_assurance_level).toBe('aal2')
    expect(keeper.isFresh({ aal: 'aal2' })).toBe(true)
    expect(events['signed-in']).toBe(1)
    expect(events['signed-out']).toBe(0)
  })

  it('should be authenticated for the same aal1 session when required_aal is aal1', async () => {
    const kratos = await startKratos({ requiredAal: 'aal1' })
    const keeper = tokenKeeperFor(kratos, { clock: createManualClock(T0), email: 'mfa@example.com' })

    const state = await keeper.check()

    expect(state.status).toBe('authenticated')
    expect(state.session?.authenticator_assurance_level).toBe('aal1')
    expect(keeper.isFresh({ aal: 'aal2' })).toBe(false)
  })
})

describe('refresh through the login flow', () => {
  it('should be fresh again after an API refresh login moves authenticated_at, keeping the session id', async () => {
    const kratos = await startKratos()
    const clock = createManualClock(T0)
    const login = await apiLogin(kratos.url, USER)
    const keeper = keeperFor(kratos, { sessionToken: login.session_token, clock })
    const events = countEvents(keeper)
    await keeper.check()
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)

    elapse(kratos, clock, 10 * 60_000)
    await keeper.check()
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(false)
    expect(keeper.isFresh({ maxAge: '15m' })).toBe(true)
    const changedBefore = events.changed

    const refreshed = await apiLogin(kratos.url, {
      ...USER,
      sessionToken: login.session_token,
      refresh: true,
    })
    expect(refreshed.session_token).toBe(login.session_token)
    const state = await keeper.check()

    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
    expect(state.session?.id).toBe(login.session.id)
    expect(state.session?.authenticated_at).toEqual(new Date(T0 + 10 * 60_000))
    expect(events.changed).toBe(changedBefore + 1)
    expect(events['signed-in']).toBe(0)
  })

  it('should be fresh again after a browser refresh login in cookie mode, keeping the session id', async () => {
    const kratos = await startKratos()
    const clock = createManualClock(T0)
    const browser = createCookieJarFetch()
    const login = await browserLogin(kratos.url, browser.fetch, USER)
    const keeper = keeperFor(kratos, { fetch: browser.fetch, clock })
    const events = countEvents(keeper)
    await keeper.check()
    elapse(kratos, clock, 10 * 60_000)
    await keeper.check()
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(false)

    await browserLogin(kratos.url, browser.fetch, { ...USER, refresh: true })
    const state = await keeper.check()

    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
    expect(state.session?.id).toBe(login.session.id)
    expect(state.session?.authenticated_at).toEqual(new Date(T0 + 10 * 60_000))
    expect(events.changed).toBe(2)
  })

  it('should follow a refresh that makes a new session id (refreshCreatesNewSession), staying authenticated', async () => {
    const kratos = await startKratos({ refreshCreatesNewSession: true })
    const clock = createManualClock(T0)
    const browser = createCookieJarFetch()
    const login = await browserLogin(kratos.url, browser.fetch, USER)
    const keeper = keeperFor(kratos, { fetch: browser.fetch, clock })
    const events = countEvents(keeper)
    await keeper.check()
    elapse(kratos, clock, 10 * 60_000)

    const refreshed = await browserLogin(kratos.url, browser.fetch, { ...USER, refresh: true })
    const state = await keeper.check()

    expect(refreshed.session.id).not.toBe(login.session.id)
    expect(state.status).toBe('authenticated')
    expect(state.session?.id).toBe(refreshed.session.id)
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
    expect(events.changed).toBe(2)
    expect(events['signed-in']).toBe(0)
    expect(events['signed-out']).toBe(0)
  })
})

describe('clock skew', () => {
  it('should measure the server 1 h ahead from Date and judge phase and freshness by server time', async () => {
    // Both clocks are real here; only the fake's is moved.
    const kratos = await startKratos({ now: Date.now, lifespan: '1h10m' })
    const token = kratos.createSession('user@example.com').sessionToken
    kratos.clock.advance(3_600_000) // the server now says 10 min are left
    const keeper = keeperFor(kratos, { sessionToken: token, expiringThreshold: '15m' })
    const events = countEvents(keeper)

    const state = await keeper.check()

    expect(Math.abs(state.clockSkew - 3_600_000)).toBeLessThanOrEqual(2_000)
    expect(state).toMatchObject({ status: 'authenticated', phase: 'expiring' })
    expect(events.expiring).toBe(1)
    expect(keeper.isFresh({ maxAge: '30m' })).toBe(false)
    expect(keeper.isFresh({ maxAge: '2h' })).toBe(true)
    // lastCheckedAt stays in local time.
    expect(Math.abs((state.lastCheckedAt ?? 0) - Date.now())).toBeLessThan(60_000)
  })

  it('should measure a server 1 h behind as negative skew', async () => {
    const kratos = await startKratos({ now: Date.now })
    const token = kratos.createSession('user@example.com').sessionToken
    kratos.clock.advance(-3_600_000)
    const keeper = keeperFor(kratos, { sessionToken: token })

    const state = await keeper.check()

    expect(Math.abs(state.clockSkew + 3_600_000)).toBeLessThanOrEqual(2_000)
    expect(state.status).toBe('authenticated')
  })

  it('should report no skew when the clocks agree', async () => {
    const kratos = await startKratos()
    const keeper = tokenKeeperFor(kratos, { clock: createManualClock(T0) })

    expect((await keeper.check()).clockSkew).toBe(0)
  })
})

describe('re-authentication round trip (browser globals stubbed)', () => {
  const APP = 'http://app.test/settings'

  it('should redirect to a refresh login Kratos accepts, and be fresh after coming back', async () => {
    const kratos = await startKratos({ allowedReturnUrls: ['http://app.test/'] })
    const page = stubBrowserGlobals(APP)
    const clock = createManualClock(T0)
    const browser = createCookieJarFetch()
    await browserLogin(kratos.url, browser.fetch, USER)
    const keeper = keeperFor(kratos, { fetch: browser.fetch, clock })
    await keeper.check()
    elapse(kratos, clock, 10 * 60_000)
    await keeper.check()

    await keeper.reauthenticate({ maxAge: '5m' })

    expect(page.assigned).toHaveLength(1)
    const target = new URL(page.assigned[0] ?? '')
    expect(`${target.origin}${target.pathname}`).toBe(`${kratos.url}/self-service/login/browser`)
    expect(Object.fromEntries(target.searchParams)).toEqual({ refresh: 'true', return_to: APP })

    // The "browser" follows the redirect: Kratos accepts the URL and sends the user back to the app.
    const login = await browserLogin(kratos.url, browser.fetch, { ...USER, flowUrl: target.href })
    expect(login.continue_with).toEqual([{ action: 'redirect_browser_to', redirect_browser_to: APP }])
    await keeper.check()

    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
    await keeper.reauthenticate({ maxAge: '5m' })
    expect(page.assigned).toHaveLength(1)
  })

  it('should refuse a second redirect with ReauthLoopError when the user comes back unmet within 60 s', async () => {
    const kratos = await startKratos({ allowedReturnUrls: ['http://app.test/'] })
    const page = stubBrowserGlobals(APP)
    const clock = createManualClock(T0)
    const { sessionToken } = kratos.createSession('user@example.com')
    elapse(kratos, clock, 10 * 60_000)
    const first = keeperFor(kratos, { sessionToken, clock })
    await first.check()
    await first.reauthenticate({ maxAge: '5m' })
    expect(page.assigned).toHaveLength(1)

    // The page loads again (a new keeper, the same sessionStorage) without a fresh login.
    elapse(kratos, clock, 20_000)
    const second = keeperFor(kratos, { sessionToken, clock })
    await second.check()
    const error: unknown = await second.reauthenticate({ maxAge: '5m' }).then(
      () => null,
      (reason: unknown) => reason,
    )

    expect(isReauthLoopError(error)).toBe(true)
    expect(second.getState().error).toBe(error)
    expect(page.assigned).toHaveLength(1)

    elapse(kratos, clock, 60_000)
    await second.reauthenticate({ maxAge: '5m' })
    expect(page.assigned).toHaveLength(2)
  })
})

describe('logout', () => {
  it('should end a token session through DELETE /self-service/logout/api', async () => {
    const kratos = await startKratos()
    const login = await apiLogin(kratos.url, USER)
    const keeper = keeperFor(kratos, { sessionToken: login.session_token, clock: createManualClock(T0) })
    const events = countEvents(keeper)
    await keeper.check()

    await keeper.logout()

    expect(keeper.getState()).toMatchObject({
      status: 'unauthenticated',
      session: null,
      error: null,
      stale: false,
    })
    expect(events['signed-out']).toBe(1)
    expect(requestsTo(kratos, 'DELETE /self-service/logout/api')).toBe(1)
    expect(await whoamiStatus(kratos.url, { 'x-session-token': login.session_token })).toBe(401)
    expect((await keeper.check()).status).toBe('unauthenticated')
  })

  it('should end a cookie session through the logout browser flow and its logout_url', async () => {
    const kratos = await startKratos()
    const browser = createCookieJarFetch()
    await browserLogin(kratos.url, browser.fetch, USER)
    const cookie = `${COOKIE}=${browser.jar.get(COOKIE)}`
    const keeper = keeperFor(kratos, { fetch: browser.fetch, clock: createManualClock(T0) })
    const events = countEvents(keeper)
    await keeper.check()

    await keeper.logout()

    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', session: null, error: null })
    expect(events['signed-out']).toBe(1)
    expect(requestsTo(kratos, 'GET /self-service/logout/browser')).toBe(1)
    expect(requestsTo(kratos, 'GET /self-service/logout')).toBe(1)
    expect(browser.jar.get(COOKIE)).toBeUndefined()
    expect(await whoamiStatus(kratos.url, { cookie })).toBe(401)
  })

  it('should reject with a ServerError and keep the session when the logout flow answers 503', async () => {
    const kratos = await startKratos()
    const browser = createCookieJarFetch()
    browser.jar.set(kratos.createSession('user@example.com').cookie)
    const keeper = keeperFor(kratos, { fetch: browser.fetch, clock: createManualClock(T0) })
    const before = await keeper.check()
    kratos.addFault({ route: 'GET /self-service/logout/browser', status: 503 })

    const error: unknown = await keeper.logout().then(
      () => null,
      (reason: unknown) => reason,
    )

    expect(isServerError(error) && error.status).toBe(503)
    expect(keeper.getState().status).toBe('authenticated')
    expect(keeper.getState().session).toBe(before.session)
    expect(requestsTo(kratos, 'GET /self-service/logout')).toBe(0)
  })

  it('should reject with a NetworkError and keep the session when the API logout connection is reset', async () => {
    const kratos = await startKratos()
    const { sessionToken } = kratos.createSession('user@example.com')
    const keeper = keeperFor(kratos, { sessionToken, clock: createManualClock(T0) })
    await keeper.check()
    kratos.addFault({ route: 'DELETE /self-service/logout/api', reset: true })

    const error: unknown = await keeper.logout().then(
      () => null,
      (reason: unknown) => reason,
    )

    expect(isNetworkError(error)).toBe(true)
    expect(keeper.getState().status).toBe('authenticated')
    expect(await whoamiStatus(kratos.url, { 'x-session-token': sessionToken })).toBe(200)
  })
})

describe('creation', () => {
  it('should send no request before check() or start()', async () => {
    const kratos = await startKratos()
    createSessionKeeper({ baseUrl: kratos.url, sessionToken: 'ory_st_x' })
    expect(kratos.stats().requests).toEqual({})
  })
})
