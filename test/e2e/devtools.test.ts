import { mkdir } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setupChromium, signInContext as signIn } from './browser.js'
import { type DemoServers, startDemo } from './servers.js'

// <SessionKeeperDevtools /> in the example app (Vite dev server, so not a production build)
// against fake-kratos in real Chromium, with two tabs of one context (they share
// BroadcastChannel and Web Locks): one shows itself leader, the other follower, and each logs
// the other's messages. The last test's screenshot (test-results/devtools/, ignored by git) is
// docs/devtools.png. No fixed waits: every wait is on what a page shows.

const SCREENSHOTS = new URL('../../test-results/devtools/', import.meta.url)

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

const chromium = setupChromium({
  openPage: false,
  contextOptions: { viewport: { width: 1100, height: 900 } },
})

/** Signs the browser context in without a login flow (browser.ts). */
const signInContext = (email?: string) => signIn(chromium.context, demo.kratos, email)

const toggle = (page: Page) => page.getByRole('button', { name: /^Session: / })
const panel = (page: Page) => page.getByRole('dialog', { name: 'Session keeper devtools' })

/** Opens a tab of the app and waits until its devtools button shows `status · role`. */
async function openTab(role: 'leader' | 'follower'): Promise<Page> {
  const page = await chromium.context.newPage()
  await page.goto(demo.appUrl)
  await expect.poll(() => toggle(page).textContent()).toBe(`Session: authenticated · ${role}`)
  return page
}

/** Opens the panel of `page`, and waits until its log shows a line matching `line`. */
async function logShows(page: Page, line: RegExp) {
  if (!(await panel(page).isVisible())) await toggle(page).click()
  const log = panel(page).getByRole('region', { name: 'Event log' })
  await expect
    .poll(async () => (await log.getByRole('listitem').allTextContents()).some((text) => line.test(text)))
    .toBe(true)
}

describe('<SessionKeeperDevtools /> in two tabs', () => {
  it("should show one tab leader and the other follower, each logging the other's messages", async () => {
    await signInContext()
    const first = await openTab('leader')
    const second = await openTab('follower')

    // The follower asked the tabs on start; the leader answered with its state.
    await logShows(second, /message from tab \w+: state/)
    await logShows(second, /another tab's answer (applied|dropped)/)
    // The leader heard the new tab say it is on screen, and lists it.
    await logShows(first, /message from tab \w+: visible \(on screen\)/)
    const tabs = panel(first).getByRole('list', { name: 'Other tabs' })
    await expect
      .poll(() => tabs.getByRole('listitem').allTextContents())
      .toEqual([expect.stringMatching(/on screen/)])
    // The new tab asked every tab to say whether it is on screen when it joined: it knows the
    // leader at once, though the leader sent nothing else to it.
    await logShows(second, /message from tab \w+: visible \((on|off) screen\)/)
    const known = panel(second).getByRole('list', { name: 'Other tabs' })
    await expect
      .poll(() => known.getByRole('listitem').allTextContents())
      .toEqual([expect.stringMatching(/\b(on|off) screen/)])
    expect(await panel(first).locator('[data-role]').textContent()).toBe('leader')
    expect(await panel(second).locator('[data-role]').textContent()).toBe('follower')
  })

  it('should check now from the panel (the screenshot of the docs)', async () => {
    await signInContext()
    const page = await openTab('leader')
    await openTab('follower')
    await page.bringToFront()
    await logShows(page, /message from tab \w+: visible/)

    await panel(page).getByRole('button', { name: 'Check now' }).click()
    await logShows(page, /check \(app\) → authenticated/)

    await expect.poll(() => panel(page).locator('[data-field="status"]').textContent()).toBe('authenticated')
    await page.screenshot({ path: new URL('devtools.png', SCREENSHOTS).pathname })
  })
})
