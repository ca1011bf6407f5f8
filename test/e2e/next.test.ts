import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setupChromium } from './browser.js'
import { NEXT_POLL_INTERVAL, startNextApp } from './nextApp.js'
import type { DemoServers } from './servers.js'

// The Next.js App Router example (examples/next-app) as shipped, `next build` + `next start`,
// against fake-kratos in real Chromium (issue 15). The server reads the session from the
// request's cookie and hands it to the keeper: the HTML already shows the user, and the browser
// asks nothing until its first poll. Time moves on the fake's clock; the keeper on
// `window.sessionKeeper` learns it from a forced check. No fixed waits.

const MINUTE = 60_000
const POLL = Number.parseInt(NEXT_POLL_INTERVAL, 10) * 1000
const USER = 'user@example.com'

let app: DemoServers
/** Console errors and warnings, failed requests and unexpected error statuses of the current test. */
let problems: string[]
/** Every whoami the browser sent in the current test, with when it was sent (local ms). */
let whoamis: number[]
/** Paths whose 4xx answers the current test asks for (Chromium logs each as a console error). */
let expectedErrorPaths: string[]

// `next build` when the app or the packages changed since the last one (about 30 s), else nothing.
beforeAll(async () => {
  app = await startNextApp()
}, 240_000)
afterAll(() => app?.close())
beforeEach(() => {
  app.kratos.clearFaults()
  app.kratos.clock.set(Date.now())
  problems = []
  whoamis = []
  expectedErrorPaths = []
})

const chromium = setupChromium({
  openPage: false,
  setup(context) {
    context.on('page', (page) =>
      page.on('console', (message) => {
        // Chromium logs the 401 a fetch gets; whoami's 401 is how Kratos says "signed out".
        if (/status of 401 \(Unauthorized\)/.test(message.text())) return
        // Chromium asks each origin once for /favicon.ico, which the fake's login page lacks.
        const path = new URL(message.location().url || page.url()).pathname
        if (path === '/favicon.ico') return
        if (expectedErrorPaths.includes(path) && /status of 4\d\d/.test(message.text())) return
        // A hydration mismatch is a console error in React 19, in production too.
        if (message.type() === 'error' || message.type() === 'warning') {
          problems.push(`console.${message.type()} ${page.url()}: ${message.text()}`)
        }
      }),
    )
    context.on('request', (request) => {
      if (new URL(request.url()).pathname === '/sessions/whoami') whoamis.push(Date.now())
    })
    context.on('requestfailed', (request) => {
      // A navigation cancels the page's own requests in flight (the login redirect).
      if (request.failure()?.errorText === 'net::ERR_ABORTED') return
      problems.push(`requestfailed ${request.method()} ${request.url()}: ${request.failure()?.errorText}`)
    })
  },
})

// Registered after setupChromium, so it runs while the test's pages are still open.
afterEach(() => {
  expect(problems).toEqual([])
})

const appUrl = (path = '/') => new URL(path, app.appUrl).href
const kratosOrigin = () => new URL(app.kratos.url).origin
const email = (page: Page) => page.getByTestId('session-email')
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true })

/** Signs `identity` in through the fake's control API and gives the browser its cookie. */
async function signedIn(context: BrowserContext, identity = USER) {
  const { cookie, session } = app.kratos.createSession(identity)
  const [name = '', value = ''] = cookie.split(/=(.*)/s)
  await context.addCookies([{ name, value, domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Lax' }])
  return session
}

/** Opens `path` in a new tab and waits for the page to be live (hydrated, keeper started). */
async function openTab(context: BrowserContext, path = '/'): Promise<Page> {
  const page = await context.newPage()
  await page.goto(appUrl(path))
  await page.waitForFunction(() => window.sessionKeeper !== undefined)
  return page
}

/** Makes the page's keeper ask whoami now, so it learns the fake's (moved) time. */
const forceCheck = (page: Page) =>
  page.evaluate(async () => {
    await window.sessionKeeper?.check({ force: true })
  })

/** Fills the fake's login page; on a refresh login the identifier is fixed and hidden. */
async function submitPassword(page: Page, identifier: string) {
  await page.waitForURL((url) => url.origin === kratosOrigin())
  const field = page.locator('input[name="identifier"]:not([type="hidden"])')
  if (await field.count()) await field.fill(identifier)
  await page.locator('input[name="password"]').fill('password')
  await page.getByRole('button', { name: 'Sign in' }).click()
}

describe('Next.js example (next start) against fake-kratos in Chromium', () => {
  it('server-renders the signed-in user and hydrates without a mismatch', async () => {
    const { context } = chromium
    await signedIn(context)
    const page = await context.newPage()

    const response = await page.goto(appUrl())
    // The HTML as the server sent it, before any script ran.
    const html = (await response?.text()) ?? ''
    expect(html).toContain(`data-testid="session-email">${USER}<`)
    expect(html).not.toContain('Signed out')
    await page.waitForFunction(() => window.sessionKeeper?.getState().isLeader === true)
    expect(await email(page).textContent()).toBe(USER)
    // A mismatch would be an uncaught React error #418 (pageErrors) or a console error (problems).
  })

  // A tab that holds only the server's session (lastCheckedAt null) once asked whoami the moment
  // it won the leader election (1.2 to 2.4 s after load): `leader()` in createTabSync.ts took
  // the missing answer as infinitely old. The server-rendered session now counts as checked at
  // start, so the first whoami is the first poll.
  it('asks no whoami before the first poll deadline', async () => {
    const { context } = chromium
    await signedIn(context)
    const page = await context.newPage()
    const loadedAt = Date.now()
    const firstAnswer = page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/sessions/whoami',
      { timeout: POLL + 10_000 },
    )
    await page.goto(appUrl())

    // The keeper started from the server's session: its first whoami is its first poll.
    await firstAnswer
    expect(whoamis).toHaveLength(1)
    expect((whoamis[0] ?? 0) - loadedAt).toBeGreaterThanOrEqual(POLL)
    await expect.poll(() => page.getByTestId('last-checked').textContent()).not.toBe('by the server')
  })

  it('server-renders the signed-out screen for a browser without a session, and its link signs in', async () => {
    const page = await chromium.context.newPage()
    const response = await page.goto(appUrl('/billing'))
    expect(await response?.text()).toContain('Signed out')
    await page.getByRole('link', { name: 'Sign in', exact: true }).click()
    await submitPassword(page, USER)
    await page.waitForURL(appUrl('/billing'))
    expect(await email(page).textContent()).toBe(USER)
  })

  it('locks Account security past maxAge and opens it after a refresh login, back on the same URL', async () => {
    const { context } = chromium
    await signedIn(context)
    const page = await openTab(context, '/account-security')
    await heading(page, 'Change password').waitFor()

    await app.kratos.clock.advance(6 * MINUTE)
    await forceCheck(page)
    await heading(page, 'Confirm it’s you').waitFor()
    expect(await heading(page, 'Change password').count()).toBe(0)

    const login = page.waitForRequest((request) =>
      request.url().startsWith(`${kratosOrigin()}/self-service/login/browser?`),
    )
    await page.getByRole('button', { name: 'Sign in again' }).click()
    const url = new URL((await login).url())
    expect(url.searchParams.get('refresh')).toBe('true')
    expect(url.searchParams.get('return_to')).toBe(appUrl('/account-security'))
    await submitPassword(page, USER)
    await page.waitForURL(appUrl('/account-security'))
    await heading(page, 'Change password').waitFor()
  })

  it('signs out every tab when one tab signs out', async () => {
    const { context } = chromium
    await signedIn(context)
    const first = await openTab(context)
    const second = await openTab(context, '/billing')
    await first.getByRole('button', { name: 'Sign out' }).click()
    for (const page of [first, second]) {
      await heading(page, 'Signed out').waitFor()
      expect(await email(page).count()).toBe(0)
    }
    const href = await second.getByRole('link', { name: 'Sign in', exact: true }).getAttribute('href')
    expect(new URL(href ?? '').searchParams.get('return_to')).toBe(appUrl('/billing'))
  })

  it('"Stay signed in" in the expiry dialog extends through the route handler, without a login, in every tab', async () => {
    const { context } = chromium
    const before = await signedIn(context)
    const first = await openTab(context)
    const second = await openTab(context, '/account-security')
    const logins: string[] = []
    context.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/self-service/login')) logins.push(request.url())
    })
    const dialog = (page: Page) => page.getByRole('alertdialog', { name: 'Your session is about to end' })

    // Four minutes left: inside the keeper's default 5-minute expiring threshold.
    await app.kratos.clock.set(Date.parse(before.expires_at) - 4 * MINUTE)
    await Promise.all([forceCheck(first), forceCheck(second)])
    await Promise.all([dialog(first).waitFor(), dialog(second).waitFor()])

    const extended = second.waitForResponse(
      (response) => new URL(response.url()).pathname === '/api/session/extend',
    )
    await second.getByRole('button', { name: 'Stay signed in' }).click()
    const answer = await extended
    expect(answer.status()).toBe(200)
    const body = (await answer.json()) as { extended: boolean; expires_at: string }
    expect(body.extended).toBe(true)
    expect(Date.parse(body.expires_at)).toBeGreaterThan(Date.parse(before.expires_at))
    for (const page of [first, second]) await dialog(page).waitFor({ state: 'hidden' })
    expect(logins).toEqual([])
  })

  it('answers the extend route as the Vite demo does: 200 extended, then too_soon; 405 for GET; 401 without a session', async () => {
    const { context } = chromium
    expectedErrorPaths = ['/api/session/extend']
    const signedOut = await openTab(context)
    const post = (page: Page) =>
      page.evaluate(async () => {
        const response = await fetch('/api/session/extend', { method: 'POST' })
        return { status: response.status, body: (await response.json()) as Record<string, unknown> }
      })
    expect(await post(signedOut)).toMatchObject({ status: 401, body: { error: { id: 'session_inactive' } } })

    await signedIn(context)
    const page = await openTab(context)
    expect(await post(page)).toMatchObject({ status: 200, body: { extended: true } })
    expect(await post(page)).toMatchObject({ status: 200, body: { extended: false, reason: 'too_soon' } })
    const get = await page.evaluate(async () => (await fetch('/api/session/extend')).status)
    expect(get).toBe(405)
  })

  // Kratos with `required_aal: aal1`: whoami accepts mfa@example.com's password-only session, so
  // Billing is reached at aal1 and steps up. Its own fake and `next start` (the build is shared).
  describe('with required_aal: aal1', () => {
    let main: DemoServers
    beforeAll(async () => {
      main = app
      app = await startNextApp({ kratos: { requiredAal: 'aal1' } })
    }, 60_000)
    afterAll(async () => {
      const aal1App = app
      app = main
      await aal1App?.close()
    })

    it('steps an aal1 session up to aal2 for Billing through the second factor, back on the same URL', async () => {
      const { context } = chromium
      await signedIn(context, 'mfa@example.com')
      const page = await openTab(context, '/billing')
      expect(await page.getByTestId('session-aal').textContent()).toBe('aal1')
      await heading(page, 'Confirm it’s you').waitFor()
      expect(await page.getByRole('region', { name: 'Billing details' }).count()).toBe(0)

      const login = page.waitForRequest((request) =>
        request.url().startsWith(`${kratosOrigin()}/self-service/login/browser?`),
      )
      await page.getByRole('button', { name: 'Continue' }).click()
      const url = new URL((await login).url())
      expect(url.searchParams.get('aal')).toBe('aal2')
      expect(url.searchParams.get('return_to')).toBe(appUrl('/billing'))
      const code = page.locator('input[name="totp_code"]')
      await code.fill('123456')
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.waitForURL(appUrl('/billing'))
      await page.getByRole('region', { name: 'Billing details' }).waitFor()
      expect(await page.getByTestId('session-aal').textContent()).toBe('aal2')
    })
  })
})
