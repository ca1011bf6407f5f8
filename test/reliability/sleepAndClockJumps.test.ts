import type { Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setupChromium, signInContext } from '../e2e/browser.js'
import { type DemoServers, startCorePage } from '../e2e/servers.js'
import { figure } from './figure.js'

// Issue 14 part 5, in real Chromium: a tab frozen through ten minutes (Chromium's page lifecycle
// `frozen`, then Playwright's clock jumping the page forward as a laptop lid would), and the
// wall clock jumping an hour forward and back under two tabs. Time in the pages is Playwright's
// clock (installed on the context, so every tab shares it); fake-kratos keeps its own. Whoami
// requests are counted in the page, where ky calls `fetch`, so a count read after the clock has
// run is exact: nothing is on its way.

const POLL = 60_000
const HOUR = 3_600_000

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

const chromium = setupChromium({
  openPage: false,
  async setup(context) {
    await context.clock.install()
    await context.addInitScript(() => {
      const win = window as unknown as { whoamiCalls: number }
      win.whoamiCalls = 0
      const original = window.fetch
      window.fetch = (input, init) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
        if (url.endsWith('/sessions/whoami')) win.whoamiCalls++
        return original(input, init)
      }
    })
  },
})

/** Wrong states seen after the first check that followed a sleep or a clock jump, over every scenario. */
let wrongAfterOneCheck = 0
/** The most whoami requests one tab made on one wake-up (or one jump), over every scenario. */
let mostOnWake = 0

const whoamiCalls = (tab: Page) =>
  tab.evaluate(() => (window as unknown as { whoamiCalls: number }).whoamiCalls)
const lastCheckedAt = (tab: Page) => tab.evaluate(() => window.keeper.getState().lastCheckedAt)
const stateOf = (tab: Page) =>
  tab.evaluate(() => {
    const { status, phase, stale, error, session } = window.keeper.getState()
    return { status, phase, stale, error: error?.name ?? null, sessionId: session?.id ?? null }
  })

const signIn = () => signInContext(chromium.context, servers.kratos)

/** Opens `n` tabs of the core page polling once a minute, each signed in, and returns them with the leader first. */
async function openTabs(n: number): Promise<Page[]> {
  const tabs: Page[] = []
  for (let i = 0; i < n; i++) {
    const tab = await chromium.context.newPage()
    await tab.goto(new URL(`?pollInterval=${POLL}`, servers.appUrl).href)
    await expect.poll(() => stateOf(tab).then((s) => s.status), { timeout: 10_000 }).toBe('authenticated')
    tabs.push(tab)
  }
  await expect
    .poll(
      async () =>
        (await Promise.all(tabs.map((t) => t.evaluate(() => window.keeper.getState().isLeader)))).filter(
          Boolean,
        ).length,
      {
        timeout: 10_000,
      },
    )
    .toBe(1)
  const flags = await Promise.all(tabs.map((t) => t.evaluate(() => window.keeper.getState().isLeader)))
  return [...tabs].sort((a, b) => Number(flags[tabs.indexOf(b)]) - Number(flags[tabs.indexOf(a)]))
}

/** Resolves once `tab` has applied an answer newer than `since`. */
const answeredAfter = (tab: Page, since: number | null) =>
  expect.poll(() => lastCheckedAt(tab), { timeout: 10_000 }).not.toBe(since)

function judge(state: Awaited<ReturnType<typeof stateOf>>, wanted: Partial<typeof state>) {
  const wrong = Object.entries(wanted).some(([key, value]) => state[key as keyof typeof state] !== value)
  if (wrong) wrongAfterOneCheck++
  return state
}

describe('a tab frozen through ten minutes', () => {
  it.each([
    [
      'the session still valid',
      false,
      { status: 'authenticated', phase: 'active', stale: false, error: null },
    ],
    ['the session revoked meanwhile', true, { status: 'unauthenticated', stale: false, error: null }],
  ] as const)('wakes with %s: one request, the right state after it', async (_, revoke, wanted) => {
    const { session } = await signIn()
    const [tab] = (await openTabs(1)) as [Page]
    const cdp = await chromium.context.newCDPSession(tab)
    const before = await lastCheckedAt(tab)
    const callsBefore = await whoamiCalls(tab)

    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' })
    servers.kratos.clock.advance(10 * POLL)
    if (revoke) servers.kratos.revokeSession(session.id)
    await cdp.send('Page.setWebLifecycleState', { state: 'active' })
    await tab.clock.fastForward(10 * POLL) // the ten minutes the tab slept: due timers fire once

    await answeredAfter(tab, before)
    const state = judge(await stateOf(tab), wanted)
    expect(state).toMatchObject(wanted)
    // Half a poll period later, still only the one request the wake-up made.
    await tab.clock.fastForward(POLL / 2)
    const onWake = (await whoamiCalls(tab)) - callsBefore
    mostOnWake = Math.max(mostOnWake, onWake)
    expect(onWake).toBe(1)
  })
})

describe('the wall clock jumps an hour under two tabs', () => {
  it.each([
    ['forward', HOUR],
    ['back', -HOUR],
  ])('%s: the next poll comes on time, and both tabs agree after it', async (_, jump) => {
    await signIn()
    const tabs = await openTabs(2)
    const [leader, follower] = tabs as [Page, Page]
    const expiresAt = await leader.evaluate(() => window.keeper.getState().session?.expires_at?.getTime())
    await leader.evaluate(() => window.keeper.check()) // settles any check in flight
    const callsBefore = await whoamiCalls(leader)
    const followerCalls = await whoamiCalls(follower)
    const before = await lastCheckedAt(leader)

    const now = await leader.evaluate(() => Date.now())
    await chromium.context.clock.setSystemTime(now + jump) // the wall clock only: no timer fires
    // A poll period later: jump (no run) so that no request is in flight while fake time passes.
    await chromium.context.clock.fastForward(POLL + 1_000)

    await answeredAfter(leader, before)
    const leaderAt = await lastCheckedAt(leader)
    await expect.poll(() => lastCheckedAt(follower), { timeout: 10_000 }).toBe(leaderAt)
    const wanted = { status: 'authenticated', phase: 'active', stale: false, error: null } as const
    for (const tab of tabs) expect(judge(await stateOf(tab), wanted)).toMatchObject(wanted)
    // The session is the same one, and its time left is what the server says, not off by the jump.
    for (const tab of tabs) {
      const left = await tab.evaluate(() => window.keeper.getState().session?.expires_at?.getTime())
      expect(left).toBe(expiresAt)
      const timeLeft = await tab.evaluate(() => window.keeper.timeLeft())
      expect(Math.abs((timeLeft ?? 0) - (24 * HOUR - POLL))).toBeLessThan(5 * POLL)
    }
    const onJump = (await whoamiCalls(leader)) - callsBefore
    mostOnWake = Math.max(mostOnWake, onJump)
    expect(onJump).toBe(1)
    // And it keeps polling: two more periods, two more answers in both tabs.
    for (let period = 0; period < 2; period++) {
      const last = await lastCheckedAt(leader)
      await chromium.context.clock.fastForward(POLL + 1_000)
      await answeredAfter(leader, last)
    }
    expect(await whoamiCalls(leader)).toBe(callsBefore + 3)
    await expect.poll(() => lastCheckedAt(follower), { timeout: 10_000 }).toBe(await lastCheckedAt(leader))
    expect(await whoamiCalls(follower)).toBe(followerCalls) // the follower never asked
  })

  it('figures: wrong state after one check, requests on wake', () => {
    figure('sleep and clock jumps: wrong state after the first check on wake', wrongAfterOneCheck, { max: 0 })
    figure('sleep and clock jumps: most whoami requests on one wake-up', mostOnWake, { max: 1 })
  })
})
