// @vitest-environment jsdom
// logout(): the browser flow, token mode, refusals and failures (DESIGN §3 "Logout", FACTS §6).
import { describe, expect, it, vi } from 'vitest'
import type { SessionKeeperOptions } from '../resolveOptions.js'
import { NetworkError, ServerError, UnsafeReturnToError } from '../SessionKeeperError.js'
import { flush, kratosSession } from './fakeKratosFetch.js'
import { APP, BASE, useFakeTimerKeepers } from './keeperKit.js'

const LOGOUT_URL = `${BASE}/self-service/logout?token=ory_lo_abc`
const { setup, assign } = useFakeTimerKeepers({ href: `${APP}/account` })

async function signedIn(options: Partial<SessionKeeperOptions> = {}) {
  const { kratos, keeper } = setup(options)
  kratos.reply(200, kratosSession())
  await keeper.check()
  kratos.requests.length = 0
  return { kratos, keeper }
}

describe('logout in cookie mode', () => {
  it('should GET logout/browser as JSON, then GET the logout_url, and end unauthenticated with no error', async () => {
    const { kratos, keeper } = await signedIn()
    const signedOut = vi.fn()
    keeper.on('signed-out', signedOut)
    kratos.reply(200, { logout_url: LOGOUT_URL, logout_token: 'ory_lo_abc' }).reply(204)

    await keeper.logout()

    expect(kratos.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${BASE}/self-service/logout/browser`,
      `GET ${LOGOUT_URL}`,
    ])
    for (const request of kratos.requests) {
      expect(request.credentials).toBe('include')
      expect(request.headers.get('accept')).toBe('application/json')
    }
    expect(keeper.getState()).toMatchObject({
      status: 'unauthenticated',
      session: null,
      phase: null,
      error: null,
      stale: false,
    })
    expect(signedOut).toHaveBeenCalledTimes(1)
    expect(assign).not.toHaveBeenCalled()
  })

  it('should treat 401 from logout/browser as already signed out', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(401, {
      error: { id: 'session_inactive', code: 401, reason: 'No active session was found in this request.' },
    })

    await keeper.logout()

    expect(kratos.count).toBe(1)
    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', session: null, error: null })
  })

  it('should clear a stale error when signing out', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(503)
    await keeper.check()
    kratos.reply(200, { logout_url: LOGOUT_URL, logout_token: 'ory_lo_abc' }).reply(204)

    await keeper.logout()

    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', stale: false, error: null })
  })

  it('should navigate to returnTo after signing out', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, { logout_url: LOGOUT_URL, logout_token: 'ory_lo_abc' }).reply(204)

    await keeper.logout({ returnTo: `${APP}/goodbye` })

    expect(assign).toHaveBeenCalledWith(`${APP}/goodbye`)
  })

  it('should navigate to a path returnTo resolved against the page', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, { logout_url: LOGOUT_URL, logout_token: 'ory_lo_abc' }).reply(204)

    await keeper.logout({ returnTo: '/goodbye?bye=1' })

    expect(assign).toHaveBeenCalledWith(`${APP}/goodbye?bye=1`)
  })

  it('should refuse an unsafe returnTo before signing out', async () => {
    const { kratos, keeper } = await signedIn()
    const before = keeper.getState()

    await expect(keeper.logout({ returnTo: 'https://evil.example/' })).rejects.toThrow(UnsafeReturnToError)

    expect(kratos.count).toBe(0)
    expect(keeper.getState()).toBe(before)
    expect(assign).not.toHaveBeenCalled()
  })

  it.each([
    ['another origin', 'https://evil.example/self-service/logout?token=ory_lo_abc'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['no URL at all', undefined],
  ])('should refuse a logout_url on %s and leave the state unchanged', async (_, logoutUrl) => {
    const { kratos, keeper } = await signedIn()
    const before = keeper.getState()
    kratos.reply(200, { logout_url: logoutUrl, logout_token: 'ory_lo_abc' }).reply(204)

    await expect(keeper.logout()).rejects.toThrow(UnsafeReturnToError)

    expect(kratos.count).toBe(1)
    expect(keeper.getState()).toBe(before)
  })

  it('should reject with a NetworkError and leave the state unchanged when Kratos cannot be reached', async () => {
    const { kratos, keeper } = await signedIn()
    const before = keeper.getState()
    kratos.fail()

    await expect(keeper.logout()).rejects.toThrow(NetworkError)

    expect(keeper.getState()).toBe(before)
    expect(keeper.getState().status).toBe('authenticated')
  })

  it('should reject with a NetworkError when the logout_url request fails', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, { logout_url: LOGOUT_URL, logout_token: 'ory_lo_abc' }).fail()

    await expect(keeper.logout()).rejects.toThrow(NetworkError)

    expect(keeper.getState().status).toBe('authenticated')
  })

  it('should reject with a ServerError carrying the status when Kratos fails', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(500)

    await expect(keeper.logout()).rejects.toMatchObject({ name: 'ServerError', status: 500 })

    expect(keeper.getState().status).toBe('authenticated')
  })

  it('should reject when the logout_url answers with an error status', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, { logout_url: LOGOUT_URL, logout_token: 'ory_lo_abc' }).reply(403)

    await expect(keeper.logout()).rejects.toThrow(ServerError)

    expect(keeper.getState().status).toBe('authenticated')
  })

  it('should not let a whoami that started before logout bring the session back', async () => {
    const { kratos, keeper } = await signedIn()
    const whoami = kratos.pending()
    const inFlight = keeper.check()
    await flush()
    kratos.reply(200, { logout_url: LOGOUT_URL, logout_token: 'ory_lo_abc' }).reply(204)

    await keeper.logout()
    await whoami.resolve({ status: 200, body: kratosSession() })

    expect((await inFlight).status).toBe('unauthenticated')
    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', session: null })
  })

  it('should not let a whoami that started during logout bring the session back', async () => {
    const { kratos, keeper } = await signedIn()
    const flow = kratos.pending()
    const logout = keeper.logout()
    await flush()
    const whoami = kratos.pending()
    keeper.check({ force: true })
    await flush()
    kratos.reply(204)

    await flow.resolve({ status: 200, body: { logout_url: LOGOUT_URL, logout_token: 'ory_lo_abc' } })
    await logout
    await whoami.resolve({ status: 200, body: kratosSession() })

    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', session: null })
  })
})

describe('logout in token mode', () => {
  it('should DELETE /self-service/logout/api with the session token', async () => {
    const { kratos, keeper } = await signedIn({ sessionToken: 'ory_st_secret' })
    kratos.reply(204)

    await keeper.logout()

    expect(kratos.requests).toHaveLength(1)
    const [request] = kratos.requests
    expect(request?.method).toBe('DELETE')
    expect(request?.url).toBe(`${BASE}/self-service/logout/api`)
    expect(request?.headers.get('content-type')).toMatch(/^application\/json/)
    expect(JSON.parse(request?.body ?? '')).toEqual({ session_token: 'ory_st_secret' })
    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', session: null, error: null })
  })

  it('should reject and keep the session when Kratos refuses the token', async () => {
    const { kratos, keeper } = await signedIn({ sessionToken: 'ory_st_secret' })
    kratos.reply(403, { error: { code: 403 } })

    await expect(keeper.logout()).rejects.toMatchObject({ status: 403 })

    expect(keeper.getState().status).toBe('authenticated')
  })
})
