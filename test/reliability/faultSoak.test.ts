// Issue 14 part 1: a fault soak in real Chromium. Five tabs of one profile against fake-kratos,
// which answers each whoami with a fault drawn at random (seeded: RELIABILITY_SEED replays a
// run) or healthily: 500, 502, 503, resets, hangs past the keeper's timeout, malformed and
// truncated JSON, HTML error pages from a proxy or a WAF, wrong content types, 429 and 503 with
// Retry-After. Keeper time is the test's (keeperTabs.ts): it jumps from one due timer to the
// next, so minutes of backoff take milliseconds; only a hang waits, for the keeper's timeout.
// Every few hundred checks the faults stop until the tabs recover, and the tabs must agree.
import type { Fault } from '@session-keeper/fake-kratos'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupChromium, signInContext } from '../e2e/browser.js'
import { figure } from './figure.js'
import type { TabReport, WhoamiRecord } from './keeperPage.js'
import {
  bundleKeeperPage,
  type KeeperServers,
  type KeeperTabs,
  keeperTabs,
  startKeeperServers,
} from './keeperTabs.js'
import { random } from './random.js'

const TABS = 5
const CHECKS = 2_000
/** The faults stop this often (in checks) until every tab has recovered. */
const RECOVER_EVERY = 250
const POLL = 10_000
const HIDDEN_POLL = 300_000
/** The keeper's whoami timeout (real time: ky's own timer), and a hang well past it. */
const TIMEOUT = 300
const HANG = 700
const WHOAMI = 'GET /sessions/whoami'

let servers: KeeperServers

beforeAll(async () => {
  servers = await startKeeperServers(await bundleKeeperPage(), { lifespan: '8760h' })
})

afterAll(async () => {
  await servers?.close()
})

const chromium = setupChromium({ openPage: false })

const whoamiCount = () => servers.kratos.stats().requests[WHOAMI] ?? 0

type Injected = Omit<Fault, 'route'> | null

/** The faults, by name, with their weights; `null` answers healthily. */
function faultMix(session: string): [name: string, weight: number, fault: Injected | (() => Injected)][] {
  const html = (title: string) =>
    `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`
  return [
    ['healthy', 40, null],
    ['500', 6, { status: 500 }],
    ['502', 6, { status: 502 }],
    ['503', 6, { status: 503 }],
    ['503 Retry-After', 3, { status: 503, retryAfter: 20 }],
    ['429 Retry-After', 4, { status: 429, retryAfter: 45 }],
    // An HTTP date half a minute ahead on the keeper's clock (the fake's `Date` agrees with it).
    [
      '429 Retry-After date',
      1,
      () => ({ status: 429, retryAfter: new Date(servers.time.now + 30_000).toUTCString() }),
    ],
    // Two: Chromium retries a GET once by itself when a reused connection is reset before any
    // answer, so a single reset would mostly reach the keeper as the retry's healthy answer.
    ['reset', 6, { reset: true, times: 2 }],
    ['hang', 2, { delayMs: HANG }],
    ['malformed JSON', 4, { status: 200, body: '{"id": tru' }],
    ['truncated JSON', 4, { status: 200, body: session.slice(0, Math.floor(session.length / 2)) }],
    ['empty 200', 2, { status: 200, body: '' }],
    ['proxy 502 HTML', 4, { status: 502, contentType: 'text/html', body: html('502 Bad Gateway') }],
    ['proxy 504 HTML', 2, { status: 504, contentType: 'text/html', body: html('504 Gateway Time-out') }],
    ['WAF 403 HTML', 2, { status: 403, contentType: 'text/html', body: html('403 Forbidden') }],
    ['portal 200 HTML', 2, { status: 200, contentType: 'text/html', body: html('Sign in to the Wi-Fi') }],
    ['503 text/plain', 2, { status: 503, contentType: 'text/plain', body: 'Service Unavailable' }],
    ['200 text/plain', 2, { status: 200, contentType: 'text/plain', body: 'OK' }],
    ['session as text/html', 2, { status: 200, contentType: 'text/html', body: session }],
  ]
}

/**
 * Requests sooner than the keeper's backoff allows, across all tabs (the server sees one client):
 * after an answer, the next request waits a poll period; after the k-th failure in a row (k from
 * 0), `Retry-After` when sent, else at least half of min(2 s × 2^k, the hidden cadence); never
 * under a second. Waiting longer is allowed; sooner is one too many.
 */
function beyondBackoff(requests: WhoamiRecord[]): WhoamiRecord[] {
  const sorted = [...requests].sort((a, b) => a.sentAt - b.sentAt || a.settledAt - b.settledAt)
  let earliest = -Infinity
  let failures = 0
  const early: WhoamiRecord[] = []
  for (const request of sorted) {
    if (request.sentAt < earliest) early.push(request)
    if (request.session) {
      failures = 0
      earliest = request.settledAt + POLL
      continue
    }
    const backoff = Math.min(2_000 * 2 ** failures++, HIDDEN_POLL)
    const retryAfter = request.status !== 200 ? retryAfterMs(request) : null
    earliest = request.settledAt + Math.max(retryAfter ?? backoff / 2, 1_000)
  }
  return early
}

function retryAfterMs({ retryAfter, settledAt }: WhoamiRecord): number | null {
  if (!retryAfter) return null
  const ms = /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1_000 : Date.parse(retryAfter) - settledAt
  return Number.isFinite(ms) ? Math.max(0, ms) : null
}

/** Steps to the next due timer of any tab; every report is handed to `seen`. */
async function stepToNextTimer(tabs: KeeperTabs, seen: (reports: Map<unknown, TabReport>) => void) {
  const wait = await tabs.untilNextTimer()
  if (!Number.isFinite(wait)) throw new Error('no tab has a timer: nothing would ever check again')
  seen(await tabs.step(wait))
}

/** The tabs agree: all signed in, fresh, without error, on the same server answer. */
function disagreeing(reports: TabReport[]): number {
  const answers = new Map<number | null, number>()
  for (const report of reports)
    answers.set(report.lastCheckedAt, (answers.get(report.lastCheckedAt) ?? 0) + 1)
  const [common] = [...answers].sort((a, b) => b[1] - a[1])[0] ?? [null]
  return reports.filter(
    (report) =>
      report.status !== 'authenticated' ||
      report.stale ||
      report.error !== null ||
      report.lastCheckedAt !== common,
  ).length
}

/**
 * With the faults cleared, steps until every tab agrees, for at most the longest backoff and two
 * poll periods of keeper time, and returns how many tabs still disagree.
 */
async function recover(tabs: KeeperTabs, seen: (reports: Map<unknown, TabReport>) => void): Promise<number> {
  const until = servers.time.now + HIDDEN_POLL + 2 * POLL
  const first = await tabs.step(0)
  seen(first)
  let last: TabReport[] = [...first.values()]
  for (let i = 0; i < 1_000 && servers.time.now < until && disagreeing(last) > 0; i++) {
    await stepToNextTimer(tabs, (reports) => {
      seen(reports)
      last = [...reports.values()]
    })
  }
  return disagreeing(last)
}

describe('fault soak', () => {
  it(`should sign nobody out and keep ${TABS} tabs in agreement through ${CHECKS} checks under injected faults`, async () => {
    const rng = random('fault soak')
    const { cookie } = await signInContext(chromium.context, servers.kratos)
    const session = await (
      await fetch(`${servers.kratos.url}/sessions/whoami`, { headers: { cookie } })
    ).text()
    const mix = faultMix(session)
    const weighted = mix.flatMap((entry) => Array<(typeof mix)[number]>(entry[1]).fill(entry))

    const tabs = keeperTabs(chromium.context, servers, {
      pollInterval: POLL,
      hiddenPollInterval: HIDDEN_POLL,
      timeout: TIMEOUT,
    })
    for (let i = 0; i < TABS; i++) await tabs.open()
    expect(await tabs.settle()).toBe(true)

    const requests: WhoamiRecord[] = []
    const signedIn = new Map<unknown, boolean>()
    let falseSignOuts = 0
    const seen = (reports: Map<unknown, TabReport>) => {
      for (const [tab, report] of reports) {
        requests.push(...report.requests)
        const wasIn = signedIn.get(tab) ?? false
        const isIn = report.status === 'authenticated'
        if (wasIn && !isIn && report.status !== 'loading') falseSignOuts++
        if (report.status !== 'loading') signedIn.set(tab, isIn)
      }
    }
    // Until every tab is signed in, healthily: the soak starts from an agreed state.
    expect(await recover(tabs, seen)).toBe(0)
    servers.kratos.resetStats()
    const before = requests.length
    /** Whoami requests the keepers made since the soak began (Chromium's own retries of a reset not counted). */
    const checks = () => requests.length - before

    const injected = new Map<string, number>()
    let disagreements = 0
    let recoveries = 0
    let queuedAt = -1
    for (let steps = 0; checks() < CHECKS && steps < 20 * CHECKS; steps++) {
      if (checks() >= (recoveries + 1) * RECOVER_EVERY) {
        recoveries++
        servers.kratos.clearFaults()
        queuedAt = -1
        disagreements += await recover(tabs, seen)
      }
      // One fault (or a healthy answer) at a time, for the next whoami of any tab.
      if (queuedAt < 0 || whoamiCount() > queuedAt) {
        const [faultName, , pick] = rng.pick(weighted)
        const fault = typeof pick === 'function' ? pick() : pick
        servers.kratos.clearFaults()
        if (fault) servers.kratos.addFault({ route: WHOAMI, times: 1, ...fault })
        injected.set(faultName, (injected.get(faultName) ?? 0) + 1)
        queuedAt = whoamiCount()
      }
      await stepToNextTimer(tabs, seen)
    }

    // The last recovery: no faults until every tab agrees.
    servers.kratos.clearFaults()
    disagreements += await recover(tabs, seen)
    recoveries++

    const early = beyondBackoff(requests)
    const errors = await tabs.finish()
    console.log(
      `fault soak (seed ${rng.seed}): ${checks()} checks by the keepers, ${whoamiCount()} requests at the fake,`,
      `${recoveries} recoveries, ${Math.round((servers.time.now - Date.parse('2026-01-01T00:00:00Z')) / 60_000)} min of keeper time;`,
      `faults ${JSON.stringify(Object.fromEntries(injected))}; early requests:`,
      early.slice(0, 10),
      errors.slice(0, 10),
    )
    figure('fault soak: whoami checks under injected faults', checks(), { min: CHECKS })
    figure('fault soak: false sign-outs', falseSignOuts, { max: 0 })
    figure('fault soak: unhandled rejections and console errors', errors.length, { max: 0 })
    figure('fault soak: requests beyond what the backoff allows', early.length, { max: 0 })
    figure('fault soak: tabs disagreeing after recovery', disagreements, { max: 0 })
  }, 240_000)
})
