// The page of the Chromium reliability tests (leaderChaos, faultSoak): one keeper on a fake clock
// that only the test moves, with a fetch that counts its whoami requests. keeperTabs.ts bundles
// this file into an IIFE and serves it inline, with `window.keeperPageConfig` set before it, from
// a Playwright route on the app's origin. Every tab of a test starts at the test's keeper time,
// and the test advances every tab by the same steps, so the tabs share one clock that moves only
// when the test says so.
import { createSessionKeeper, type SessionKeeperOptions } from '@session-keeper/core'

/** What the test puts on the page before this script. */
export interface KeeperPageConfig {
  /** The keeper time this tab starts at (epoch ms): the test's shared clock. */
  now: number
  /** Keeper options besides the clock and fetch, e.g. `{ baseUrl, pollInterval: '1s' }`. */
  options: SessionKeeperOptions
}

/** What a tab says about itself after a step. */
export interface TabReport {
  leader: boolean
  status: string
  lastCheckedAt: number | null
  stale: boolean
  error: string | null
  /** This tab's whoami requests that settled since the last report. */
  requests: WhoamiRecord[]
  /** When this tab's next timer is due (keeper time), or null without one. */
  nextAt: number | null
}

/** One whoami request of a tab, as the page saw it (not as the keeper read it). */
export interface WhoamiRecord {
  /** Keeper time it was sent at, and settled at. */
  sentAt: number
  settledAt: number
  /** The HTTP status, or 0 when no answer came (reset, timeout). */
  status: number
  /** A 200 whose body is a whole, active session. */
  session: boolean
  retryAfter: string | null
}

/** The test's handle on the tab, on `window.keeperPage`. */
export interface KeeperPage {
  /** Moves this tab's clock by `ms`, running every timer that falls due on the way, in order. */
  advance(ms: number): TabReport
  /** What the tab holds now; `drain` also hands over (and forgets) the request times. */
  report(drain: boolean): TabReport
  /** Resolves once no whoami of this tab is in flight and its answer has been handed over. */
  idle(): Promise<void>
  /** {@link advance}, then {@link idle}, then what the step did: the test's one call per step. */
  step(ms: number): Promise<TabReport>
  /** Unhandled promise rejections and `console.error` calls seen in this tab. */
  rejections: string[]
}

declare global {
  interface Window {
    keeperPageConfig: KeeperPageConfig
    keeperPage: KeeperPage
  }
}

interface Timer {
  at: number
  id: number
  run: () => void
}

const config = window.keeperPageConfig
let now = config.now
let nextId = 1
const timers = new Map<number, Timer>()
const clock = {
  now: () => now,
  setTimeout(run: () => void, ms: number) {
    const id = nextId++
    timers.set(id, { at: now + Math.max(0, ms), id, run })
    return id
  },
  clearTimeout(id: unknown) {
    timers.delete(id as number)
  },
}

/** The timer due first (the oldest among equals) if it is due by `until`. */
function nextDue(until: number): Timer | undefined {
  let first: Timer | undefined
  for (const timer of timers.values()) {
    if (timer.at > until) continue
    if (!first || timer.at < first.at || (timer.at === first.at && timer.id < first.id)) first = timer
  }
  return first
}

let requests: WhoamiRecord[] = []
let inFlight = 0
let waiters: (() => void)[] = []
const realSetTimeout = window.setTimeout.bind(window)

function release() {
  // One macrotask later: the keeper reads the buffered body and applies the answer first.
  realSetTimeout(() => {
    if (inFlight > 0) return
    const waiting = waiters
    waiters = []
    for (const resolve of waiting) resolve()
  }, 0)
}

/** Whether a body is what Kratos sends for a signed-in user, judged without the keeper's code. */
function isSession(body: ArrayBuffer): boolean {
  try {
    const json = JSON.parse(new TextDecoder().decode(body))
    return typeof json?.id === 'string' && json.active === true && typeof json.identity?.id === 'string'
  } catch {
    return false
  }
}

/** The page's fetch, recording whoami requests; bodies are read here so that "settled" means done. */
const countingFetch: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input)
  if (!url.endsWith('/sessions/whoami')) return fetch(input, init)
  const record: WhoamiRecord = { sentAt: now, settledAt: now, status: 0, session: false, retryAfter: null }
  inFlight++
  try {
    const response = await fetch(input, init)
    const body = await response.arrayBuffer()
    record.status = response.status
    record.session = response.status === 200 && isSession(body)
    record.retryAfter = response.headers.get('retry-after')
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  } finally {
    record.settledAt = now
    requests.push(record)
    inFlight--
    release()
  }
}

const keeper = createSessionKeeper({ ...config.options, clock, fetch: countingFetch })
const rejections: string[] = []
window.addEventListener('unhandledrejection', (event) => rejections.push(String(event.reason)))
const consoleError = console.error.bind(console)
console.error = (...args: unknown[]) => {
  rejections.push(`console.error: ${args.map(String).join(' ')}`)
  consoleError(...args)
}

function report(drain: boolean): TabReport {
  const state = keeper.getState()
  const out = {
    leader: state.isLeader,
    status: state.status,
    lastCheckedAt: state.lastCheckedAt,
    stale: state.stale,
    error: state.error?.name ?? null,
    requests,
    nextAt: timers.size ? Math.min(...[...timers.values()].map((timer) => timer.at)) : null,
  }
  if (drain) requests = []
  return out
}

function advance(ms: number): TabReport {
  const target = now + ms
  for (let timer = nextDue(target); timer; timer = nextDue(target)) {
    timers.delete(timer.id)
    now = Math.max(now, timer.at)
    timer.run()
  }
  now = target
  return report(true)
}

const idle = () =>
  new Promise<void>((resolve) => {
    waiters.push(resolve)
    if (inFlight === 0) release()
  })

window.keeperPage = {
  advance,
  report,
  idle,
  async step(ms) {
    const before = advance(ms)
    await idle()
    const after = report(true)
    return { ...after, requests: [...before.requests, ...after.requests] }
  },
  rejections,
}
keeper.start()
