import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setupChromium } from './browser.js'
import { type DemoServers, startDemo } from './servers.js'

// The example app in real Chromium against fake-kratos: the browser login, MFA, logout and
// error paths a user walks through. Each test gets a fresh browser context (no cookies).

let demo: DemoServers

beforeAll(async () => {
  demo = await startDemo()
})

afterAll(async () => {
  await demo?.close()
})

beforeEach(() => {
  demo.kratos.clearFaults()
})

/** Chromium, a fresh context and page per test (after the fake's reset above); each test ends with no page error. */
const chromium = setupChromium()

const kratosOrigin = () => new URL(demo.kratos.url).origin
const onKratos = (url: URL) => url.origin === kratosOrigin()
const onApp = (url: URL) => url.href === demo.appUrl

const signInLink = () => chromium.page.getByRole('link', { name: 'Sign in', exact: true })
const email = () => chromium.page.getByTestId('session-email')
const aal = () => chromium.page.getByTestId('session-aal')

/** Status of whoami as the page itself sees it (cookie included). */
const whoamiStatus = () =>
  chromium.page.evaluate(
    async (url) => {
      const response = await fetch(url, { credentials: 'include', headers: { Accept: 'application/json' } })
      return response.status
    },
    new URL('sessions/whoami', `${kratosOrigin()}/`).href,
  )

/** Fills the fake's password form, which the app's "Sign in" link leads to. */
async function submitPassword(identifier: string, password = 'password') {
  await chromium.page.waitForURL(onKratos)
  await chromium.page.locator('input[name="identifier"]').fill(identifier)
  await chromium.page.locator('input[name="password"]').fill(password)
  await chromium.page.getByRole('button', { name: 'Sign in' }).click()
}

async function submitTotp(code = '123456') {
  const input = chromium.page.locator('input[name="totp_code"]')
  await input.waitFor()
  expect(onKratos(new URL(chromium.page.url()))).toBe(true)
  await input.fill(code)
  await chromium.page.getByRole('button', { name: 'Verify' }).click()
}

async function signInAsUser() {
  await chromium.page.goto(demo.appUrl)
  await signInLink().click()
  await submitPassword('user@example.com')
  await chromium.page.waitForURL(onApp)
  await email().waitFor()
}

describe('example app against fake-kratos in Chromium', () => {
  it('shows "Sign in" to a signed-out visitor, linking to the browser login flow', async () => {
    await chromium.page.goto(demo.appUrl)
    await signInLink().waitFor()
    const href = new URL((await signInLink().getAttribute('href')) ?? '')
    expect(href.origin).toBe(kratosOrigin())
    expect(href.pathname).toBe('/self-service/login/browser')
    expect(href.searchParams.get('return_to')).toBe(demo.appUrl)
    expect(await email().count()).toBe(0)
    expect(await chromium.page.getByRole('alert').count()).toBe(0)
  })

  it('signs in through the fake login page and shows the session', async () => {
    await chromium.page.goto(demo.appUrl)
    await signInLink().click()
    await submitPassword('user@example.com')
    await chromium.page.waitForURL(onApp)

    await email().waitFor()
    expect(await email().textContent()).toBe('user@example.com')
    expect(await aal().textContent()).toBe('aal1')
    expect(await chromium.page.getByRole('heading', { name: 'Signed in' }).isVisible()).toBe(true)
    const cookie = (await chromium.context.cookies(demo.kratos.url)).find(
      (c) => c.name === 'ory_kratos_session',
    )
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
  })

  it('takes an MFA identity through password, then TOTP, to aal2', async () => {
    await chromium.page.goto(demo.appUrl)
    await signInLink().click()
    await submitPassword('mfa@example.com')
    await submitTotp()
    await chromium.page.waitForURL(onApp)

    await email().waitFor()
    expect(await email().textContent()).toBe('mfa@example.com')
    expect(await aal().textContent()).toBe('aal2')
  })

  it('sends an aal1 session of an MFA identity to its second factor, with return_to back to the app', async () => {
    await chromium.page.goto(demo.appUrl)
    await signInLink().click()
    await submitPassword('mfa@example.com')
    // Walk away from the TOTP page: the session cookie is set, but only at aal1.
    await chromium.page.locator('input[name="totp_code"]').waitFor()
    await chromium.page.goto(demo.appUrl)

    const stepUp = chromium.page.getByRole('link', { name: 'Complete the second factor' })
    await stepUp.waitFor()
    const href = new URL((await stepUp.getAttribute('href')) ?? '')
    expect(href.origin).toBe(kratosOrigin())
    expect(href.searchParams.get('aal')).toBe('aal2')
    expect(href.searchParams.get('return_to')).toBe(demo.appUrl)
    expect(await whoamiStatus()).toBe(403)

    await stepUp.click()
    await submitTotp()
    await chromium.page.waitForURL(onApp)
    await email().waitFor()
    expect(await aal().textContent()).toBe('aal2')
  })

  it('signs out through the logout flow back to the signed-out view', async () => {
    await signInAsUser()
    expect(await whoamiStatus()).toBe(200)

    const logout = chromium.page.waitForRequest((request) =>
      request.url().startsWith(`${kratosOrigin()}/self-service/logout?`),
    )
    await chromium.page.getByRole('button', { name: 'Sign out' }).click()
    await logout
    await chromium.page.waitForURL(onApp)
    await signInLink().waitFor()

    expect(await email().count()).toBe(0)
    await expect.poll(whoamiStatus).toBe(401)
  })

  it('shows a 500 from whoami as an error, never as signed out, and recovers on retry', async () => {
    await signInAsUser()
    demo.kratos.addFault({ route: 'GET /sessions/whoami', status: 500 })
    await chromium.page.reload()

    const alert = chromium.page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toContain('500')
    expect(await signInLink().count()).toBe(0)
    expect(await email().count()).toBe(0)

    demo.kratos.clearFaults()
    await chromium.page.getByRole('button', { name: 'Retry' }).click()
    await email().waitFor()
    expect(await email().textContent()).toBe('user@example.com')
  })
})
