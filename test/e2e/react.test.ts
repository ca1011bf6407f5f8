import type { Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setupChromium, signInContext as signIn } from './browser.js'
import { type DemoServers, startReactPage } from './servers.js'

// @session-keeper/react in real Chromium (issue 5): the React test page (react-page/, under
// StrictMode) on one origin, fake-kratos on another origin of the same site. Tabs of one browser
// context share the keepers' BroadcastChannel (tab sync is on by default). No test waits a fixed
// time: they wait on selectors, Playwright events, or poll a value.

let servers: DemoServers

beforeAll(async () => {
  servers = await startReactPage()
})

afterAll(async () => {
  await servers?.close()
})

beforeEach(() => {
  servers.kratos.clock.set(Date.now())
  servers.kratos.resetStats()
})

/**
 * Chromium and a fresh context per test (after the fake's reset above), no page: the tests open
 * their tabs. Uncaught exceptions and console errors in any page of the test, popups included,
 * go to `pageErrors`; each test ends with none.
 */
const chromium = setupChromium({
  openPage: false,
  setup: (context) => {
    context.on('page', (page) => {
      page.on('console', (message) => {
        // A 401 from whoami (signed out) is an answer, not an error; Chromium logs it anyway.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          chromium.pageErrors.push(`${page.url()}: ${message.text()}`)
        }
      })
    })
  },
})

const kratos = () => servers.kratos
const kratosOrigin = () => new URL(kratos().url).origin
const whoamiCount = () => kratos().stats().requests['GET /sessions/whoami'] ?? 0

/** The page's URL with `query`, e.g. `short=3s`. */
const pageUrl = (query = '') => new URL(query ? `?${query}` : '', servers.appUrl).href

/** Signs the browser context in without a login flow (browser.ts). */
const signInContext = (email?: string) => signIn(chromium.context, kratos(), email)

/** Opens a tab on the page and waits until its keeper is on `window` and past `loading`. */
async function openTab(query = ''): Promise<Page> {
  const page = await chromium.context.newPage()
  await page.goto(pageUrl(query))
  await expect
    .poll(() => page.evaluate(() => window.keeper?.getState().status ?? 'no keeper'), { timeout: 10_000 })
    .toMatch(/^(authenticated|unauthenticated)$/)
  return page
}

// The 5-minute gate's parts: the panel, and the default fallback's heading and button.
const gate = (page: Page) => page.getByTestId('gate')
const secret = (page: Page) => gate(page).getByTestId('secret')
const signInAgain = (page: Page) => gate(page).getByRole('button', { name: 'Sign in again' })

/** Waits until `page`'s 5-minute gate is locked: no panel, the default fallback on screen. */
async function expectLocked(page: Page) {
  await signInAgain(page).waitFor()
  await gate(page).getByRole('heading', { name: 'Confirm it’s you' }).waitFor()
  expect(await secret(page).count()).toBe(0)
}

/** Every navigation of `page`'s main frame (reloads included) from now on. */
function recordNavigations(page: Page): string[] {
  const urls: string[] = []
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) urls.push(frame.url())
  })
  return urls
}

/** Fills the fake's refresh login (it knows who signs in and asks only for the password). */
async function submitPassword(page: Page) {
  await page.waitForURL((url) => url.origin === kratosOrigin() && url.pathname === '/ui/login')
  expect(await page.locator('input[name="identifier"]').getAttribute('type')).toBe('hidden')
  await page.locator('input[name="password"]').fill('password')
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/**
 * Two signed-in tabs of the page whose 5-minute gates are locked: the login is 10 minutes old on
 * the server's clock and both tabs have learnt the new time. Tab A carries `window.marker = 1`,
 * which only survives if tab A never reloads.
 */
async function twoLockedTabs(query = '') {
  await signInContext()
  const tabA = await openTab(query)
  const tabB = await openTab(query)
  await Promise.all([secret(tabA).waitFor(), secret(tabB).waitFor()])

  kratos().clock.advance(600_000)
  // One tab after the other: an answer another tab sends first makes a tab drop its own answer in
  // flight, and with it the server's clock (the state between tabs carries no clock skew).
  for (const tab of [tabA, tabB]) await tab.evaluate(() => window.keeper.check({ force: true }))
  await Promise.all([expectLocked(tabA), expectLocked(tabB)])
  // The default fallback takes focus so that the change is announced.
  await expect.poll(() => tabA.evaluate(() => document.activeElement?.textContent)).toBe('Confirm it’s you')

  await tabA.evaluate(() => {
    window.marker = 1
  })
  return { tabA, tabB, tabANavigations: recordNavigations(tabA) }
}

/** Tab A's gate opened by itself: the panel is back, no reload, nothing clicked there. */
async function expectOpenedInPlace(tabA: Page, tabANavigations: string[]) {
  await secret(tabA).waitFor()
  expect(await signInAgain(tabA).count()).toBe(0)
  expect(await tabA.evaluate(() => window.marker)).toBe(1)
  expect(tabANavigations).toEqual([])
  expect(await tabA.evaluate(() => window.keeper.isFresh({ maxAge: '5m' }))).toBe(true)
}

describe('@session-keeper/react in Chromium against fake-kratos', () => {
  it('should open a gate locked in tab A by itself when the user re-authenticates in tab B (popup)', async () => {
    const { tabA, tabB, tabANavigations } = await twoLockedTabs('mode=popup')

    // Tab B: the fallback's button opens Kratos's refresh login in a popup; back on the page
    // inside the popup, its keeper checks, tells the tabs and closes the window.
    const popupOpened = chromium.context.waitForEvent('page')
    await signInAgain(tabB).click()
    const popup = await popupOpened
    const closed = popup.waitForEvent('close')
    await submitPassword(popup)
    await closed

    await expectOpenedInPlace(tabA, tabANavigations)
    await secret(tabB).waitFor()
  })

  // A tab coming back from a redirect login is a new page: it asks the server itself (the other
  // tabs hold the pre-login session) and its answer reaches tab A.
  it('should open a gate locked in tab A by itself when the user re-authenticates in tab B (redirect)', async () => {
    const { tabA, tabB, tabANavigations } = await twoLockedTabs()

    // Tab B: the fallback's button (redirect mode) goes through the refresh login and back.
    await signInAgain(tabB).click()
    await submitPassword(tabB)
    await tabB.waitForURL(pageUrl())
    await tabB.getByTestId('status').getByText('authenticated').waitFor()

    await expectOpenedInPlace(tabA, tabANavigations)
  })

  it('should lock a gate on screen again by itself when maxAge passes, without asking the server', async () => {
    const page = await openTab('short=3s')
    await page.getByTestId('status').getByText('unauthenticated').waitFor()
    const shortGate = page.getByTestId('short-gate')
    await shortGate.getByRole('button', { name: 'Sign in' }).waitFor()

    // Sign in now, so the 3 s start once the page is up.
    await signInContext()
    await page.evaluate(() => window.keeper.check({ force: true }))
    await shortGate.getByTestId('short-secret').waitFor()
    await secret(page).waitFor()
    const whoami = whoamiCount()

    // 3 s after the login the short gate locks on its own; the 5-minute gate stays open.
    await shortGate.getByRole('button', { name: 'Sign in again' }).waitFor()
    expect(await shortGate.getByTestId('short-secret').count()).toBe(0)
    expect(await page.evaluate(() => window.keeper.isFresh({ maxAge: '3s' }))).toBe(false)
    expect(await secret(page).count()).toBe(1)
    expect(await page.getByTestId('status').textContent()).toBe('authenticated')
    // Its own deadline did it: the keeper asked the server nothing meanwhile.
    expect(whoamiCount()).toBe(whoami)
  })
})
