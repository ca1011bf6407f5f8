import type { Page, Request } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setupChromium, signInContext as signIn } from './browser.js'
import { type DemoServers, startCorePage } from './servers.js'

// Tab sync in real Chromium (DESIGN §4, issue 4): several tabs of the core test page (core-page/)
// in ONE browser context, since the tabs of a profile share BroadcastChannel and Web Locks,
// against fake-kratos on another origin of the same site. Requests are counted twice: by the
// fake (`stats()`, every whoami it answered) and per tab by Playwright (who asked). No test
// waits a fixed time; they wait on page state, Playwright events, or the fake's counters.

let servers: DemoServers
/** Whoami requests per page (tab or popup) since the last {@link resetCounts}, seen by Playwright. */
let whoamiByPage: Map<Page, number>

beforeAll(async () => {
  servers = await startCorePage()
})

afterAll(async () => {
  await servers?.close()
})

beforeEach(() => {
  servers.kratos.clearFaults()
  servers.kratos.clock.set(Date.now())
  servers.kratos.resetStats()
})

/**
 * Chromium and a fresh context per test (after the fake's reset above), no page: the tests open
 * their tabs. Uncaught exceptions in any page of the test, popups included, go to `pageErrors`;
 * each test ends with none.
 */
const chromium = setupChromium({
  openPage: false,
  setup: (context) => {
    whoamiByPage = new Map()
    context.on('request', (request) => {
      if (!isWhoami(request)) return
      const page = request.frame().page()
      whoamiByPage.set(page, (whoamiByPage.get(page) ?? 0) + 1)
    })
  },
})

const kratos = () => servers.kratos
const kratosOrigin = () => new URL(kratos().url).origin
const isWhoami = (request: Request) => request.url() === `${kratosOrigin()}/sessions/whoami`

/** Whoami requests the fake answered since its stats were last reset. */
const whoamiCount = () => kratos().stats().requests['GET /sessions/whoami'] ?? 0
/** Whoami requests `page` made since the last {@link resetCounts}. */
const whoamiOf = (page: Page) => whoamiByPage.get(page) ?? 0

function resetCounts() {
  kratos().resetStats()
  whoamiByPage.clear()
}

/** The test page's URL with `query` (the keeper's options), e.g. `pollInterval=1s`. */
const pageUrl = (query: string) => new URL(`?${query}`, servers.appUrl).href

/** Signs the browser context in without a login flow (browser.ts). */
const signInContext = (email?: string) => signIn(chromium.context, kratos(), email)

/** Opens `n` tabs of the test page at once, each past its first state (no longer `loading`). */
async function openTabs(n: number, query: string): Promise<Page[]> {
  const tabs = await Promise.all(
    Array.from({ length: n }, async () => {
      const page = await chromium.context.newPage()
      await page.goto(pageUrl(query))
      return page
    }),
  )
  await Promise.all(tabs.map((tab) => shows(tab, 'status', /^(?!loading$)./)))
  return tabs
}

/** Waits until `tab` shows `text` in the element with `data-testid="<testId>"`. */
const shows = (tab: Page, testId: string, text: string | RegExp) =>
  expect
    .poll(() => tab.getByTestId(testId).textContent(), { timeout: 10_000 })
    .toMatch(typeof text === 'string' ? new RegExp(`^${text}$`) : text)

const everyTabShows = (tabs: Page[], testId: string, text: string) =>
  Promise.all(tabs.map((tab) => shows(tab, testId, text)))

/** The tabs whose page says `isLeader` is true (the `is-leader` element). */
async function leadersOf(tabs: Page[]): Promise<Page[]> {
  const flags = await Promise.all(tabs.map((tab) => tab.getByTestId('is-leader').textContent()))
  return tabs.filter((_, i) => flags[i] === 'true')
}

/** Waits until exactly one of `tabs` reports being the leader, and returns it. */
async function oneLeader(tabs: Page[]): Promise<Page> {
  await expect.poll(async () => (await leadersOf(tabs)).length, { timeout: 10_000 }).toBe(1)
  const [leader] = await leadersOf(tabs)
  if (!leader) throw new Error('the leader went away again')
  return leader
}

const lastCheckedAt = (tab: Page) => tab.evaluate(() => window.keeper.getState().lastCheckedAt)

/**
 * Waits until the keeper in `tab` has applied `k` more answers (its `lastCheckedAt` took `k` new
 * values). Polled every 50 ms against a poll period of a second or more, so none is missed.
 */
async function answersApplied(tab: Page, k: number) {
  const seen = new Set([await lastCheckedAt(tab)])
  await expect
    .poll(
      async () => {
        seen.add(await lastCheckedAt(tab))
        return seen.size - 1
      },
      { timeout: 5_000 + k * 3_000, interval: 50 },
    )
    .toBeGreaterThanOrEqual(k)
}

/** Crashes the renderer of `page` as a real crash would (CDP `Page.crash`); resolves on Playwright's `crash` event. */
async function crash(page: Page) {
  const cdp = await chromium.context.newCDPSession(page)
  const crashed = page.waitForEvent('crash')
  // The command never gets an answer: the process that would send it is gone.
  cdp.send('Page.crash').catch(() => {})
  await crashed
}

/** Every navigation request of `page`'s main frame from now on. */
function recordNavigations(page: Page): string[] {
  const urls: string[] = []
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) urls.push(request.url())
  })
  return urls
}

/** Poll periods counted per tab count: each is one second, so the window is a few seconds. */
const PERIODS = 3

describe('tab sync in Chromium: tabs of one profile share one keeper channel', () => {
  it.each([1, 5, 20])(
    '%i tab(s): exactly one leader, and one whoami per poll period whatever the number of tabs',
    async (n) => {
      await signInContext()
      const tabs = await openTabs(n, 'pollInterval=1s')
      await everyTabShows(tabs, 'status', 'authenticated')
      const leader = await oneLeader(tabs)

      // Start counting right after a poll answered, so the window holds whole poll periods.
      await answersApplied(leader, 1)
      resetCounts()
      await answersApplied(leader, PERIODS)
      const count = whoamiCount()

      // One request per period (one more may be on its way at the boundary), not n per period.
      expect(count).toBeGreaterThanOrEqual(PERIODS)
      expect(count).toBeLessThanOrEqual(PERIODS + 1)
      // All of them from the leader; it is still the only one.
      expect(whoamiOf(leader)).toBe(count)
      expect(tabs.filter((tab) => tab !== leader).map(whoamiOf)).toEqual(tabs.slice(1).map(() => 0))
      expect(await leadersOf(tabs)).toEqual([leader])
      // Every follower applied the leader's answers: all tabs agree on when the server was last asked.
      await expect
        .poll(async () => new Set(await Promise.all(tabs.map(lastCheckedAt))).size, { timeout: 5_000 })
        .toBe(1)
    },
    60_000,
  )

  it('sign-out in one tab reaches every tab through the channel, without a whoami from any of them', async () => {
    await signInContext()
    // A one-minute poll: within the test only a message between tabs can tell a tab about the sign-out.
    const tabs = await openTabs(5, 'pollInterval=1m')
    await everyTabShows(tabs, 'status', 'authenticated')
    const leader = await oneLeader(tabs)
    const follower = tabs.find((tab) => tab !== leader) as Page

    resetCounts()
    await follower.evaluate(() => window.keeper.logout())
    await everyTabShows(tabs, 'status', 'unauthenticated')

    expect(kratos().stats().requests['GET /self-service/logout/browser']).toBe(1)
    expect(whoamiCount()).toBe(0)
    for (const tab of tabs) {
      expect(await tab.getByTestId('error').textContent()).toBe('')
      expect(await tab.evaluate(() => window.keeperEvents)).toContain('signed-out')
    }
  })

  it.each([
    ['tab closed', (leader: Page) => leader.close()],
    ['crashed', crash],
  ])('the leader %s: another tab becomes the only leader and polls', async (_, end) => {
    await signInContext()
    const tabs = await openTabs(3, 'pollInterval=1s')
    await everyTabShows(tabs, 'status', 'authenticated')
    const leader = await oneLeader(tabs)

    await end(leader)
    const rest = tabs.filter((tab) => tab !== leader)
    const next = await oneLeader(rest)

    resetCounts()
    await answersApplied(next, 2)
    expect(whoamiOf(next)).toBeGreaterThanOrEqual(2)
    expect(whoamiCount()).toBe(whoamiOf(next))
    expect(await leadersOf(rest)).toEqual([next])
    await everyTabShows(rest, 'status', 'authenticated')
  })

  it("the leader's failed checks reach every tab: each shows stale with the typed error, and only the leader asks", async () => {
    await signInContext()
    const tabs = await openTabs(3, 'pollInterval=1s')
    await everyTabShows(tabs, 'status', 'authenticated')
    const leader = await oneLeader(tabs)
    await answersApplied(leader, 1)
    resetCounts()

    kratos().addFault({ route: 'GET /sessions/whoami', status: 503 })
    await everyTabShows(tabs, 'stale', 'true')
    await everyTabShows(tabs, 'error', 'ServerError')
    await everyTabShows(tabs, 'status', 'authenticated')
    // Over the backoff's second try, still from the leader alone.
    await expect.poll(whoamiCount, { timeout: 10_000 }).toBeGreaterThanOrEqual(2)
    kratos().clearFaults()
    await everyTabShows(tabs, 'stale', 'false')
    await everyTabShows(tabs, 'error', '')
    expect(whoamiOf(leader)).toBe(whoamiCount())
    expect(tabs.filter((tab) => tab !== leader).map(whoamiOf)).toEqual([0, 0])
  }, 60_000)

  it('tabs restored at once against a slow server: one whoami, the leader says it is asking and the others wait', async () => {
    await signInContext()
    kratos().addFault({ route: 'GET /sessions/whoami', delayMs: 1_500 })
    resetCounts()
    const tabs = await openTabs(5, 'pollInterval=30s')

    await everyTabShows(tabs, 'status', 'authenticated')
    // Slower than the second a follower waits for an answer: each one used to ask as well.
    expect(tabs.map(whoamiOf).reduce((a, b) => a + b)).toBe(1)
    expect(whoamiOf(await oneLeader(tabs))).toBe(1)
  }, 60_000)

  it('a new tab opened while others are signed in shows authenticated without a whoami', async () => {
    await signInContext()
    // A one-minute poll: the leader's answer from start-up is recent, and it asks nothing more.
    const tabs = await openTabs(3, 'pollInterval=1m')
    await everyTabShows(tabs, 'status', 'authenticated')
    const leader = await oneLeader(tabs)
    const leaderCheckedAt = await lastCheckedAt(leader)

    resetCounts()
    const [newTab] = await openTabs(1, 'pollInterval=1m')
    if (!newTab) throw new Error('no tab opened')
    await shows(newTab, 'status', 'authenticated')
    await shows(newTab, 'is-leader', 'false')
    // It shows the leader's answer: the same server check, not one of its own.
    expect(await lastCheckedAt(newTab)).toBe(leaderCheckedAt)
    // A tab that hears nothing within 1 s of starting asks the server itself: wait until the new
    // tab's own clock is half a second past that deadline, so such a request would have been counted.
    const deadline = (await newTab.evaluate(() => window.keeperStartedAt)) + 1_500
    await expect
      .poll(() => newTab.evaluate(() => performance.now()), { timeout: 10_000 })
      .toBeGreaterThan(deadline)

    expect(whoamiOf(newTab)).toBe(0)
    expect(whoamiCount()).toBe(0)
  })

  it('a page loaded after signing in elsewhere confirms the others’ "signed out" with the server, and tells them', async () => {
    // Signed-out tabs, polling once a minute: their answer is recent when the sign-in happens.
    const tabs = await openTabs(2, 'pollInterval=1m')
    await everyTabShows(tabs, 'status', 'unauthenticated')
    await oneLeader(tabs)

    // The sign-in (Kratos's own page, say) sets the cookie; then a page of the app loads.
    await signInContext()
    resetCounts()
    const [back] = await openTabs(1, 'pollInterval=1m')
    if (!back) throw new Error('no tab opened')

    await everyTabShows([back, ...tabs], 'status', 'authenticated')
    expect(whoamiOf(back)).toBe(1)
    expect(whoamiCount()).toBe(1)
  })

  it('popup re-authentication: the popup signs in and closes itself; the tab becomes fresh and keeps its typed text', async () => {
    await signInContext()
    const [tab] = await openTabs(1, 'pollInterval=1m')
    if (!tab) throw new Error('no tab opened')
    await shows(tab, 'status', 'authenticated')
    const url = tab.url()

    // The login is now 10 minutes old on the server's clock; the page learns the new time.
    kratos().clock.advance(600_000)
    await tab.evaluate(() => window.keeper.check({ force: true }))
    expect(await tab.evaluate(() => window.keeper.isFresh({ maxAge: '5m' }))).toBe(false)

    const draft = 'half-written reply, not saved anywhere'
    await tab.getByTestId('draft').pressSequentially(draft)
    const navigations = recordNavigations(tab)

    const popupOpened = chromium.context.waitForEvent('page')
    await tab.evaluate(() => window.startReauthenticate({ maxAge: '5m', mode: 'popup' }))
    const popup = await popupOpened
    expect(await popup.evaluate(() => window.name)).toBe('session-keeper:reauth')
    const closed = popup.waitForEvent('close')

    // Kratos's refresh login: it knows who is signing in and asks only for the password.
    await popup.waitForURL((u) => u.origin === kratosOrigin() && u.pathname === '/ui/login')
    expect(new URL(popup.url()).searchParams.get('flow')).toBeTruthy()
    expect(await popup.locator('input[name="identifier"]').getAttribute('type')).toBe('hidden')
    await popup.locator('input[name="password"]').fill('password')
    await popup.getByRole('button', { name: 'Sign in' }).click()
    // Back on the app inside the popup: its keeper checks, tells the tabs, and closes the window.
    await closed

    await shows(tab, 'reauth', 'resolved')
    expect(await tab.evaluate(() => window.keeper.isFresh({ maxAge: '5m' }))).toBe(true)
    expect(await tab.getByTestId('rejection').textContent()).toBe('')
    expect(await tab.getByTestId('draft').inputValue()).toBe(draft)
    expect(tab.url()).toBe(url)
    expect(navigations).toEqual([])
  })
})
