// Session extension on activity (issue 7) in real Chromium (Debian's, through playwright-core):
// the example app as shipped (a production build with its `/api/session/extend` route, through
// `startApp`) against fake-kratos, both with `earliest_possible_extend: 10m`, the keeper's
// `autoExtend` with the default `minInterval` (5m) and the app's 3 s poll. Tabs of one browser
// context share BroadcastChannel, Web Locks and the session cookie.
//
// 1. Activity storms: every tab gets mouse moves, round by round, for a fixed number of rounds,
//    with the session outside the window (expected: nothing), then, in the same tabs after the
//    fake's clock moved, inside it (expected: one extension whatever the tab count).
// 2. Latency: from just before Node moves the mouse in a follower tab to the instant each tab's
//    `subscribe` sees the new `expires_at`. A fresh browser context and session per trial: the
//    keepers' minInterval runs on the page's clock, so new tabs are the way to start afresh.
//
// The fake's clock moves by `clock.set`/`clock.advance` only, before tabs open (they learn its
// time from the `Date` header of their first whoami) or followed by a forced check in every
// tab, as the e2e tests do. Times are wall-clock instants
// (`performance.timeOrigin + performance.now()` in the pages, the same in Node). Bounded: every
// loop has a fixed count and every wait a timeout. BENCH_TRIALS (default 50) / 5, at least 3,
// sets the latency trials.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium, signInContext } from '../e2e/browser.js'
import { type DemoServers, startApp } from '../e2e/servers.js'
import { count, ms, percentile, until, WAIT, wallClock } from './benchKit.js'
import type { BenchResult } from './run.js'

declare global {
  interface Window {
    /** Set by the latency trial: when this tab's keeper first saw `expires_at` move later. */
    extendSeenAt?: number
  }
}

const TRIALS = Math.max(3, Math.round(count('BENCH_TRIALS', 50) / 5))
const MINUTE = 60_000
const WINDOW = '10m'
const WINDOW_MS = 10 * MINUTE
/** Left before expiry: inside the 10-minute window, and outside it. */
const INSIDE = 9 * MINUTE
const OUTSIDE = 20 * MINUTE
/** Storm rounds: each round moves the mouse once in every tab. */
const ROUNDS = 5
const TAB_COUNTS = [1, 5, 20]
const LATENCY_TABS = 5
const EXTEND_PATH = '/api/session/extend'

let browser: Browser
let app: DemoServers
let context: BrowserContext | undefined
const pageErrors: string[] = []
/** POSTs to the app's extend route per page since the last reset, seen by Playwright. */
const extendPosts = new Map<Page, number>()
/** Extend POSTs sent and not yet finished or failed. */
let extendsInFlight = 0

const isExtendPost = (url: string, method: string) =>
  method === 'POST' && new URL(url).pathname === EXTEND_PATH

/** Admin extensions the fake has received since its last `resetStats`. */
const adminExtends = () =>
  Object.entries(app.kratos.stats().requests)
    .filter(([key]) => /^PATCH \/admin\/sessions\/[^/]+\/extend$/.test(key))
    .reduce((total, [, n]) => total + n, 0)

function assertNoPageErrors() {
  if (pageErrors.length) throw new Error(`errors in the pages: ${pageErrors.join('; ')}`)
}

function resetCounts() {
  app.kratos.resetStats()
  extendPosts.clear()
}

async function newContext() {
  await context?.close()
  extendsInFlight = 0
  context = await browser.newContext({ viewport: { width: 1000, height: 700 } })
  context.setDefaultTimeout(WAIT)
  context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error}`)))
  context.on('request', (request) => {
    if (!isExtendPost(request.url(), request.method())) return
    const page = request.frame().page()
    extendPosts.set(page, (extendPosts.get(page) ?? 0) + 1)
    extendsInFlight++
  })
  // Counted done at the response: the keeper reads the small body right after.
  context.on('response', (response) => {
    const request = response.request()
    if (!isExtendPost(request.url(), request.method())) return
    if (!response.ok()) pageErrors.push(`${EXTEND_PATH} answered ${response.status()}`)
    extendsInFlight--
  })
  context.on('requestfailed', (request) => {
    if (!isExtendPost(request.url(), request.method())) return
    pageErrors.push(`${EXTEND_PATH} failed: ${request.failure()?.errorText}`)
    extendsInFlight--
  })
  return context
}

/**
 * A new session of the fake, set as the browser's cookie as a login would, then the fake's clock
 * moved so that `left` ms of it remain. The tabs opened next learn that time from whoami.
 */
async function signIn(ctx: BrowserContext, left: number) {
  app.kratos.clock.set(Date.now())
  const { session } = await signInContext(ctx, app.kratos)
  const expiresAt = Date.parse(String(session.expires_at))
  if (!Number.isFinite(expiresAt)) throw new Error('the fake session has no expires_at')
  app.kratos.clock.advance(expiresAt - app.kratos.clock.now() - left)
}

const expiresAtIn = (tab: Page) =>
  tab.evaluate(() => window.sessionKeeper?.getState().session?.expires_at?.getTime())

/**
 * Opens `n` tabs of the app one after the other, each once its keeper shows the session (at
 * once is no faster on two cores, and leaves the tabs slower to take input).
 */
async function openTabs(ctx: BrowserContext, n: number) {
  const tabs: Page[] = []
  for (let i = 0; i < n; i++) {
    const page = await ctx.newPage()
    await page.goto(app.appUrl)
    await page.waitForFunction(() => window.sessionKeeper?.getState().status === 'authenticated')
    tabs.push(page)
  }
  return tabs
}

/** The one tab that says it leads, once exactly one does. */
function theLeader(tabs: Page[]) {
  return until('exactly one leader', async () => {
    const flags = await Promise.all(
      tabs.map((tab) => tab.evaluate(() => window.sessionKeeper?.getState().isLeader)),
    )
    const leaders = tabs.filter((_, i) => flags[i])
    return leaders.length === 1 ? leaders[0] : undefined
  })
}

/** Every tab holds the same `expires_at` (the leader's answer reached them all); returns it. */
function agreedExpiry(tabs: Page[], after = Number.NEGATIVE_INFINITY) {
  return until('every tab to hold the same expires_at', async () => {
    const all = await Promise.all(tabs.map(expiresAtIn))
    const first = all[0]
    return first !== undefined && first > after && all.every((at) => at === first) ? first : undefined
  })
}

/**
 * Quiet after a storm: every tab has run its queued tasks, no extend request is in flight, and
 * the leader has applied one more of its own polls (at most one 3 s period), so a late `active`
 * message or extension would have been seen.
 */
async function settle(tabs: Page[], leader: Page) {
  await Promise.all(tabs.map((tab) => tab.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)))))
  const lastChecked = () => leader.evaluate(() => window.sessionKeeper?.getState().lastCheckedAt)
  const before = await lastChecked()
  await until('a leader poll after the storm', async () =>
    (await lastChecked()) !== before ? true : undefined,
  )
  await until('extend requests to finish', async () => (extendsInFlight === 0 ? true : undefined))
}

/**
 * `ROUNDS` rounds of one mouse move in every tab, each to a new point; returns the time taken.
 * The tabs of a round move at once: with 20 tabs, Chromium acknowledges a move in a background
 * tab only after about a second (a throttled frame), so one tab after the other would take minutes.
 */
async function storm(tabs: Page[]) {
  const start = wallClock()
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(
      tabs.map((tab, i) =>
        tab.mouse.move(50 + ((round * 37 + i * 11) % 800), 50 + ((round * 53 + i * 7) % 500)),
      ),
    )
  }
  return wallClock() - start
}

/** One storm in `tabs`, counted until {@link settle}; a table row. */
async function measureStorm(tabs: Page[], leader: Page, left: number) {
  const before = await agreedExpiry(tabs)
  resetCounts()
  const took = await storm(tabs)
  await settle(tabs, leader)
  assertNoPageErrors()
  const posts = [...extendPosts.values()].reduce((total, k) => total + k, 0)
  const posting = tabs.filter((tab) => (extendPosts.get(tab) ?? 0) > 0)
  const admin = adminExtends()
  let moved = 'no'
  if (left < WINDOW_MS) {
    const after = await agreedExpiry(tabs, before)
    moved = `yes, by ${((after - before) / 3_600_000).toFixed(2)} h`
  } else if ((await agreedExpiry(tabs)) !== before) throw new Error('expires_at moved outside the window')
  const from = posting.map((tab) => (tab === leader ? 'leader' : 'a follower')).join(', ') || '-'
  return [
    `${left < WINDOW_MS ? 'inside' : 'outside'} (${left / MINUTE} min left)`,
    tabs.length,
    tabs.length * ROUNDS,
    ms(took),
    posts,
    from,
    admin,
    moved,
  ]
}

/**
 * Per tab count, one browser context: a storm with the session outside the window, then the
 * fake's clock moved (every keeper told by a forced check) so it is inside, and another storm.
 */
async function storms(): Promise<BenchResult> {
  const inside: (string | number)[][] = []
  const outside: (string | number)[][] = []
  for (const n of TAB_COUNTS) {
    const ctx = await newContext()
    await signIn(ctx, OUTSIDE)
    const tabs = await openTabs(ctx, n)
    const leader = await theLeader(tabs)
    outside.push(await measureStorm(tabs, leader, OUTSIDE))
    app.kratos.clock.advance(OUTSIDE - INSIDE)
    await Promise.all(
      tabs.map((tab) =>
        tab.evaluate(async () => {
          await window.sessionKeeper?.check({ force: true })
        }),
      ),
    )
    inside.push(await measureStorm(tabs, leader, INSIDE))
  }
  const rows = [...inside, ...outside]
  return {
    title: 'Extension: requests caused by an activity storm (example app, Chromium, fake-kratos)',
    columns: [
      'session vs 10m window',
      'tabs',
      'mouse moves',
      'storm ms',
      `POST ${EXTEND_PATH}`,
      'sent by',
      'admin extends (fake)',
      'expires_at moved in every tab',
    ],
    rows,
    note: `${ROUNDS} rounds; in each, \`page.mouse.move\` to a new point in every tab at once; counted from just before the storm until the leader applied its next 3 s poll after it. Per tab count one browser context: the storm outside the window first, then the fake's clock moved 11 minutes on (each keeper told by \`check({ force: true })\`) and the storm inside it. POSTs from Playwright's request events (per tab), admin \`PATCH /admin/sessions/<id>/extend\` from fake-kratos. autoExtend minInterval 5m.`,
  }
}

async function latency(): Promise<BenchResult> {
  const byRole = {
    leader: [] as number[],
    'other followers': [] as number[],
    'the acting follower': [] as number[],
  }
  let posts = 0
  let admin = 0
  for (let trial = 0; trial < TRIALS; trial++) {
    const ctx = await newContext()
    await signIn(ctx, INSIDE)
    const tabs = await openTabs(ctx, LATENCY_TABS)
    const leader = await theLeader(tabs)
    const before = await agreedExpiry(tabs)
    await Promise.all(
      tabs.map((tab) =>
        tab.evaluate((before) => {
          const keeper = window.sessionKeeper
          if (!keeper) throw new Error('no keeper on window.sessionKeeper')
          window.extendSeenAt = undefined
          const off = keeper.subscribe((state) => {
            if ((state.session?.expires_at?.getTime() ?? 0) <= before) return
            window.extendSeenAt = performance.timeOrigin + performance.now()
            off()
          })
        }, before),
      ),
    )
    resetCounts()
    const actor = tabs.find((tab) => tab !== leader) as Page
    const moved = wallClock()
    await actor.mouse.move(120 + trial, 80)
    for (const tab of tabs) {
      const seen = await until('a tab to see the new expires_at', () =>
        tab.evaluate(() => window.extendSeenAt),
      )
      const role = tab === leader ? 'leader' : tab === actor ? 'the acting follower' : 'other followers'
      byRole[role].push(seen - moved)
    }
    await until('extend requests to finish', async () => (extendsInFlight === 0 ? true : undefined))
    assertNoPageErrors()
    posts += [...extendPosts.values()].reduce((total, k) => total + k, 0)
    admin += adminExtends()
  }
  await context?.close()
  context = undefined
  return {
    title: `Extension: activity in a follower tab to the new expires_at in each tab (${LATENCY_TABS} tabs)`,
    columns: ['tab', 'trials', 'samples', 'p50 ms', 'p95 ms', 'max ms'],
    rows: Object.entries(byRole).map(([role, values]) => [
      role,
      TRIALS,
      values.length,
      ms(percentile(values, 50)),
      ms(percentile(values, 95)),
      ms(Math.max(...values)),
    ]),
    note: `A fresh browser context, fake session (${INSIDE / MINUTE} min left) and ${LATENCY_TABS} tabs per trial; from just before Node's \`page.mouse.move\` in a follower to the instant each tab's \`subscribe\` saw \`expires_at\` move (follower → \`active\` message → leader POSTs ${EXTEND_PATH} → admin extend → whoami → channel). ${posts} POSTs and ${admin} admin extends in ${TRIALS} trials.`,
  }
}

export async function run(): Promise<BenchResult[]> {
  ;[browser, app] = await Promise.all([launchChromium(), startApp({ earliestPossibleExtend: WINDOW })])
  try {
    const results = [await storms(), await latency()]
    assertNoPageErrors()
    return results
  } finally {
    await context?.close()
    await Promise.all([browser.close(), app.close()])
  }
}
