// session-keeper side by side with what a React team on Ory would pick instead (issue 17):
// Ory's own `SessionProvider` (`@ory/elements-react`, over `@ory/client-fetch`, against
// fake-kratos) and `next-auth/react` 4 (`SessionProvider` with `refetchInterval` = our poll
// period and its default `refetchOnWindowFocus`, against nextAuthEndpoint.ts). One build of three
// pages (peers/), one Chromium, the same steps for each, in one run, so ratios are comparable.
//
// Session requests are counted by the servers (fake-kratos's whoami, the stand-in's
// `GET /api/auth/session`). Where a figure is "how many happen", it is counted over a measured
// window of wall-clock time (`measureFor`): nothing is waited for there, the window is the
// measurement. Where a figure is "when it happens", the bench waits on the page's own record of
// the change (`window.bench.changes`), bounded. Focus is emulated as the e2e tests do it, the same
// for every page: `page.bringToFront()`, then `visibilitychange` on the document and `focus` on
// the window. BENCH_TRIALS (default 50) / 5, at least 1, sets the trials; BENCH_PERIODS
// (default 10) the poll periods counted.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium, signInContext } from '../e2e/browser.js'
import { count, ms, percentile, WAIT } from './benchKit.js'
import { type PeerServers, startPeerPages } from './peerServers.js'
import { PEER_IMPORTS, shippedBytes } from './peerSizes.js'
import type { BenchResult } from './run.js'

const TRIALS = Math.max(1, Math.round(count('BENCH_TRIALS', 50) / 5))
const PERIODS = count('BENCH_PERIODS', 10)
/** The poll period of the request and render figures, in seconds (our `pollInterval`, next-auth's `refetchInterval`). */
const POLL_S = 1
/** A poll period long enough that only focus, a new tab or a tab message can cause a request. */
const LONG_POLL_S = 60
/** How long a tab may take to show a sign-out made in another before it counts as "never". */
const NEVER_AFTER = 5_000
/** How long each tab keeps focus when a user goes through the tabs one after another. */
const DWELL = 250
/** How long a new tab is watched after it knows the session (past our 1 s "ask the server" fallback). */
const NEW_TAB_WATCH = 1_500

interface Peer {
  name: keyof typeof PEER_IMPORTS
  page: string
  /** Gives the browser context a fresh signed-in session, as a login would. */
  signIn(): Promise<void>
  /** Session requests the server saw since the last {@link resetRequests}. */
  requests(): number
  resetRequests(): void
}

let browser: Browser
let servers: PeerServers
let context: BrowserContext | undefined
const pageErrors: string[] = []

/** The measured window: counts are read when it ends. Not a wait for an event. */
const measureFor = (duration: number) => new Promise((resolve) => setTimeout(resolve, duration))
const median = (values: number[]) => percentile(values, 50)

function peers(): Peer[] {
  const { kratos, nextAuth, appOrigin } = servers
  const kratosCookie = async () => {
    if (context) await signInContext(context, kratos)
  }
  const whoami = () => kratos.stats().requests['GET /sessions/whoami'] ?? 0
  return [
    {
      name: 'session-keeper',
      page: 'keeper.html',
      signIn: kratosCookie,
      requests: whoami,
      resetRequests: kratos.resetStats,
    },
    {
      name: '@ory/elements-react',
      page: 'ory.html',
      signIn: kratosCookie,
      requests: whoami,
      resetRequests: kratos.resetStats,
    },
    {
      name: 'next-auth',
      page: 'nextauth.html',
      signIn: async () => {
        const value = nextAuth.createSession('user@example.com')
        await context?.addCookies([
          { name: 'next-auth.session-token', value, url: appOrigin, httpOnly: true, sameSite: 'Lax' },
        ])
      },
      requests: () => nextAuth.requests()['GET /api/auth/session'] ?? 0,
      resetRequests: nextAuth.resetRequests,
    },
  ]
}

async function signedInContext(peer: Peer) {
  await context?.close()
  context = await browser.newContext()
  context.setDefaultTimeout(WAIT)
  context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(`${peer.name}: ${error}`)))
  await peer.signIn()
  return context
}

/** Opens a tab of `peer`'s page and waits until it shows a known state (not `loading`). */
async function openTab(peer: Peer, pollS: number) {
  const page = await (context as BrowserContext).newPage()
  await page.goto(`${servers.appOrigin}/${peer.page}?poll=${pollS}`)
  await page.waitForFunction(() => window.bench?.changes.some((c) => c.status !== 'loading'))
  return page
}

/** Opens `n` tabs, five at a time (as a browser restoring a session does): the first alone, so it settles as the leader. */
async function openTabs(peer: Peer, n: number, pollS: number) {
  const tabs: Page[] = [await openTab(peer, pollS)]
  while (tabs.length < n) {
    const batch = Math.min(5, n - tabs.length)
    tabs.push(...(await Promise.all(Array.from({ length: batch }, () => openTab(peer, pollS)))))
  }
  return tabs
}

const renders = (tab: Page) => tab.evaluate(() => window.bench.renders)
const marks = (tabs: Page[]) =>
  Promise.all(tabs.map((tab) => tab.evaluate(() => window.bench.changes.length)))

/** Milliseconds from navigation start to the first known state. */
const knownAfterLoad = (tab: Page) =>
  tab.evaluate(
    () =>
      (window.bench.changes.find((c) => c.status !== 'loading')?.at ?? Number.NaN) - performance.timeOrigin,
  )

/** Focus as the e2e tests emulate it, the same for every page. */
async function focus(tab: Page) {
  await tab.bringToFront()
  await tab.evaluate(() => {
    document.dispatchEvent(new Event('visibilitychange'))
    window.dispatchEvent(new Event('focus'))
  })
}

interface Figures {
  perPeriod: Record<number, number>
  rendersPerPoll: number
  focus20: number
  newTab: number
  signOut: { p50: number; p95: number } | 'never'
  knownAfterLoad: number
  bytes: number
}

/** Session requests per poll period (median over {@link PERIODS} periods) with `n` tabs, and, with one tab, consumer renders per period. */
async function perPeriod(peer: Peer, n: number) {
  await signedInContext(peer)
  const tabs = await openTabs(peer, n, POLL_S)
  await measureFor(POLL_S * 1_000)
  const requests: number[] = []
  const rendered: number[] = []
  for (let period = 0; period < PERIODS; period++) {
    peer.resetRequests()
    const before = await renders(tabs[0] as Page)
    await measureFor(POLL_S * 1_000)
    requests.push(peer.requests())
    rendered.push((await renders(tabs[0] as Page)) - before)
  }
  return { requests: median(requests), renders: median(rendered) }
}

/** Ory has no poll: renders per `refetch()` that brings the same session, the nearest thing. */
async function rendersPerRefetch(peer: Peer) {
  await signedInContext(peer)
  const [tab] = await openTabs(peer, 1, POLL_S)
  const rendered: number[] = []
  for (let period = 0; period < PERIODS; period++) {
    const before = await renders(tab as Page)
    await (tab as Page).evaluate(() => window.bench.refetch?.())
    await measureFor(POLL_S * 1_000)
    rendered.push((await renders(tab as Page)) - before)
  }
  return median(rendered)
}

/** Requests while 20 tabs (long poll) take focus one after another, {@link DWELL} ms each; median over trials. */
async function focusTwenty(peer: Peer) {
  await signedInContext(peer)
  const tabs = await openTabs(peer, 20, LONG_POLL_S)
  await measureFor(1_000)
  const totals: number[] = []
  for (let trial = 0; trial < TRIALS; trial++) {
    peer.resetRequests()
    for (const tab of tabs) {
      await focus(tab)
      await measureFor(DWELL)
    }
    await measureFor(1_000)
    totals.push(peer.requests())
  }
  return median(totals)
}

/** Requests caused by opening a third tab next to two signed-in ones (long poll), and when it knew. */
async function newTab(peer: Peer) {
  await signedInContext(peer)
  await openTabs(peer, 2, LONG_POLL_S)
  await measureFor(1_000)
  const totals: number[] = []
  for (let trial = 0; trial < TRIALS; trial++) {
    peer.resetRequests()
    const tab = await openTab(peer, LONG_POLL_S)
    await measureFor(NEW_TAB_WATCH)
    totals.push(peer.requests())
    await tab.close()
  }
  return median(totals)
}

/** Time to a known state in a tab opened alone in a signed-in context; median over trials. */
async function firstLoad(peer: Peer) {
  await signedInContext(peer)
  const times: number[] = []
  for (let trial = 0; trial < TRIALS; trial++) {
    const tab = await openTab(peer, POLL_S)
    times.push(await knownAfterLoad(tab))
    await tab.close()
  }
  return median(times)
}

/**
 * Sign-out in one of 5 tabs (long poll) reaching the 4 others: from the start of the page's
 * sign-out call to each other tab showing `unauthenticated`. A library whose other tabs show
 * nothing within {@link NEVER_AFTER} in the first trial is "never" (no more trials).
 */
async function signOutReach(peer: Peer) {
  await signedInContext(peer)
  const samples: number[] = []
  for (let trial = 0; trial < TRIALS; trial++) {
    // Five fresh tabs each trial: a reloaded tab could be answered by a tab that saw the sign-out.
    if (trial > 0) await peer.signIn()
    const tabs = await openTabs(peer, 5, LONG_POLL_S)
    const actor = tabs.at(-1) as Page
    const others = tabs.slice(0, -1)
    const before = await marks(others)
    const started = await actor.evaluate(() => {
      const at = performance.timeOrigin + performance.now()
      return window.bench.signOut().then(() => at)
    })
    const seen = await Promise.all(
      others.map((tab, i) =>
        tab
          .waitForFunction(
            (mark) => window.bench.changes.slice(mark).find((c) => c.status === 'unauthenticated')?.at,
            before[i],
            { timeout: NEVER_AFTER },
          )
          .then(
            async (handle) => (await handle.jsonValue()) as number,
            () => undefined,
          ),
      ),
    )
    await Promise.all(tabs.map((tab) => tab.close()))
    if (seen.every((at) => at === undefined)) {
      if (trial === 0) return 'never' as const
      throw new Error(`${peer.name}: sign-out reached no other tab in trial ${trial + 1}`)
    }
    if (seen.includes(undefined)) throw new Error(`${peer.name}: sign-out reached only some tabs`)
    for (const at of seen) samples.push((at as number) - started)
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) }
}

async function figuresOf(peer: Peer): Promise<Figures> {
  const perPeriodCounts: Record<number, number> = {}
  let rendersPerPoll = 0
  for (const n of [1, 5, 20]) {
    const { requests, renders } = await perPeriod(peer, n)
    perPeriodCounts[n] = requests
    if (n === 1) rendersPerPoll = renders
  }
  if (peer.name === '@ory/elements-react') rendersPerPoll = await rendersPerRefetch(peer)
  return {
    perPeriod: perPeriodCounts,
    rendersPerPoll,
    focus20: await focusTwenty(peer),
    newTab: await newTab(peer),
    signOut: await signOutReach(peer),
    knownAfterLoad: await firstLoad(peer),
    bytes: await shippedBytes(PEER_IMPORTS[peer.name]),
  }
}

/** `value` and its ratio to ours, as a cell. */
function withRatio(value: number, ours: number, format: (v: number) => string = String) {
  // 0 against ours 0 is the same; anything against ours 0 has no ratio.
  let ratio = `×${(value / ours).toFixed(value / ours < 10 ? 2 : 0)}`
  if (ours === 0) ratio = value === 0 ? 'same' : 'ours 0'
  else if (value === 0) ratio = '×0'
  return `${format(value)} (${ratio})`
}

function table(all: Figures[]): BenchResult {
  const [ours] = all as [Figures]
  const kB = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`
  const row = (figure: string, read: (f: Figures) => number, format?: (v: number) => string) => [
    figure,
    (format ?? String)(read(ours)),
    ...all.slice(1).map((f) => withRatio(read(f), read(ours), format)),
  ]
  const signOut = (pick: 'p50' | 'p95') => (f: Figures) =>
    f.signOut === 'never' ? 'never' : ms(f.signOut[pick])
  const signOutRow = (pick: 'p50' | 'p95') => {
    const oursValue = ours.signOut === 'never' ? Number.NaN : ours.signOut[pick]
    return [
      `sign-out reaching 4 other tabs, ${pick} ms`,
      signOut(pick)(ours),
      ...all
        .slice(1)
        .map((f) => (f.signOut === 'never' ? 'never' : withRatio(f.signOut[pick], oursValue, ms))),
    ]
  }
  return {
    title:
      'Peers side by side: session-keeper, @ory/elements-react SessionProvider, next-auth/react (Chromium)',
    columns: ['figure (median)', 'session-keeper', '@ory/elements-react 1.2.1', 'next-auth 4.24.15'],
    rows: [
      row('session requests per 1 s poll period, 1 tab', (f) => f.perPeriod[1] ?? Number.NaN),
      row('… 5 tabs', (f) => f.perPeriod[5] ?? Number.NaN),
      row('… 20 tabs', (f) => f.perPeriod[20] ?? Number.NaN),
      row('requests while 20 tabs take focus one after another', (f) => f.focus20),
      row('requests caused by a newly opened tab (2 open)', (f) => f.newTab),
      signOutRow('p50'),
      signOutRow('p95'),
      row('consumer renders per poll that changes nothing (Ory: per `refetch()`)', (f) => f.rendersPerPoll),
      row('page load to a known session state, ms', (f) => f.knownAfterLoad, ms),
      row('min+gzip shipped (esbuild, React external)', (f) => f.bytes, kB),
    ],
    note: [
      `Medians: per-period counts over ${PERIODS} periods (BENCH_PERIODS), other figures over ${TRIALS} trials (BENCH_TRIALS / 5, at least 1); ratios are to session-keeper.`,
      `Focus: 20 tabs with a ${LONG_POLL_S} s poll, each brought to front with visibilitychange + focus, ${DWELL} ms apart. New tab: a ${LONG_POLL_S} s poll, requests until ${NEW_TAB_WATCH} ms after it knew.`,
      `Sign-out: 5 tabs, ${LONG_POLL_S} s poll, from the start of the sign-out call in one tab to each other tab's consumer showing signed out; "never" = no other tab within ${NEVER_AFTER / 1000} s.`,
      '@ory/elements-react never polls (0 requests per period is no check at all) and shows an error state, mapped to signed out here, for the 401 after a sign-out.',
    ].join('\n'),
  }
}

export async function run(): Promise<BenchResult[]> {
  ;[browser, servers] = await Promise.all([launchChromium(), startPeerPages()])
  try {
    const all: Figures[] = []
    for (const peer of peers()) all.push(await figuresOf(peer))
    if (pageErrors.length) throw new Error(`errors in the pages: ${pageErrors.join('; ')}`)
    return [table(all)]
  } finally {
    await context?.close()
    await Promise.all([browser.close(), servers.close()])
  }
}
