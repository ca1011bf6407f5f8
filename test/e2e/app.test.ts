import { mkdir } from 'node:fs/promises'
import { DEFAULT_IDENTITIES } from '@session-keeper/fake-kratos'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { launchChromium } from './browser.js'
import { APP_POLL_INTERVAL, type DemoServers, startApp } from './servers.js'

// The built example app (vite build + vite preview) against fake-kratos in real Chromium: every
// feature a newcomer sees in `pnpm demo` (issue 6). Tabs of one test share one browser context
// (BroadcastChannel, cookies). Time moves on the fake's clock; the app's keeper (on
// `window.sessionKeeper` in this e2e build) learns the server's time from the `Date` header of a
// forced check. No fixed waits: every wait is on page state or a Playwright event.

const SCREENSHOTS = new URL('../../test-results/app/', import.meta.url)
const MINUTE = 60_000
const LIFESPAN = 24 * 60 * MINUTE // the fake's default session lifespan
const FRESH_MAX_AGE = 5 * MINUTE // the app's RequireFreshAuth / useFreshAction maxAge
/** An identity only the password-change test uses: its password changes for the rest of the run. */
const CHANGER = 'changer@example.com'

let browser: Browser
let app: DemoServers
let context: BrowserContext
/** Uncaught exceptions and console errors of every page of the test (popups included). */
let problems: string[]

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true })
  ;[browser, app] = await Promise.all([
    launchChromium(),
    startApp({
      kratos: { identities: [...DEFAULT_IDENTITIES, { email: CHANGER, password: 'password' }] },
      // A narrow window: the expiry dialog (4 minutes left) is outside it, so "Stay signed in" signs in again.
      earliestPossibleExtend: '1m',
    }),
  ])
})

afterAll(async () => {
  await Promise.all([browser?.close(), app?.close()])
})

beforeEach(async () => {
  app.kratos.clearFaults()
  app.kratos.clock.set(Date.now())
  problems = []
  context = await browser.newContext({ viewport: { width: 1100, height: 720 } })
  context.setDefaultTimeout(10_000)
  context.on('page', (page) => {
    page.on('pageerror', (error) => problems.push(`pageerror ${page.url()}: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() !== 'error') return
      // Chromium logs every 4xx/5xx a fetch gets; the 401 of whoami without a session is how
      // Kratos says "signed out" (checked below with the responses), not a failure.
      if (/status of 401 \(Unauthorized\)/.test(message.text())) return
      // Chromium asks each origin once for /favicon.ico, which the fake's login page lacks.
      if (new URL(message.location().url || page.url()).pathname === '/favicon.ico') return
      problems.push(`console ${page.url()}: ${message.text()}`)
    })
  })
  context.on('requestfailed', (request) => {
    // A navigation cancels the page's own requests in flight (the login redirect, a popup closing).
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return
    problems.push(`requestfailed ${request.method()} ${request.url()}: ${request.failure()?.errorText}`)
  })
  context.on('response', (response) => {
    const url = new URL(response.url())
    const expected401 = response.status() === 401 && url.pathname === '/sessions/whoami'
    if (response.status() >= 400 && !expected401) {
      problems.push(
        `response ${response.status()} ${response.request().method()} ${response.url()} from ${response.frame().url()}`,
      )
    }
  })
})

afterEach(async (test) => {
  // Whatever the test ended on, for the artifacts (test-results/ is ignored by git).
  const pages = context?.pages() ?? []
  await Promise.all(
    pages.map((page, index) =>
      page
        .screenshot({ path: new URL(`${slug(test.task.name)}-end-${index}.png`, SCREENSHOTS).pathname })
        .catch(() => {}),
    ),
  )
  await context?.close()
  expect(problems).toEqual([])
})

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)

const shot = (page: Page, name: string) =>
  page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname })

const kratosOrigin = () => new URL(app.kratos.url).origin
const onKratos = (url: URL) => url.origin === kratosOrigin()
const appUrl = (path = '/') => new URL(path, app.appUrl).href

const email = (page: Page) => page.getByTestId('session-email')
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true })

/** Fills the fake's login page; on a refresh login the identifier is fixed and hidden. */
async function submitPassword(page: Page, identifier: string, password = 'password') {
  await page.waitForURL(onKratos)
  const field = page.locator('input[name="identifier"]:not([type="hidden"])')
  if (await field.count()) await field.fill(identifier)
  await page.locator('input[name="password"]').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

async function submitTotp(page: Page, code = '123456') {
  const input = page.locator('input[name="totp_code"]')
  await input.waitFor()
  await input.fill(code)
  await page.getByRole('button', { name: 'Verify' }).click()
}

/** Opens `path`, signs in through the fake's login page, and waits to be back on `path`. */
async function signIn(path = '/', identifier = 'user@example.com'): Promise<Page> {
  const page = await context.newPage()
  await page.goto(appUrl(path))
  await page.getByRole('link', { name: 'Sign in', exact: true }).click()
  await submitPassword(page, identifier)
  if (identifier === 'mfa@example.com') await submitTotp(page)
  await page.waitForURL(appUrl(path))
  await email(page).waitFor()
  return page
}

/** Another tab of the same browser, already signed in. */
async function openTab(path = '/'): Promise<Page> {
  const page = await context.newPage()
  await page.goto(appUrl(path))
  await email(page).waitFor()
  return page
}

/** Makes the page's keeper ask whoami now, so it learns the fake's (moved) time. */
const forceCheck = (page: Page) =>
  page.evaluate(async () => {
    await window.sessionKeeper?.check({ force: true })
  })

/** The session as the page's keeper holds it, and the fake's time, in ms. */
async function sessionTimes(page: Page) {
  const times = await page.evaluate(() => {
    const session = window.sessionKeeper?.getState().session
    return {
      expiresAt: session?.expires_at?.getTime(),
      authenticatedAt: session?.authenticated_at?.getTime(),
    }
  })
  if (times.expiresAt === undefined || times.authenticatedAt === undefined) throw new Error('no session')
  return { expiresAt: times.expiresAt, authenticatedAt: times.authenticatedAt, now: app.kratos.clock.now() }
}

/** `1:02:03` or `2:03` as seconds. */
const seconds = (text: string | null) =>
  (text ?? '').split(':').reduce((total, part) => total * 60 + Number(part), 0)

describe('example app (built) against fake-kratos in Chromium', () => {
  it('signs in and shows the user, a countdown that matches the session, the leader and the last check', async () => {
    const page = await signIn()
    expect(await email(page).textContent()).toBe('user@example.com')
    expect(await page.getByTestId('session-aal').textContent()).toBe('aal1')
    expect(await page.getByTestId('tab-role').textContent()).toBe('leader (polls)')
    expect(await page.getByTestId('last-checked').textContent()).toMatch(/\d{1,2}:\d{2}:\d{2}/)

    const { expiresAt, now } = await sessionTimes(page)
    const shown = seconds(await page.getByTestId('countdown').textContent())
    expect(Math.abs(shown - (expiresAt - now) / 1000)).toBeLessThanOrEqual(3)
    expect(expiresAt - now).toBeGreaterThan(LIFESPAN - MINUTE)
    // It ticks.
    await expect
      .poll(async () => seconds(await page.getByTestId('countdown').textContent()))
      .toBeLessThan(shown)

    const second = await openTab()
    expect(await second.getByTestId('tab-role').textContent()).toBe('follower')
    await shot(page, 'home')
  })

  it('opens the expiry dialog in every tab in the expiring window, then signs every tab out at the end', async () => {
    const first = await signIn()
    const second = await openTab('/api-keys')
    const dialog = (page: Page) => page.getByRole('alertdialog', { name: 'Your session is about to end' })
    expect(await dialog(first).count()).toBe(0)

    // Four minutes left: inside the keeper's default 5-minute expiring threshold.
    const { expiresAt, now } = await sessionTimes(first)
    await app.kratos.clock.advance(expiresAt - now - 4 * MINUTE)
    await Promise.all([forceCheck(first), forceCheck(second)])

    for (const page of [first, second]) {
      await dialog(page).waitFor()
      const left = seconds(await dialog(page).locator('time').textContent())
      expect(left).toBeGreaterThan(3 * 60)
      expect(left).toBeLessThanOrEqual(4 * 60 + 2)
      expect(await dialog(page).getByRole('button', { name: 'Stay signed in' }).isVisible()).toBe(true)
      expect(await dialog(page).getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true)
    }
    // The warning moved focus to its main action.
    await expect.poll(() => first.evaluate(() => document.activeElement?.textContent)).toBe('Stay signed in')
    await shot(first, 'expiring-dialog')

    // Two seconds before the end: each tab ends the session by itself when its expires_at passes.
    await app.kratos.clock.advance(4 * MINUTE - 2_000)
    await Promise.all([forceCheck(first), forceCheck(second)])
    for (const page of [first, second]) {
      await heading(page, 'Your session has ended').waitFor()
      expect(await dialog(page).count()).toBe(0)
      expect(await email(page).count()).toBe(0)
    }
    // The sign-in link comes back to the page the user was on.
    const href = await second.getByRole('link', { name: 'Sign in', exact: true }).getAttribute('href')
    const login = new URL(href ?? '')
    expect(login.origin).toBe(kratosOrigin())
    expect(login.pathname).toBe('/self-service/login/browser')
    expect(login.searchParams.get('return_to')).toBe(appUrl('/api-keys'))
    expect(await second.getByText('Sign in to come back to /api-keys').count()).toBe(1)
    await shot(second, 'session-ended')
  })

  it('locks Account security, unlocks it through refresh=true back on the same URL, and locks again past maxAge by itself', async () => {
    const page = await signIn('/account-security')
    await heading(page, 'Change password').waitFor()

    // Six minutes later the sign-in is too old for the 5-minute gate.
    await app.kratos.clock.advance(FRESH_MAX_AGE + MINUTE)
    await forceCheck(page)
    await heading(page, 'Confirm it’s you').waitFor()
    expect(await heading(page, 'Change password').count()).toBe(0)
    await shot(page, 'fresh-auth-prompt')

    const loginRequest = page.waitForRequest((request) =>
      request.url().startsWith(`${kratosOrigin()}/self-service/login/browser?`),
    )
    await page.getByRole('button', { name: 'Sign in again' }).click()
    const login = new URL((await loginRequest).url())
    expect(login.searchParams.get('refresh')).toBe('true')
    expect(login.searchParams.get('return_to')).toBe(appUrl('/account-security'))
    await submitPassword(page, 'user@example.com')
    await page.waitForURL(appUrl('/account-security'))
    await heading(page, 'Change password').waitFor()

    // Two seconds before the new sign-in is 5 minutes old; then the gate locks with no check.
    const { authenticatedAt, now } = await sessionTimes(page)
    await app.kratos.clock.advance(authenticatedAt + FRESH_MAX_AGE - now - 2_000)
    await forceCheck(page)
    expect(await heading(page, 'Change password').count()).toBe(1)
    await heading(page, 'Confirm it’s you').waitFor()
  })

  it('changes the password through Kratos’s settings flow once the gate unlocks, and the new password signs in', async () => {
    const page = await signIn('/account-security', CHANGER)
    await app.kratos.clock.advance(FRESH_MAX_AGE + MINUTE)
    await forceCheck(page)
    await page.getByRole('button', { name: 'Sign in again' }).click()
    await submitPassword(page, CHANGER)
    await page.waitForURL(appUrl('/account-security'))
    await heading(page, 'Change password').waitFor()

    const newPassword = 'a brand-new passphrase'
    const created = page.waitForResponse(
      (response) => response.url() === `${kratosOrigin()}/self-service/settings/browser`,
    )
    const posted = page.waitForResponse(
      (response) =>
        response.url().startsWith(`${kratosOrigin()}/self-service/settings?flow=`) &&
        response.request().method() === 'POST',
    )
    await page.getByLabel('New password', { exact: true }).fill(newPassword)
    await page.getByLabel('Repeat the new password', { exact: true }).fill(newPassword)
    await page.getByRole('button', { name: 'Change password' }).click()
    const flow = (await (await created).json()) as { id: string }
    const response = await posted
    expect(response.status()).toBe(200)
    expect(new URL(response.url()).searchParams.get('flow')).toBe(flow.id)
    const body = response.request().postDataJSON() as Record<string, unknown>
    expect(body).toMatchObject({ method: 'password', password: newPassword })
    expect(body.csrf_token).toEqual(expect.any(String))
    expect(((await response.json()) as { state: string }).state).toBe('success')

    const status = page.getByRole('status').filter({ hasText: 'Password changed.' })
    await status.waitFor()
    expect(await status.textContent()).toContain('Your changes have been saved!')
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(await page.getByLabel('New password', { exact: true }).inputValue()).toBe('')
    await shot(page, 'password-changed')

    // The server has the new password: sign out, and sign in with it on the fake's login page.
    await page.getByRole('button', { name: 'Sign out' }).click()
    await heading(page, 'Signed out').waitFor()
    await page.getByRole('link', { name: 'Sign in', exact: true }).click()
    await submitPassword(page, CHANGER, newPassword)
    await page.waitForURL(appUrl('/account-security'))
    await email(page).waitFor()
    expect(await email(page).textContent()).toBe(CHANGER)
    await heading(page, 'Change password').waitFor()
  })

  it('keeps the half-filled new-key form while deleting a key re-authenticates in a popup', async () => {
    const page = await signIn('/api-keys')
    await app.kratos.clock.advance(FRESH_MAX_AGE + MINUTE)
    await forceCheck(page)

    const name = page.getByLabel('Name', { exact: true })
    await name.fill('deploy bot (half typ')
    await page.getByLabel('Scope').selectOption('write')

    const popupOpened = context.waitForEvent('page')
    await page.getByRole('button', { name: 'Delete CI deploy' }).click()
    const popup = await popupOpened
    await submitPassword(popup, 'user@example.com')
    await popup.waitForEvent('close')

    await expect.poll(() => page.getByTestId('keys-status').textContent()).toBe('Deleted “CI deploy”.')
    expect(await page.getByRole('button', { name: 'Delete CI deploy' }).count()).toBe(0)
    expect(await name.inputValue()).toBe('deploy bot (half typ')
    expect(await page.getByLabel('Scope').inputValue()).toBe('write')
    expect(page.url()).toBe(appUrl('/api-keys'))
    await shot(page, 'api-keys')
  })

  it('explains Billing to a password-only user and opens it for a user with a second factor', async () => {
    const page = await signIn('/billing')
    await heading(page, 'Billing needs a second factor').waitFor()
    expect(await page.getByTestId('no-second-factor').textContent()).toContain('has no second factor')
    expect(await page.getByRole('button', { name: 'Sign in with another account' }).isVisible()).toBe(true)
    expect(await page.getByRole('link', { name: 'Back to Home' }).isVisible()).toBe(true)
    expect(await page.getByRole('region', { name: 'Billing details' }).count()).toBe(0)
    await shot(page, 'billing-no-second-factor')

    // "Sign in with another account" signs out and comes back to Billing after the login.
    await page.getByRole('button', { name: 'Sign in with another account' }).click()
    await submitPassword(page, 'mfa@example.com')
    await submitTotp(page)
    await page.waitForURL(appUrl('/billing'))
    await page.getByRole('region', { name: 'Billing details' }).waitFor()
    expect(await page.getByTestId('session-aal').textContent()).toBe('aal2')
  })

  it('"Stay signed in" outside the extension window signs in again in the warning, extends the session and closes it in every tab', async () => {
    const first = await signIn()
    const second = await openTab('/api-keys')
    const dialog = (page: Page) => page.getByRole('alertdialog', { name: 'Your session is about to end' })
    const before = await sessionTimes(first)
    await app.kratos.clock.advance(before.expiresAt - before.now - 4 * MINUTE)
    await Promise.all([forceCheck(first), forceCheck(second)])
    await Promise.all([dialog(first).waitFor(), dialog(second).waitFor()])

    const login = context.waitForEvent('request', (request) =>
      request.url().startsWith(`${kratosOrigin()}/self-service/login/browser?`),
    )
    await second.getByRole('button', { name: 'Stay signed in' }).click()
    expect(new URL((await login).url()).searchParams.get('refresh')).toBe('true')
    // Kratos's refresh login in the page: the identifier is fixed, the password is asked for.
    const password = dialog(second).getByLabel('Password', { exact: true })
    await password.fill('password')
    await dialog(second).getByRole('button', { name: 'Sign in with password' }).click()

    for (const page of [first, second]) {
      await dialog(page).waitFor({ state: 'hidden' })
      await expect
        .poll(async () => seconds(await page.getByTestId('countdown').textContent()))
        .toBeGreaterThan(LIFESPAN / 1000 - 60)
    }
    expect(context.pages()).toHaveLength(2) // no login window
    expect(second.url()).toBe(appUrl('/api-keys'))
    expect((await sessionTimes(first)).expiresAt).toBeGreaterThan(before.expiresAt)
  })

  it('notices a session revoked through /__fake/ within one poll period', async () => {
    const page = await signIn('/api-keys')
    const id = await page.evaluate(() => window.sessionKeeper?.getState().session?.id)
    if (!id) throw new Error('no session id')
    await app.kratos.revokeSession(id)
    const revokedAt = Date.now()
    // The leader polls every APP_POLL_INTERVAL (3 s); a second for the request and the render.
    await heading(page, 'Signed out').waitFor({ timeout: 3_000 + 1_000 })
    expect(Date.now() - revokedAt).toBeLessThan(Number.parseInt(APP_POLL_INTERVAL, 10) * 1000 + 1_000)
    expect(await email(page).count()).toBe(0)
  })

  it('signs out every tab when one tab signs out', async () => {
    const first = await signIn()
    const second = await openTab('/account-security')
    await first.getByRole('button', { name: 'Sign out' }).click()
    for (const page of [first, second]) {
      await heading(page, 'Signed out').waitFor()
      expect(await email(page).count()).toBe(0)
    }
    const href = await second.getByRole('link', { name: 'Sign in', exact: true }).getAttribute('href')
    expect(new URL(href ?? '').searchParams.get('return_to')).toBe(appUrl('/account-security'))
    await shot(second, 'signed-out')
  })
  // Kratos with `earliest_possible_extend: 10m`, and the app's autoExtend with the same window:
  // its own fake and app, as for required_aal below.
  describe('with earliest_possible_extend: 10m', () => {
    let main: DemoServers
    beforeAll(async () => {
      main = app
      app = await startApp({ earliestPossibleExtend: '10m' })
    })
    afterAll(async () => {
      const extendApp = app
      app = main
      await extendApp?.close()
    })

    /** Admin extensions the fake has received. */
    const extensions = () =>
      Object.entries(app.kratos.stats().requests)
        .filter(([key]) => /^PATCH \/admin\/sessions\/[^/]+\/extend$/.test(key))
        .reduce((total, [, count]) => total + count, 0)

    /** Moves the fake's clock to `left` before expiry, and both tabs' keepers to it. */
    async function leaveOnly(left: number, ...pages: Page[]) {
      const { expiresAt, now } = await sessionTimes(pages[0] as Page)
      await app.kratos.clock.advance(expiresAt - now - left)
      await Promise.all(pages.map(forceCheck))
    }

    it("extends once on activity in tab B inside the window, and tab A's countdown moves", async () => {
      const first = await signIn()
      const second = await openTab('/api-keys')
      const extendCalls: string[] = []
      context.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/session/extend') extendCalls.push(request.url())
      })

      // Outside the window, activity sends nothing.
      await leaveOnly(20 * MINUTE, first, second)
      await second.mouse.move(10, 10)
      await second.mouse.move(200, 150)
      await second.keyboard.press('Shift')
      expect(await first.evaluate(() => window.sessionKeeper?.getState().session?.id)).toBeTruthy()
      expect(extendCalls).toEqual([])

      // Inside it, activity in tab B extends the session once, for both tabs.
      await leaveOnly(9 * MINUTE, first, second)
      expect(seconds(await first.getByTestId('countdown').textContent())).toBeLessThanOrEqual(9 * 60 + 2)
      await second.mouse.move(20, 20)
      await second.mouse.move(300, 200)
      await expect
        .poll(async () => seconds(await first.getByTestId('countdown').textContent()))
        .toBeGreaterThan(LIFESPAN / 1000 - 60)
      expect(extendCalls).toHaveLength(1)
      expect(extensions()).toBe(1)
      expect(await context.pages().length).toBe(2) // no login window
    })

    it('"Stay signed in" inside the window extends the session without a login, and the dialog closes in every tab', async () => {
      const first = await signIn()
      const second = await openTab('/api-keys')
      const dialog = (page: Page) => page.getByRole('alertdialog', { name: 'Your session is about to end' })
      const logins: string[] = []
      context.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith('/self-service/login')) logins.push(request.url())
      })
      await leaveOnly(4 * MINUTE, first, second)
      await Promise.all([dialog(first).waitFor(), dialog(second).waitFor()])

      await second.getByRole('button', { name: 'Stay signed in' }).click()

      for (const page of [first, second]) {
        await dialog(page).waitFor({ state: 'hidden' })
        await expect
          .poll(async () => seconds(await page.getByTestId('countdown').textContent()))
          .toBeGreaterThan(LIFESPAN / 1000 - 60)
      }
      expect(logins).toEqual([])
      expect(context.pages()).toHaveLength(2)
      expect(extensions()).toBeGreaterThanOrEqual(1)
    })
  })

  // Kratos with `required_aal: aal1`: whoami accepts mfa@example.com's password-only (aal1)
  // session, so Billing is reached at aal1 and steps up by itself. Its own fake; `app` points
  // to it for this block, so the helpers and hooks above use it.
  describe('with required_aal: aal1', () => {
    let main: DemoServers
    beforeAll(async () => {
      main = app
      app = await startApp({ kratos: { requiredAal: 'aal1' } })
    })
    afterAll(async () => {
      const aal1App = app
      app = main
      await aal1App?.close()
    })

    it('steps an aal1 session up to aal2 for Billing, back on the same URL', async () => {
      const page = await context.newPage()
      await page.goto(appUrl('/billing'))
      await page.getByRole('link', { name: 'Sign in', exact: true }).click()
      await submitPassword(page, 'mfa@example.com')
      await page.waitForURL(appUrl('/billing'))
      await email(page).waitFor()
      expect(await page.getByTestId('session-aal').textContent()).toBe('aal1')

      await heading(page, 'Billing needs a second factor').waitFor()
      const button = page.getByRole('button', { name: 'Use my second factor' })
      await button.waitFor()
      expect(await page.getByTestId('no-second-factor').count()).toBe(0)
      expect(await page.getByRole('region', { name: 'Billing details' }).count()).toBe(0)
      await shot(page, 'billing-step-up-prompt')

      const loginRequest = page.waitForRequest(
        (request) =>
          request.url().startsWith(`${kratosOrigin()}/self-service/login/browser?`) &&
          request.isNavigationRequest(),
      )
      await button.click()
      const login = new URL((await loginRequest).url())
      expect(login.searchParams.get('aal')).toBe('aal2')
      expect(login.searchParams.get('return_to')).toBe(appUrl('/billing'))
      await page.waitForURL(onKratos)
      await submitTotp(page)
      await page.waitForURL(appUrl('/billing'))
      await page.getByRole('region', { name: 'Billing details' }).waitFor()
      expect(await page.getByTestId('session-aal').textContent()).toBe('aal2')
      expect(page.url()).toBe(appUrl('/billing'))
    })
  })
})
