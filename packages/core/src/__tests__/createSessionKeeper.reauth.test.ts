// @vitest-environment jsdom
// loginUrl, isFresh and reauthenticate with its loop guard (DESIGN §3 "Re-authentication").
import { describe, expect, it, vi } from 'vitest'
import type { SessionKeeperOptions } from '../resolveOptions.js'
import { ReauthLoopError, UnsafeReturnToError } from '../SessionKeeperError.js'
import { aal2Required, flush, kratosSession, UNAUTHORIZED } from './fakeKratosFetch.js'
import { APP, BASE, useFakeTimerKeepers } from './keeperKit.js'

const PAGE = `${APP}/settings/password?step=2#form`
const MINUTE = 60_000
const { setup, assign } = useFakeTimerKeepers({ href: PAGE, sessionStorage: true })

/** A keeper that has already heard `body` from whoami. */
async function signedIn(session = kratosSession(), options: Partial<SessionKeeperOptions> = {}) {
  const { kratos, keeper } = setup(options)
  kratos.reply(200, session)
  await keeper.check()
  return { kratos, keeper }
}

const params = (url: string) => Object.fromEntries(new URL(url).searchParams)
const loginPath = (url: string) => {
  const parsed = new URL(url)
  return parsed.origin + parsed.pathname
}

describe('loginUrl', () => {
  it('should ask for refresh=true with return_to defaulting to location.href', () => {
    const { keeper } = setup()

    const url = keeper.loginUrl()

    expect(loginPath(url)).toBe(`${BASE}/self-service/login/browser`)
    expect(params(url)).toEqual({ refresh: 'true', return_to: PAGE })
  })

  it('should keep the path of baseUrl', () => {
    const { keeper } = setup({ baseUrl: `${BASE}/.ory/` })

    expect(loginPath(keeper.loginUrl())).toBe(`${BASE}/.ory/self-service/login/browser`)
  })

  it('should leave refresh out when asked', () => {
    const { keeper } = setup()

    expect(params(keeper.loginUrl({ refresh: false }))).toEqual({ return_to: PAGE })
  })

  it('should add aal=aal2 only when asked for it', () => {
    const { keeper } = setup()

    expect(params(keeper.loginUrl({ aal: 'aal2' }))).toMatchObject({ refresh: 'true', aal: 'aal2' })
    expect(params(keeper.loginUrl({ aal: 'aal1' })).aal).toBeUndefined()
    expect(params(keeper.loginUrl()).aal).toBeUndefined()
  })

  it('should add aal=aal2 after whoami said session_aal2_required', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(403, aal2Required())
    await keeper.check()

    expect(params(keeper.loginUrl())).toMatchObject({ aal: 'aal2' })
  })

  it('should not add aal=aal2 for an aal1 session that was never asked to step up', async () => {
    const { keeper } = await signedIn(kratosSession({ aal: 'aal1' }))

    expect(params(keeper.loginUrl()).aal).toBeUndefined()
  })

  it('should accept a returnTo on the page origin', () => {
    const { keeper } = setup()

    expect(params(keeper.loginUrl({ returnTo: `${APP}/billing` })).return_to).toBe(`${APP}/billing`)
  })

  it('should accept a returnTo on an origin of returnToAllowList', () => {
    const { keeper } = setup({ returnToAllowList: ['https://admin.example/any/path'] })

    expect(params(keeper.loginUrl({ returnTo: 'https://admin.example/users' })).return_to).toBe(
      'https://admin.example/users',
    )
  })

  it.each([
    ['/account', `${APP}/account`],
    ['/billing?plan=pro#card', `${APP}/billing?plan=pro#card`],
    ['?tab=mfa', `${APP}/settings/password?tab=mfa`],
    ['security/keys', `${APP}/settings/security/keys`],
  ])('should resolve the path %j against location.href', (returnTo, expected) => {
    const { keeper } = setup()

    expect(params(keeper.loginUrl({ returnTo })).return_to).toBe(expected)
  })

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['JaVaScRiPt: with whitespace', ' javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['protocol-relative //host', '//evil.example/phish'],
    ['a backslash host', '/\\evil.example'],
    ['backslashes after the scheme', 'https:\\\\evil.example'],
    ['a backslash before userinfo', `${APP}\\@evil.example`],
    ['userinfo', `https://app.example@evil.example/`],
    ['userinfo on the right host', `https://user:pass@app.example/`],
    ['another origin', 'https://evil.example/'],
    ['a lookalike host', 'https://app.example.evil.example/'],
    ['another port', 'https://app.example:8443/'],
    ['http instead of https', 'http://app.example/'],
    ['a path that a browser reads as //host', '//evil.example/x'],
    ['a path with a newline', '/\n/evil.example'],
    ['a tab inside the URL', 'https://app.example/\tfoo'],
  ])('should throw UnsafeReturnToError for %s', (_, returnTo) => {
    const { keeper } = setup()

    expect(() => keeper.loginUrl({ returnTo })).toThrow(UnsafeReturnToError)
  })
})

describe('isFresh', () => {
  it('should be fresh when authenticated within maxAge and false afterwards', async () => {
    const { keeper } = await signedIn(kratosSession({ authenticatedAgo: 4 * MINUTE }))

    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
    vi.setSystemTime(Date.now() + MINUTE + 1)
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(false)
  })

  it('should rank the assurance level', async () => {
    const { keeper } = await signedIn(kratosSession({ aal: 'aal1' }))

    expect(keeper.isFresh({ aal: 'aal1' })).toBe(true)
    expect(keeper.isFresh({ aal: 'aal2' })).toBe(false)
  })

  it('should not be fresh without a session or once the session expired locally', async () => {
    const { kratos, keeper } = setup({ pollInterval: '1h', hiddenPollInterval: '1h' })
    expect(keeper.isFresh()).toBe(false)
    kratos.reply(200, kratosSession({ expiresIn: 10 * MINUTE }))
    keeper.start()
    await flush()
    expect(keeper.isFresh()).toBe(true)

    kratos.pending()
    await vi.advanceTimersByTimeAsync(10 * MINUTE)

    expect(keeper.getState().session).not.toBeNull()
    expect(keeper.isFresh()).toBe(false)
  })
})

describe('reauthenticate', () => {
  it('should not redirect when the requirement is already met', async () => {
    const { kratos, keeper } = await signedIn(kratosSession({ authenticatedAgo: MINUTE, aal: 'aal2' }))

    await keeper.reauthenticate({ maxAge: '5m', aal: 'aal2' })

    expect(assign).not.toHaveBeenCalled()
    expect(kratos.count).toBe(1)
  })

  it('should redirect to the refresh login URL when the login is too old', async () => {
    const { keeper } = await signedIn(kratosSession({ authenticatedAgo: 10 * MINUTE }))

    await keeper.reauthenticate({ maxAge: '5m' })

    expect(assign).toHaveBeenCalledTimes(1)
    const url = assign.mock.calls[0]?.[0] ?? ''
    expect(loginPath(url)).toBe(`${BASE}/self-service/login/browser`)
    expect(params(url)).toEqual({ refresh: 'true', return_to: PAGE })
  })

  it('should ask for aal2 when an aal1 session must step up', async () => {
    const { keeper } = await signedIn(kratosSession({ aal: 'aal1' }))

    await keeper.reauthenticate({ aal: 'aal2' })

    expect(params(assign.mock.calls[0]?.[0] ?? '')).toMatchObject({ aal: 'aal2', return_to: PAGE })
  })

  it('should ask for refresh=true&aal=aal2 to re-verify the second factor of an old aal2 session', async () => {
    const { keeper } = await signedIn(kratosSession({ aal: 'aal2', authenticatedAgo: 10 * MINUTE }))

    await keeper.reauthenticate({ aal: 'aal2', maxAge: '5m' })

    expect(params(assign.mock.calls[0]?.[0] ?? '')).toMatchObject({ refresh: 'true', aal: 'aal2' })
  })

  it('should ask for aal2 after whoami said session_aal2_required', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(403, aal2Required())
    await keeper.check()

    await keeper.reauthenticate()

    expect(params(assign.mock.calls[0]?.[0] ?? '')).toMatchObject({ aal: 'aal2', return_to: PAGE })
  })

  it('should send a signed-out user to the login without aal2', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(401, UNAUTHORIZED)
    await keeper.check()

    await keeper.reauthenticate()

    const url = assign.mock.calls[0]?.[0] ?? ''
    expect(loginPath(url)).toBe(`${BASE}/self-service/login/browser`)
    expect(params(url).aal).toBeUndefined()
    expect(params(url).return_to).toBe(PAGE)
  })

  it('should pass returnTo through and refuse an unsafe one without navigating', async () => {
    const { keeper } = await signedIn(kratosSession({ authenticatedAgo: 10 * MINUTE }))

    await expect(keeper.reauthenticate({ maxAge: '5m', returnTo: 'https://evil.example/' })).rejects.toThrow(
      UnsafeReturnToError,
    )
    expect(assign).not.toHaveBeenCalled()

    await keeper.reauthenticate({ maxAge: '5m', returnTo: `${APP}/done` })
    expect(params(assign.mock.calls[0]?.[0] ?? '').return_to).toBe(`${APP}/done`)
  })

  it('should reject with ReauthLoopError without navigating when the same requirement comes back unmet within 60 s', async () => {
    const old = kratosSession({ authenticatedAgo: 10 * MINUTE })
    const first = await signedIn(old)
    await first.keeper.reauthenticate({ maxAge: '5m' })
    expect(assign).toHaveBeenCalledTimes(1)

    // Back from the login page (a new page load in the same tab) with the same, still old, session.
    await vi.advanceTimersByTimeAsync(20_000)
    const { keeper } = await signedIn(old)
    const onError = vi.fn()
    keeper.on('error', onError)

    await expect(keeper.reauthenticate({ maxAge: '5m' })).rejects.toThrow(ReauthLoopError)
    expect(assign).toHaveBeenCalledTimes(1)
    expect(keeper.getState().error).toBeInstanceOf(ReauthLoopError)
    expect(onError).toHaveBeenCalledTimes(1)
  })

  it('should redirect again for the same requirement once 60 s have passed', async () => {
    const { keeper } = await signedIn(kratosSession({ authenticatedAgo: 10 * MINUTE }))
    await keeper.reauthenticate({ maxAge: '5m' })

    await vi.advanceTimersByTimeAsync(59_999)
    await expect(keeper.reauthenticate({ maxAge: '5m' })).rejects.toThrow(ReauthLoopError)
    await vi.advanceTimersByTimeAsync(1)
    await keeper.reauthenticate({ maxAge: '5m' })

    expect(assign).toHaveBeenCalledTimes(2)
  })

  it('should not treat a different requirement as a loop', async () => {
    const { keeper } = await signedIn(kratosSession({ authenticatedAgo: 10 * MINUTE, aal: 'aal1' }))
    await keeper.reauthenticate({ maxAge: '5m' })

    await keeper.reauthenticate({ aal: 'aal2' })

    expect(assign).toHaveBeenCalledTimes(2)
  })

  it('should forget the guard once the requirement is met, so a later lapse redirects again', async () => {
    const { keeper } = await signedIn(kratosSession({ authenticatedAgo: 10 * MINUTE }))
    await keeper.reauthenticate({ maxAge: '5m' })
    const back = await signedIn(kratosSession({ authenticatedAgo: 0 }))
    await back.keeper.reauthenticate({ maxAge: '5m' })
    expect(assign).toHaveBeenCalledTimes(1)

    const lapsed = await signedIn(kratosSession({ authenticatedAgo: 10 * MINUTE }))
    await lapsed.keeper.reauthenticate({ maxAge: '5m' })

    expect(assign).toHaveBeenCalledTimes(2)
  })

  it('should remember the re-authentication in sessionStorage', async () => {
    const { keeper } = await signedIn(kratosSession({ authenticatedAgo: 10 * MINUTE }))

    await keeper.reauthenticate({ maxAge: '5m' })

    expect(sessionStorage.length).toBe(1)
  })
})

describe('secondFactorUnavailable', () => {
  /** Starts a keeper on a new page load of this tab, whose first whoami answers `session`. */
  async function loadPage(session: ReturnType<typeof kratosSession>) {
    const { kratos, keeper } = setup()
    kratos.reply(200, session)
    keeper.start()
    await vi.advanceTimersByTimeAsync(0)
    return { kratos, keeper }
  }

  it('should say so from the first answer after an aal2 login came back at aal1, until aal2 arrives', async () => {
    const aal1 = kratosSession({ aal: 'aal1' })
    const before = await signedIn(aal1)
    await before.keeper.reauthenticate({ aal: 'aal2' })
    expect(assign).toHaveBeenCalledTimes(1)
    expect(before.keeper.getState().secondFactorUnavailable).toBe(false)

    // Back from Kratos still at aal1: its aal2 flow had no second factor to offer.
    await vi.advanceTimersByTimeAsync(20_000)
    const { kratos, keeper } = await loadPage(aal1)
    expect(keeper.getState().secondFactorUnavailable).toBe(true)

    // A lasting fact: later answers at aal1 keep it, with no second attempt needed.
    kratos.reply(200, aal1)
    await keeper.check({ force: true })
    expect(keeper.getState().secondFactorUnavailable).toBe(true)

    kratos.reply(200, kratosSession({ aal: 'aal2' }))
    await keeper.check({ force: true })
    expect(keeper.getState().secondFactorUnavailable).toBe(false)
  })

  it('should end with the session', async () => {
    const aal1 = kratosSession({ aal: 'aal1' })
    await (await signedIn(aal1)).keeper.reauthenticate({ aal: 'aal2' })
    const { kratos, keeper } = await loadPage(aal1)
    expect(keeper.getState().secondFactorUnavailable).toBe(true)

    kratos.reply(401, UNAUTHORIZED)
    await keeper.check({ force: true })
    expect(keeper.getState().secondFactorUnavailable).toBe(false)
  })

  it('should not say so after a login that did not ask for aal2, nor on a page that made no login', async () => {
    const aal1 = kratosSession({ aal: 'aal1', authenticatedAgo: 10 * MINUTE })
    await (await signedIn(aal1)).keeper.reauthenticate({ maxAge: '5m' })
    expect((await loadPage(aal1)).keeper.getState().secondFactorUnavailable).toBe(false)

    sessionStorage.clear()
    expect((await loadPage(aal1)).keeper.getState().secondFactorUnavailable).toBe(false)
  })

  it('should take only the first answer after coming back as the proof', async () => {
    const aal1 = kratosSession({ aal: 'aal1' })
    await (await signedIn(aal1)).keeper.reauthenticate({ aal: 'aal2' })
    // The first answer after coming back is a sign-out: no proof, and none later either.
    const { kratos, keeper } = setup()
    kratos.reply(401, UNAUTHORIZED)
    keeper.start()
    await vi.advanceTimersByTimeAsync(0)
    kratos.reply(200, aal1)
    await keeper.check({ force: true })

    expect(keeper.getState().secondFactorUnavailable).toBe(false)
  })

  it('should say so when the same aal2 login comes back unmet a second time (ReauthLoopError)', async () => {
    const { keeper } = await signedIn(kratosSession({ aal: 'aal1' }))
    await keeper.reauthenticate({ aal: 'aal2' })

    await expect(keeper.reauthenticate({ aal: 'aal2' })).rejects.toThrow(ReauthLoopError)
    expect(keeper.getState().secondFactorUnavailable).toBe(true)
  })
})
