// Tab sync in real Chromium (Debian's, through playwright-core) against fake-kratos, measured
// for DESIGN.md §7: whoami requests per poll period with 1, 5 and 20 tabs; requests made by a
// newly opened tab; sign-out (and sign-in) propagation between tabs; time to a new leader after
// the leader tab closes or crashes. Tabs of one browser context share BroadcastChannel and Web
// Locks. The core test page (test/e2e/core-page/) is served as a production build.
//
// Times are wall-clock instants taken where things happen (`performance.timeOrigin +
// performance.now()` in the pages, the same in Node), so a difference is measured across
// processes of one machine. Bounded: every loop has a fixed count and every wait a timeout.
// BENCH_TRIALS (default 50) sets the propagation trials; a fifth of it (at least 3) the leader
// and new-tab trials; BENCH_PERIODS (default 10) the poll periods counted per tab count.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium, signInContext as signIn } from '../e2e/browser.js'
import { type DemoServers, startCorePage } from '../e2e/servers.js'
import { count, ms, percentile, until, WAIT, wallClock } from './benchKit.js'
import type { BenchResult } from './run.js'

const TRIALS = count('BENCH_TRIALS', 50)
const FEW_TRIALS = Math.max(3, Math.round(TRIALS / 5))
const PERIODS = count('BENCH_PERIODS', 10)
const POLL = '1s'

let browser: Browser
let servers: DemoServers
let context: BrowserContext
const pageErrors: string[] = []
/** Whoami requests per page since the last reset, seen by Playwright. */
const whoamiByPage = new Map<Page, number>()

const whoamiCount = () => servers.kratos.stats().requests['GET /sessions/whoami'] ?? 0
const whoamiOf = (page: Page) => whoamiByPage.get(page) ?? 0
function resetCounts() {
  servers.kratos.resetStats()
  whoamiByPage.clear()
}

async function newContext() {
  await context?.close()
  servers.kratos.clock.set(Date.now())
  context = await browser.newContext()
  context.setDefaultTimeout(WAIT)
  context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(String(error))))
  const whoami = `${new URL(servers.kratos.url).origin}/sessions/whoami`
  context.on('request', (request) => {
    if (request.url() !== whoami) return
    const page = request.frame().page()
    whoamiByPage.set(page, whoamiOf(page) + 1)
  })
}

/** A new session of the fake, set as the browser's cookie as a login would. */
const signInContext = () => signIn(context, servers.kratos)

/** Opens a tab of the test page and waits until its keeper knows the state (not `loading`). */
async function openTab(query: string) {
  const page = await context.newPage()
  await page.goto(new URL(`?${query}`, servers.appUrl).href)
  await page.waitForFunction(() => window.keeper?.getState().status !== 'loading')
  return page
}

async function openTabs(n: number, query: string) {
  const tabs: Page[] = []
  for (let i = 0; i < n; i++) tabs.push(await openTab(query))
  return tabs
}

const lastCheckedAt = (tab: Page) => tab.evaluate(() => window.keeper.getState().lastCheckedAt)

/** The one tab that says it leads, once exactly one does. */
function theLeader(tabs: Page[]) {
  return until('exactly one leader', async () => {
    const flags = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.keeper.getState().isLeader)))
    const leaders = tabs.filter((_, i) => flags[i])
    return leaders.length === 1 ? leaders[0] : undefined
  })
}

/** Waits until `tab` has applied `k` more server answers (its `lastCheckedAt` took `k` new values). */
async function answersApplied(tab: Page, k: number) {
  const seen = [await lastCheckedAt(tab)]
  await until(`${k} answers`, async () => {
    const at = await lastCheckedAt(tab)
    if (at !== seen.at(-1)) seen.push(at)
    return seen.length > k ? true : undefined
  })
  return seen as number[]
}

/** When `tab` first saw `status` (or leadership) after its `mark`-th recorded change. */
function changedAt(tab: Page, mark: number, what: { status?: string; isLeader?: boolean }) {
  return until(`${JSON.stringify(what)} in a tab`, () =>
    tab.evaluate(
      ({ mark, what }) =>
        window.stateChanges
          .slice(mark)
          .find(
            (c) =>
              (what.status === undefined || c.status === what.status) &&
              (what.isLeader === undefined || c.isLeader === what.isLeader),
          )?.at,
      { mark, what },
    ),
  )
}

const marks = (tabs: Page[]) => Promise.all(tabs.map((tab) => tab.evaluate(() => window.stateChanges.length)))

async function requestsPerPeriod(): Promise<BenchResult> {
  const rows: (string | number)[][] = []
  for (const n of [1, 5, 20]) {
    await newContext()
    await signInContext()
    const tabs = await openTabs(n, `pollInterval=${POLL}`)
    const leader = await theLeader(tabs)
    await answersApplied(leader, 1)
    resetCounts()
    const seen = await answersApplied(leader, PERIODS)
    const requests = whoamiCount()
    const asking = tabs.filter((tab) => whoamiOf(tab) > 0).length
    const period = ((seen.at(-1) ?? 0) - (seen[0] ?? 0)) / PERIODS
    rows.push([n, POLL, PERIODS, requests, (requests / PERIODS).toFixed(2), asking, ms(period)])
  }
  return {
    title: 'Tabs: whoami requests per poll period (Chromium, fake-kratos)',
    columns: [
      'tabs',
      'pollInterval',
      'periods',
      'whoami requests',
      'per period',
      'tabs that asked',
      'mean period ms',
    ],
    rows,
    note: `Counted by fake-kratos from right after one leader poll until the leader applied ${PERIODS} more answers; "tabs that asked" from Playwright's request events.`,
  }
}

async function newTabRequests(): Promise<BenchResult> {
  await newContext()
  await signInContext()
  const tabs = await openTabs(3, `pollInterval=${POLL}`)
  const leader = await theLeader(tabs)
  let own = 0
  let others = 0
  let leaderPolls = 0
  const shownAfter: number[] = []
  for (let trial = 0; trial < FEW_TRIALS; trial++) {
    resetCounts()
    const tab = await openTab(`pollInterval=${POLL}`)
    // Past the 1 s deadline after which a tab nobody answered asks the server itself.
    await tab.waitForFunction(() => performance.now() > window.keeperStartedAt + 1_500, undefined, {
      polling: 50,
    })
    const { status, shown } = await tab.evaluate(() => ({
      status: window.keeper.getState().status,
      shown:
        (window.stateChanges.find((c) => c.status === 'authenticated')?.at ?? Number.NaN) -
        performance.timeOrigin -
        window.keeperStartedAt,
    }))
    if (status !== 'authenticated') throw new Error(`the new tab shows ${status}`)
    own += whoamiOf(tab)
    leaderPolls += whoamiOf(leader)
    others += whoamiCount() - whoamiOf(tab) - whoamiOf(leader)
    shownAfter.push(shown)
    await tab.close()
  }
  return {
    title: 'Tabs: requests made by a newly opened tab (2 tabs already open and signed in)',
    columns: [
      'trials',
      'pollInterval',
      'whoami by the new tab',
      "leader's polls meanwhile",
      'whoami by other tabs',
      'authenticated after start p50 ms',
      'p95 ms',
    ],
    rows: [
      [
        FEW_TRIALS,
        POLL,
        own,
        leaderPolls,
        others,
        ms(percentile(shownAfter, 50)),
        ms(percentile(shownAfter, 95)),
      ],
    ],
    note: 'Each new tab stays open until 1.5 s after its keeper started (past the 1 s fallback), then closes. "Authenticated after start": from `keeper.start()` to its state showing the session, answered by the leader over the channel.',
  }
}

async function restoredAtOnce(): Promise<BenchResult> {
  const rows: (string | number)[][] = []
  for (const n of [5, 20]) {
    for (const delayMs of [0, 1_500]) {
      await newContext()
      await signInContext()
      servers.kratos.clearFaults()
      // A slow server: every whoami waits, longer than the second a tab gives the others.
      if (delayMs) servers.kratos.addFault({ route: 'GET /sessions/whoami', delayMs })
      resetCounts()
      const started = wallClock()
      // As a browser restoring a window: every tab loads at once.
      const tabs = await Promise.all(Array.from({ length: n }, () => openTab('pollInterval=30s')))
      await Promise.all(
        tabs.map((tab) => tab.waitForFunction(() => window.keeper.getState().status === 'authenticated')),
      )
      const known = wallClock() - started
      const asked = tabs.filter((tab) => whoamiOf(tab) > 0).length
      rows.push([
        n,
        delayMs ? `${delayMs} ms` : 'none',
        tabs.reduce((sum, tab) => sum + whoamiOf(tab), 0),
        asked,
        ms(known),
      ])
      servers.kratos.clearFaults()
    }
  }
  return {
    title: 'Tabs: whoami requests when a window of tabs is restored at once',
    columns: ['tabs', 'whoami delay', 'whoami requests', 'tabs that asked', 'all authenticated after ms'],
    rows,
    note: "Every tab of the test page is loaded at the same time in one context, signed in; requests counted per page by Playwright until every tab shows authenticated. With a 1.5 s delay the leader's first answer comes after the 1 s a follower waits for the others; before 2026-12-08 every tab then asked as well (5 tabs: 5 requests).",
  }
}

async function propagation(): Promise<BenchResult> {
  const rows: (string | number)[][] = []
  for (const n of [2, 5]) {
    await newContext()
    await signInContext()
    // A one-minute poll: nothing but the channel tells the other tabs within a trial.
    const tabs = await openTabs(n, 'pollInterval=1m')
    const leader = await theLeader(tabs)
    // The acting tab is a follower, so the message also reaches the leader.
    const actor = tabs.find((tab) => tab !== leader) as Page
    const others = tabs.filter((tab) => tab !== actor)
    const signOut: number[] = []
    const signIn: number[] = []
    for (let trial = 0; trial < TRIALS; trial++) {
      let before = await marks(others)
      const loggedOut = await actor.evaluate(async () => {
        await window.keeper.logout()
        return performance.timeOrigin + performance.now()
      })
      for (const [i, tab] of others.entries()) {
        signOut.push((await changedAt(tab, before[i] ?? 0, { status: 'unauthenticated' })) - loggedOut)
      }
      await signInContext()
      before = await marks(others)
      const checked = await actor.evaluate(async () => {
        await window.keeper.check({ force: true })
        return performance.timeOrigin + performance.now()
      })
      for (const [i, tab] of others.entries()) {
        signIn.push((await changedAt(tab, before[i] ?? 0, { status: 'authenticated' })) - checked)
      }
    }
    const row = (what: string, values: number[]) => [
      what,
      n,
      values.length,
      ms(percentile(values, 50)),
      ms(percentile(values, 95)),
      ms(Math.max(...values)),
    ]
    rows.push(row('sign-out (`logout()` resolved)', signOut), row('sign-in (`check()` resolved)', signIn))
  }
  return {
    title: 'Tabs: sign-out and sign-in reaching the other tabs',
    columns: ['event in tab A', 'tabs', 'samples', 'p50 ms', 'p95 ms', 'max ms'],
    rows,
    note: `${TRIALS} trials per row; a sample is one other tab: the time its subscribe saw the new status minus the time the call resolved in tab A (a follower). pollInterval 1m, so only the channel carries the news.`,
  }
}

async function newLeader(): Promise<BenchResult> {
  const rows: (string | number)[][] = []
  for (const how of ['closed', 'crashed'] as const) {
    await newContext()
    await signInContext()
    const tabs = await openTabs(3, `pollInterval=${POLL}`)
    const times: number[] = []
    for (let trial = 0; trial < FEW_TRIALS; trial++) {
      const leader = await theLeader(tabs)
      const rest = tabs.filter((tab) => tab !== leader)
      const before = await marks(rest)
      let gone: number
      if (how === 'closed') {
        gone = wallClock()
        await leader.close()
      } else {
        const cdp = await context.newCDPSession(leader)
        const crashed = leader.waitForEvent('crash')
        gone = wallClock()
        // No answer comes back: the renderer that would send it is gone.
        cdp.send('Page.crash').catch(() => {})
        await crashed
        await leader.close()
      }
      const next = await theLeader(rest)
      const at = await changedAt(next, before[rest.indexOf(next)] ?? 0, { isLeader: true })
      times.push(at - gone)
      tabs.splice(tabs.indexOf(leader), 1, await openTab(`pollInterval=${POLL}`))
    }
    rows.push([
      `leader tab ${how === 'closed' ? 'closed (`page.close()`)' : 'crashed (CDP `Page.crash`)'}`,
      times.length,
      ms(percentile(times, 50)),
      ms(Math.min(...times)),
      ms(Math.max(...times)),
    ])
  }
  return {
    title: 'Tabs: time to a new leader (3 tabs)',
    columns: ['what happened', 'trials', 'p50 ms', 'min ms', 'max ms'],
    rows,
    note: "From just before Node closes or crashes the leader tab to the time another tab's subscribe sees `isLeader` (Web Locks election).",
  }
}

export async function run(): Promise<BenchResult[]> {
  ;[browser, servers] = await Promise.all([launchChromium(), startCorePage({ built: true })])
  try {
    const results = [
      await requestsPerPeriod(),
      await newTabRequests(),
      await restoredAtOnce(),
      await propagation(),
      await newLeader(),
    ]
    if (pageErrors.length) throw new Error(`errors in the pages: ${pageErrors.join('; ')}`)
    return results
  } finally {
    await context?.close()
    await Promise.all([browser.close(), servers.close()])
  }
}
