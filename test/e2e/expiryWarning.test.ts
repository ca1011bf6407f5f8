import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setupChromium } from './browser.js'
import { type DemoServers, startApp } from './servers.js'

// <ExpiryWarning> in the built Vite demo, in real Chromium against fake-kratos (issue 18): axe-core
// finds nothing wrong in the open warning, "Stay signed in" works from the keyboard alone (the
// in-page sign-in included: Kratos's window is 1 minute, the warning opens 4 minutes before the
// end, so the session cannot be extended), and the tabs open and close it together.

const MINUTE = 60_000
const TITLE = 'Your session is about to end'
const require = createRequire(import.meta.url)

let app: DemoServers
let axeSource: string

beforeAll(async () => {
  ;[app, axeSource] = await Promise.all([
    startApp({ earliestPossibleExtend: '1m' }),
    readFile(require.resolve('axe-core/axe.min.js'), 'utf8'),
  ])
})

afterAll(async () => {
  await app?.close()
})

beforeEach(() => {
  app.kratos.clearFaults()
  app.kratos.clock.set(Date.now())
})

const chromium = setupChromium({
  openPage: false,
  contextOptions: { viewport: { width: 1100, height: 720 } },
})

const appUrl = (path = '/') => new URL(path, app.appUrl).href
const warning = (page: Page) => page.getByRole('alertdialog', { name: TITLE })
const email = (page: Page) => page.getByTestId('session-email')

/** Signs in through the fake's login page and comes back to `path`. */
async function signIn(path = '/'): Promise<Page> {
  const page = await chromium.context.newPage()
  await page.goto(appUrl(path))
  await page.getByRole('link', { name: 'Sign in', exact: true }).click()
  await page.locator('input[name="identifier"]').fill('user@example.com')
  await page.locator('input[name="password"]').fill('password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(appUrl(path))
  await email(page).waitFor()
  return page
}

async function openTab(path = '/'): Promise<Page> {
  const page = await chromium.context.newPage()
  await page.goto(appUrl(path))
  await email(page).waitFor()
  return page
}

/** Moves the fake's clock to 4 minutes before the end and makes every tab's keeper learn it. */
async function fourMinutesLeft(...pages: Page[]) {
  const expiresAt = await (pages[0] as Page).evaluate(() =>
    window.sessionKeeper?.getState().session?.expires_at?.getTime(),
  )
  if (expiresAt === undefined) throw new Error('no session')
  await app.kratos.clock.advance(expiresAt - app.kratos.clock.now() - 4 * MINUTE)
  await Promise.all(pages.map((page) => page.evaluate(() => window.sessionKeeper?.check({ force: true }))))
}

/** axe-core's violations inside `selector`, as `rule: targets`. */
async function axeViolations(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({ content: axeSource })
  return page.evaluate(async (include) => {
    const { axe } = window as unknown as { axe: typeof import('axe-core') }
    const { violations } = await axe.run({ include: [include] })
    return violations.map((v) => `${v.id}: ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`)
  }, selector)
}

const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement
    const name = element?.getAttribute('name') ?? element?.getAttribute('aria-label') ?? element?.textContent
    return `${element?.tagName.toLowerCase()} ${name}`
  })

describe('<ExpiryWarning> in the demo, in Chromium', () => {
  it('has no axe-core violation while open, nor with the in-page sign-in, and says it once in the live region', async () => {
    const page = await signIn()
    await fourMinutesLeft(page)
    await warning(page).waitFor()

    expect(await axeViolations(page, '.session-keeper-expiry-warning')).toEqual([])
    const region = page.locator('[role="status"][aria-live="polite"]')
    // The time really left, give or take the second of the server's `Date` header.
    await expect
      .poll(() => region.textContent())
      .toMatch(
        /^Your session is about to end: you will be signed out in (4 minutes( [12] seconds?)?|3 minutes 5\d seconds)\./,
      )
    // The countdown ticks on screen, outside the live region.
    const shown = await warning(page).locator('time').textContent()
    // (It ticks every second: a poll of up to three seconds waits for at least one tick.)
    await expect.poll(() => warning(page).locator('time').textContent(), { timeout: 3_000 }).not.toBe(shown)
    expect(await region.textContent()).toMatch(/^Your session is about to end/)

    await warning(page).getByRole('button', { name: 'Stay signed in' }).click()
    await warning(page).getByLabel('Password', { exact: true }).waitFor()
    expect(await axeViolations(page, '.session-keeper-expiry-warning')).toEqual([])
  })

  it('completes "Stay signed in" from the keyboard alone, and the warning closes in both tabs with focus given back', async () => {
    const first = await signIn('/api-keys')
    const second = await openTab()
    // Keyboard focus on the page before the warning opens.
    await first.keyboard.press('Tab')
    const before = await focused(first)
    expect(before).not.toMatch(/^body /)

    await fourMinutesLeft(first, second)
    await Promise.all([warning(first).waitFor(), warning(second).waitFor()])
    await expect.poll(() => focused(first)).toBe('button Stay signed in')
    // Every action is in the tab order.
    await first.keyboard.press('Tab')
    expect(await focused(first)).toBe('button Sign out')
    await first.keyboard.press('Shift+Tab')

    await first.keyboard.press('Enter')
    await expect.poll(() => focused(first)).toBe('input password')
    await first.keyboard.type('password')
    await first.keyboard.press('Enter')

    await Promise.all([
      warning(first).waitFor({ state: 'hidden' }),
      warning(second).waitFor({ state: 'hidden' }),
    ])
    expect(await focused(first)).toBe(before)
    expect(first.url()).toBe(appUrl('/api-keys'))
    expect(chromium.context.pages()).toHaveLength(2) // no login window
  })

  it('hides on Escape, and closes in every tab when one tab signs out from it', async () => {
    const first = await signIn()
    const second = await openTab('/billing')
    await fourMinutesLeft(first, second)
    await Promise.all([warning(first).waitFor(), warning(second).waitFor()])

    await second.keyboard.press('Escape')
    await warning(second).waitFor({ state: 'hidden' })
    expect(await email(second).isVisible()).toBe(true)

    await warning(first).getByRole('button', { name: 'Sign out' }).click()
    for (const page of [first, second]) {
      await page.getByRole('heading', { name: 'Signed out', exact: true }).waitFor()
      expect(await warning(page).count()).toBe(0)
    }
  })
})
