import { mkdir } from 'node:fs/promises'
import type { Page, Response } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setupChromium } from './browser.js'
import { type DemoServers, startDemo } from './servers.js'

// The example app's Account security screen in real Chromium against fake-kratos: re-authentication
// inside the page (<ReauthForm> over Kratos's refresh=true login flow) instead of a redirect. The
// fake's clock moves the sign-in past the gate's 5 minutes; each page learns the fake's time from
// the `Date` of its first whoami. No fixed waits: every wait is on the DOM or a Playwright event.

const SCREENSHOTS = new URL('../../test-results/inline/', import.meta.url)
const MINUTE = 60_000
const FRESH_MAX_AGE = 5 * MINUTE // the screen's RequireFreshAuth maxAge
const WRONG_CREDENTIALS =
  'The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.'
const WRONG_CODE = 'The provided authentication code is invalid, please try again.'

let demo: DemoServers

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true })
  demo = await startDemo()
})

afterAll(async () => {
  await demo?.close()
})

beforeEach(() => {
  demo.kratos.clearFaults()
  demo.kratos.clock.set(Date.now())
})

/** One browser for the file; a fresh context per test, whose tabs open their own pages. */
const chromium = setupChromium({
  openPage: false,
  contextOptions: { viewport: { width: 1100, height: 720 } },
})

const kratosOrigin = () => new URL(demo.kratos.url).origin
const onKratos = (url: URL) => url.origin === kratosOrigin()
const securityUrl = () => new URL('/account-security', demo.appUrl).href

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true })
const locked = (page: Page) => page.getByRole('region', { name: 'Confirm it’s you' })
const field = (page: Page, label: string) => locked(page).getByLabel(label, { exact: true })
const button = (page: Page, name: string) => locked(page).getByRole('button', { name, exact: true })

/** The answer to the in-page form's submit (a JSON POST to the flow's action). */
const loginSubmit = (page: Page) =>
  page.waitForResponse(
    (response: Response) =>
      response.url().startsWith(`${kratosOrigin()}/self-service/login?flow=`) &&
      response.request().method() === 'POST',
  )

/** Signs in on the fake's login page (password, then the code for an MFA identity), back on Account security. */
async function signIn(identifier: string): Promise<Page> {
  const page = await chromium.context.newPage()
  await page.goto(securityUrl())
  await page.getByRole('link', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(onKratos)
  await page.locator('input[name="identifier"]').fill(identifier)
  await page.locator('input[name="password"]').fill('password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  if (identifier === 'mfa@example.com') {
    await page.locator('input[name="totp_code"]').fill('123456')
    await page.getByRole('button', { name: 'Verify' }).click()
  }
  await page.waitForURL(securityUrl())
  await heading(page, 'Change password').waitFor()
  return page
}

/** Six minutes on the fake's clock: the sign-in is too old for the gate. */
const age = () => demo.kratos.clock.advance(FRESH_MAX_AGE + MINUTE)

/** {@link signIn}, then {@link age}. */
async function signInAged(identifier: string): Promise<Page> {
  const page = await signIn(identifier)
  await age()
  return page
}

/** A tab on Account security after {@link age}: locked, with the in-page form ready. */
async function lockedTab(page?: Page): Promise<Page> {
  const tab = page ?? (await chromium.context.newPage())
  if (page) await tab.reload()
  else await tab.goto(securityUrl())
  await locked(tab).waitFor()
  expect(await heading(tab, 'Change password').count()).toBe(0)
  return tab
}

describe('Account security: re-authentication in the page (example app, fake-kratos, Chromium)', () => {
  it('unlocks the gate in a second tab, without a reload, when the first tab confirms the password', async () => {
    const first = await signIn('user@example.com')
    await age()
    await lockedTab(first)
    const second = await lockedTab()
    await field(first, 'Password').waitFor()
    // The form takes focus once Kratos's flow is in: the password, as the identifier is hidden.
    await expect
      .poll(() => first.evaluate(() => document.activeElement?.getAttribute('name')))
      .toBe('password')
    expect(await first.locator('input[name="identifier"]').count()).toBe(0)
    await first.screenshot({ path: new URL('account-security.png', SCREENSHOTS).pathname })

    // A mark only this document carries, and every navigation of the second tab recorded.
    await second.evaluate(() => Object.assign(window, { inlineMark: 'still here' }))
    const navigations: string[] = []
    second.on('framenavigated', (frame) => {
      if (frame === second.mainFrame()) navigations.push(frame.url())
    })

    const answer = loginSubmit(first)
    await field(first, 'Password').fill('password')
    await button(first, 'Sign in with password').click()
    // The fake refuses a submit without the flow's CSRF token or the hidden identifier (Chromium
    // does not show the body of a fetch made from a Request, so the answer is the evidence).
    expect((await answer).status()).toBe(200)
    await heading(first, 'Change password').waitFor()
    await heading(second, 'Change password').waitFor()
    expect(await locked(second).count()).toBe(0)
    expect(await second.evaluate(() => (window as { inlineMark?: string }).inlineMark)).toBe('still here')
    expect(navigations).toEqual([])
    expect(first.url()).toBe(securityUrl())
    // The content that replaced the focused form takes focus, in the tab that confirmed.
    await expect.poll(() => first.evaluate(() => document.activeElement?.textContent)).toBe('Change password')
  })

  it("shows Kratos's message after a wrong password and keeps the form; a missing one marks the field", async () => {
    const page = await lockedTab(await signInAged('user@example.com'))

    let answer = loginSubmit(page)
    await field(page, 'Password').fill('not the password')
    await button(page, 'Sign in with password').click()
    expect((await answer).status()).toBe(400)
    // Kratos puts wrong credentials on the flow, not on a field (FACTS §2).
    await locked(page).getByText(WRONG_CREDENTIALS, { exact: true }).waitFor()
    expect(await heading(page, 'Change password').count()).toBe(0)
    expect(await field(page, 'Password').isEnabled()).toBe(true)
    expect(await button(page, 'Sign in with password').isEnabled()).toBe(true)

    // An empty password: Kratos's message on the field itself, which says it is invalid.
    answer = loginSubmit(page)
    await field(page, 'Password').fill('')
    await button(page, 'Sign in with password').click()
    expect((await answer).status()).toBe(400)
    const password = field(page, 'Password')
    await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true')
    const describedBy = (await password.getAttribute('aria-describedby')) ?? ''
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('Property password is missing.')
    expect(await locked(page).getByText(WRONG_CREDENTIALS, { exact: true }).count()).toBe(0)

    answer = loginSubmit(page)
    await password.fill('password')
    await button(page, 'Sign in with password').click()
    expect((await answer).status()).toBe(200)
    await heading(page, 'Change password').waitFor()
  })

  it('takes an aal2 identity through its authentication code in the page, and the gate opens at aal2', async () => {
    const page = await lockedTab(await signInAged('mfa@example.com'))
    const before = await authenticatedAt(page)
    // An aal2 session confirms with its second factor: Kratos's aal2 refresh flow offers the code.
    const code = field(page, 'Authentication code')
    await code.waitFor()
    expect(await field(page, 'Password').count()).toBe(0)
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('name')))
      .toBe('totp_code')

    let answer = loginSubmit(page)
    await code.fill('000000')
    await button(page, 'Use Authenticator').click()
    expect((await answer).status()).toBe(400)
    await expect.poll(() => code.getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator(`[id="${await code.getAttribute('aria-describedby')}"]`).textContent()).toBe(
      WRONG_CODE,
    )

    answer = loginSubmit(page)
    await code.fill('123456')
    await button(page, 'Use Authenticator').click()
    expect((await answer).status()).toBe(200)
    await heading(page, 'Change password').waitFor()
    expect(await page.getByTestId('session-aal').textContent()).toBe('aal2')
    expect(await authenticatedAt(page)).toBeGreaterThan(before)
  })
})

/** The session's `authenticated_at` as whoami tells the page, in ms. */
const authenticatedAt = (page: Page) =>
  page.evaluate(async (url) => {
    const response = await fetch(url, { credentials: 'include', headers: { Accept: 'application/json' } })
    const session = (await response.json()) as { authenticated_at: string }
    return Date.parse(session.authenticated_at)
  }, `${kratosOrigin()}/sessions/whoami`)
