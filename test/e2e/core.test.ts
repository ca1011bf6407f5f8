import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setupChromium } from './browser.js'
import { type DemoServers, startCorePage } from './servers.js'

// @session-keeper/core without React, in real Chromium: the test page (core-page/) on one
// origin, fake-kratos on another origin of the same site (localhost, other port), CORS with
// credentials and `Date` exposed. Each test gets a fresh browser context (no cookies, empty
// sessionStorage) and resets the fake's clock.

let servers: DemoServers

beforeAll(async () => {
  servers = await startCorePage()
})

afterAll(async () => {
  await servers?.close()
})

beforeEach(() => {
  servers.kratos.clearFaults()
  servers.kratos.clock.set(Date.now())
})

/** Chromium, a fresh context and page per test (after the fake's reset above); each test ends with no page error. */
const chromium = setupChromium()

const kratos = () => servers.kratos
const kratosOrigin = () => new URL(kratos().url).origin
const onKratos = (url: URL) => url.origin === kratosOrigin()
const isLoginBrowser = (url: string) => url.startsWith(`${kratosOrigin()}/self-service/login/browser?`)

/** The test page's URL with `query` (the keeper's timing options), e.g. `recheckOnFocusAfter=0`. */
const pageUrl = (query = '') => new URL(query ? `?${query}` : '', servers.appUrl).href

/** Waits until the page shows `text` in the element with `data-testid="<testId>"`. */
const shows = (testId: string, text: string) =>
  expect.poll(() => chromium.page.getByTestId(testId).textContent(), { timeout: 10_000 }).toBe(text)

const keeperState = () =>
  chromium.page.evaluate(() => {
    const { status, clockSkew, session, error, aal2RedirectTo } = window.keeper.getState()
    return { status, clockSkew, sessionId: session?.id ?? null, error: error?.name ?? null, aal2RedirectTo }
  })

const isFreshFor5m = () => chromium.page.evaluate(() => window.keeper.isFresh({ maxAge: '5m' }))

const whoamiRequests = () => kratos().stats().requests['GET /sessions/whoami'] ?? 0

/** Status of whoami as the page itself sees it (cookie included). */
const whoamiStatus = () =>
  chromium.page.evaluate(async (url) => {
    const response = await fetch(url, { credentials: 'include', headers: { Accept: 'application/json' } })
    return response.status
  }, `${kratosOrigin()}/sessions/whoami`)

/** Fills the fake's login form on the page the browser is on; `identifier` only when it asks for it. */
async function submitLoginForm(identifier?: string) {
  await chromium.page.waitForURL(onKratos)
  if (identifier !== undefined) await chromium.page.locator('input[name="identifier"]').fill(identifier)
  await chromium.page.locator('input[name="password"]').fill('password')
  await chromium.page.getByRole('button', { name: 'Sign in' }).click()
}

/** Signs in through the browser login flow, as a navigation, and comes back to `url`. */
async function signIn(url: string, email = 'user@example.com') {
  const login = new URL('/self-service/login/browser', kratosOrigin())
  login.searchParams.set('return_to', url)
  await chromium.page.goto(login.href)
  await submitLoginForm(email)
  await chromium.page.waitForURL(url)
  await shows('status', 'authenticated')
  await shows('email', email)
}

/** Every navigation request of the page from now on. */
function recordNavigations(): string[] {
  const urls: string[] = []
  chromium.page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === chromium.page.mainFrame())
      urls.push(request.url())
  })
  return urls
}

/** Moves the fake's clock past the 5 min freshness window and lets the page learn the new time. */
async function makeLoginOld() {
  kratos().clock.advance(600_000)
  await chromium.page.evaluate(() => window.keeper.check({ force: true }))
  expect(await isFreshFor5m()).toBe(false)
}

/**
 * Calls `keeper.reauthenticate(options)` in the page while it is expected to stop itself with a
 * `ReauthLoopError`: the error shows, and the page neither navigates nor asks the server for a flow.
 */
async function expectLoopGuardStops(options: { maxAge?: string; aal?: 'aal2' }, url: string) {
  const navigations = recordNavigations()
  await chromium.page.evaluate((o) => window.startReauthenticate(o), options)
  await shows('rejection', 'ReauthLoopError')
  await shows('error', 'ReauthLoopError')
  // A round trip to the server and back: a navigation started by the call would be under way by now.
  await chromium.page.evaluate(() => window.keeper.check({ force: true }))
  expect(chromium.page.url()).toBe(url)
  expect(navigations).toEqual([])
  expect(kratos().stats().requests['GET /self-service/login/browser'] ?? 0).toBe(0)
}

describe('@session-keeper/core in Chromium against fake-kratos on another origin of the site', () => {
  it('starts signed out, then sees a browser sign-in on the other origin with the cookie and Date', async () => {
    const url = pageUrl()
    await chromium.page.goto(url)
    await shows('status', 'unauthenticated')
    expect(await chromium.page.getByTestId('phase').textContent()).toBe('')
    expect(await chromium.page.getByTestId('email').textContent()).toBe('')
    expect(await chromium.page.getByTestId('error').textContent()).toBe('')

    // The fake runs 90 s ahead, so a skew near 90 s proves the page read the exposed `Date`.
    kratos().clock.advance(90_000)
    await signIn(url)

    expect(await chromium.page.getByTestId('phase').textContent()).toBe('active')
    expect(await chromium.page.getByTestId('aal').textContent()).toBe('aal1')
    const { clockSkew, error } = await keeperState()
    expect(typeof clockSkew).toBe('number')
    expect(Math.abs(clockSkew - 90_000)).toBeLessThan(2_000)
    expect(error).toBeNull()
    // The session cookie belongs to the fake's host; the page's cross-origin whoami sent it.
    const cookie = (await chromium.context.cookies(kratos().url)).find((c) => c.name === 'ory_kratos_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
  })

  it('reauthenticate({ maxAge }) goes through the login page with refresh=true and comes back fresh', async () => {
    const url = pageUrl()
    await signIn(url)
    const before = await chromium.page.getByTestId('authenticated-at').textContent()
    await makeLoginOld()

    const loginRequest = chromium.page.waitForRequest((request) => isLoginBrowser(request.url()))
    await chromium.page.evaluate(() => window.startReauthenticate({ maxAge: '5m' }))
    const login = new URL((await loginRequest).url())
    expect(login.searchParams.get('refresh')).toBe('true')
    expect(login.searchParams.get('return_to')).toBe(url)
    expect(login.searchParams.has('aal')).toBe(false)

    // The fake's refresh form knows who is signing in: only the password is asked for.
    await chromium.page.waitForURL((u) => onKratos(u) && u.pathname === '/ui/login')
    expect(await chromium.page.locator('input[name="identifier"]').getAttribute('type')).toBe('hidden')
    await submitLoginForm()
    await chromium.page.waitForURL(url)

    await shows('status', 'authenticated')
    await expect.poll(isFreshFor5m, { timeout: 10_000 }).toBe(true)
    expect(await chromium.page.getByTestId('authenticated-at').textContent()).not.toBe(before)
    expect(Math.abs((await keeperState()).clockSkew - 600_000)).toBeLessThan(2_000)
  })

  it('loop guard: back from the login page without signing in, a second reauthenticate rejects and stays', async () => {
    const url = pageUrl()
    await signIn(url)
    await makeLoginOld()

    await chromium.page.evaluate(() => window.startReauthenticate({ maxAge: '5m' }))
    await chromium.page.locator('input[name="password"]').waitFor()
    expect(onKratos(new URL(chromium.page.url()))).toBe(true)
    // Chromium loads the page anew here (no back/forward cache restore was seen): a new keeper, and
    // only the tab's sessionStorage remembers the first redirect.
    await chromium.page.goBack()
    await chromium.page.waitForURL(url)
    await shows('status', 'authenticated')
    expect(await isFreshFor5m()).toBe(false)

    kratos().resetStats()
    await expectLoopGuardStops({ maxAge: '5m' }, url)
  })

  it('loop guard: a requirement the user cannot meet (aal2 without a second factor) redirects only once', async () => {
    const url = pageUrl()
    await signIn(url)

    const loginRequest = chromium.page.waitForRequest((request) => isLoginBrowser(request.url()))
    await chromium.page.evaluate(() => window.startReauthenticate({ aal: 'aal2' }))
    const login = new URL((await loginRequest).url())
    expect(login.searchParams.get('aal')).toBe('aal2')
    expect(login.searchParams.get('return_to')).toBe(url)
    // Kratos makes an aal2 flow nobody can finish for an identity without a second factor.
    await chromium.page.getByRole('alert').waitFor()
    expect(onKratos(new URL(chromium.page.url()))).toBe(true)
    expect(await chromium.page.locator('input[name="password"]').count()).toBe(0)

    await chromium.page.goto(url)
    await shows('status', 'authenticated')
    expect(await chromium.page.getByTestId('aal').textContent()).toBe('aal1')

    kratos().resetStats()
    await expectLoopGuardStops({ aal: 'aal2' }, url)
  })

  it('aal2-required: a half signed-in MFA identity steps up through reauthenticate() and comes back at aal2', async () => {
    const url = pageUrl()
    const login = new URL('/self-service/login/browser', kratosOrigin())
    login.searchParams.set('return_to', url)
    await chromium.page.goto(login.href)
    await submitLoginForm('mfa@example.com')
    // Walk away from the TOTP step: the session exists, but only at aal1.
    await chromium.page.locator('input[name="totp_code"]').waitFor()
    await chromium.page.goto(url)
    await shows('status', 'aal2-required')
    const { aal2RedirectTo } = await keeperState()
    const redirectTo = new URL(aal2RedirectTo ?? '')
    expect(redirectTo.origin).toBe(kratosOrigin())
    expect(redirectTo.searchParams.get('return_to')).toBe(url)

    const loginRequest = chromium.page.waitForRequest((request) => isLoginBrowser(request.url()))
    await chromium.page.evaluate(() => window.startReauthenticate({ aal: 'aal2' }))
    const stepUp = new URL((await loginRequest).url())
    expect(stepUp.searchParams.get('aal')).toBe('aal2')
    expect(stepUp.searchParams.get('return_to')).toBe(url)
    await chromium.page.locator('input[name="totp_code"]').fill('123456')
    await chromium.page.getByRole('button', { name: 'Verify' }).click()
    await chromium.page.waitForURL(url)

    await shows('status', 'authenticated')
    await shows('aal', 'aal2')
    expect(await chromium.page.evaluate(() => window.keeper.isFresh({ aal: 'aal2' }))).toBe(true)
  })

  it("refuses a return_to on another origin of the same site (the fake's own) without navigating", async () => {
    const url = pageUrl()
    await signIn(url)
    await makeLoginOld()
    const navigations = recordNavigations()
    const elsewhere = `${kratosOrigin()}/`
    expect(
      await chromium.page.evaluate((returnTo) => {
        try {
          return window.keeper.loginUrl({ returnTo })
        } catch (error) {
          return (error as Error).name
        }
      }, elsewhere),
    ).toBe('UnsafeReturnToError')
    await chromium.page.evaluate(
      (returnTo) => window.startReauthenticate({ maxAge: '5m', returnTo }),
      elsewhere,
    )
    await shows('rejection', 'UnsafeReturnToError')
    await chromium.page.evaluate(() => window.keeper.check({ force: true }))
    expect(chromium.page.url()).toBe(url)
    expect(navigations).toEqual([])
  })

  describe('a session revoked on the server shows as signed out when the page wakes, not at the next poll', () => {
    /** Signs in on a page with `recheckOnFocusAfter=0` (and the default 1 min poll), then revokes the session. */
    async function signInThenRevoke() {
      const url = pageUrl('recheckOnFocusAfter=0')
      await signIn(url)
      const { sessionId } = await keeperState()
      kratos().resetStats()
      expect(kratos().revokeSession(sessionId ?? '')).toBe(true)
      expect(await whoamiStatus()).toBe(401)
      return url
    }

    async function expectSignedOutByOneCheck() {
      await shows('status', 'unauthenticated')
      expect(await chromium.page.getByTestId('email').textContent()).toBe('')
      expect(await chromium.page.getByTestId('error').textContent()).toBe('')
      expect(await chromium.page.evaluate(() => window.keeperEvents)).toContain('signed-out')
      // One whoami from the wake-up, plus the test's own 401 probe above.
      expect(whoamiRequests()).toBe(2)
    }

    it('on focus', async () => {
      await signInThenRevoke()
      await chromium.page.evaluate(() => window.dispatchEvent(new Event('focus')))
      await expectSignedOutByOneCheck()
    })

    it('on visibilitychange', async () => {
      await signInThenRevoke()
      await chromium.page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
      await expectSignedOutByOneCheck()
    })

    it('on the browser coming back online (a real online event)', async () => {
      await signInThenRevoke()
      await chromium.context.setOffline(true)
      await chromium.context.setOffline(false)
      await expectSignedOutByOneCheck()
    })
  })

  it('logout() signs out across origins: state unauthenticated without an error, cookie no longer valid', async () => {
    const url = pageUrl()
    await signIn(url)
    await chromium.page.getByRole('button', { name: 'Sign out' }).click()
    await shows('status', 'unauthenticated')
    expect(await chromium.page.getByTestId('error').textContent()).toBe('')
    expect(await chromium.page.getByTestId('rejection').textContent()).toBe('')
    expect(chromium.page.url()).toBe(url)
    expect(await whoamiStatus()).toBe(401)
    expect(await chromium.page.evaluate(() => window.keeperEvents)).toContain('signed-out')
  })
})
