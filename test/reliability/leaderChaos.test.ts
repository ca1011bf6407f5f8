// Issue 14 part 4: leader chaos in real Chromium. Ten tabs of one profile (one browser context,
// so they share BroadcastChannel and Web Locks), and 200 rounds of closing, crashing (CDP
// `Page.crash`: no unload, no goodbye), reloading and opening tabs at random, the leader often
// among them. Keeper time is the test's (keeperTabs.ts): it stands still while Chromium elects
// a leader, which the test awaits (a tab reporting `isLeader`, bounded), and then moves in
// steps through three poll periods per round. Seeded: RELIABILITY_SEED replays a run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupChromium, signInContext } from '../e2e/browser.js'
import { figure } from './figure.js'
import type { TabReport } from './keeperPage.js'
import {
  bundleKeeperPage,
  type KeeperServers,
  type KeeperTabs,
  keeperTabs,
  startKeeperServers,
  type Tab,
} from './keeperTabs.js'
import { random } from './random.js'

const TABS = 10
const MIN_TABS = 5
const ROUNDS = 200
const POLL = 1_000
const STEP = 500
/** Keeper time moved per round, after the round's chaos has settled. */
const ROUND_TIME = 3 * POLL
/** A round fails "no poller" when no tab has had a server answer for longer than this. */
const NO_POLLER = 3_000

type Action = 'close' | 'crash' | 'reload' | 'open'

let servers: KeeperServers

beforeAll(async () => {
  servers = await startKeeperServers(await bundleKeeperPage())
})

afterAll(async () => {
  await servers?.close()
})

const chromium = setupChromium({ openPage: false })

/** Signs the context in as a login would: the fake's session cookie. */
const signIn = () => signInContext(chromium.context, servers.kratos)

const whoamiCount = () => servers.kratos.stats().requests['GET /sessions/whoami'] ?? 0

/** What one round saw, once its chaos settled. */
interface Round {
  action: Action
  leaderTargeted: boolean
  settled: boolean
  /** Longest keeper time without a server answer in any tab, seen at a step. */
  longestSilence: number
  /** Most tabs reporting `isLeader` at one step. */
  mostLeaders: number
  /** Tabs that sent a whoami during the round's steps, and the keeper times they sent them at. */
  senders: Map<number, number[]>
}

async function runRound(tabs: KeeperTabs, action: Action, target: Tab | undefined): Promise<Round> {
  const [leader] = await tabs.leaders()
  if (action === 'open') await tabs.open()
  else if (target && action === 'close') await tabs.close(target)
  else if (target && action === 'crash') await tabs.crash(target)
  else if (target) await tabs.reload(target)
  const round: Round = {
    action,
    leaderTargeted: target !== undefined && target === leader,
    settled: await tabs.settle(),
    longestSilence: 0,
    mostLeaders: 0,
    senders: new Map(),
  }
  for (let moved = 0; moved < ROUND_TIME; moved += STEP) {
    const reports = await tabs.step(STEP)
    const answered = Math.max(...[...reports.values()].map((report) => report.lastCheckedAt ?? -Infinity))
    round.longestSilence = Math.max(round.longestSilence, servers.time.now - answered)
    const all: [Tab, TabReport][] = [...reports]
    round.mostLeaders = Math.max(round.mostLeaders, all.filter(([, report]) => report.leader).length)
    for (const [tab, report] of all) {
      const sent = report.requests.map((request) => request.sentAt)
      if (sent.length) round.senders.set(tab.n, [...(round.senders.get(tab.n) ?? []), ...sent])
    }
  }
  return round
}

describe('leader chaos', () => {
  it(`should keep exactly one poller through ${ROUNDS} rounds of closing, crashing, reloading and opening ${TABS} tabs`, async () => {
    const rng = random('leader chaos')
    await signIn()
    const tabs = keeperTabs(chromium.context, servers, { pollInterval: POLL })
    for (let i = 0; i < TABS; i++) await tabs.open()
    expect(await tabs.settle()).toBe(true)
    for (let moved = 0; moved < 2 * POLL; moved += STEP) await tabs.step(STEP)
    servers.kratos.resetStats()
    const startedAt = servers.time.now

    const rounds: Round[] = []
    for (let i = 0; i < ROUNDS; i++) {
      const n = tabs.live.length
      const actions: Action[] = ['reload']
      if (n > MIN_TABS) actions.push('close', 'crash')
      // Below ten tabs, open one as often as the other three together: the count stays near ten.
      if (n < TABS) actions.push(...(Array(actions.length).fill('open') as Action[]))
      const action = rng.pick(actions)
      const [leader] = await tabs.leaders()
      const target = rng.next() < 0.5 && leader ? leader : rng.pick(tabs.live)
      rounds.push(await runRound(tabs, action, action === 'open' ? undefined : target))
    }

    const periods = (servers.time.now - startedAt) / POLL
    const requests = whoamiCount()
    const silent = rounds.filter((round) => !round.settled || round.longestSilence > NO_POLLER)
    // Two pollers: two tabs claiming the lead at one step, or whoami from two tabs in one round.
    const twoPollers = rounds.filter(
      (round) => round.settled && (round.mostLeaders > 1 || round.senders.size > 1),
    )
    const counts = Object.fromEntries(
      (['close', 'crash', 'reload', 'open'] as const).map((action) => [
        action,
        rounds.filter((round) => round.action === action).length,
      ]),
    )
    console.log(
      `leader chaos (seed ${rng.seed}): ${ROUNDS} rounds ${JSON.stringify(counts)}, leader hit in`,
      rounds.filter((round) => round.leaderTargeted).length,
      `; ${requests} whoami in ${periods} poll periods; longest silence`,
      Math.max(...rounds.map((round) => round.longestSilence)),
      'ms; rounds with two pollers:',
      twoPollers.map(
        (round) =>
          `${round.action}${round.leaderTargeted ? ' (leader)' : ''} ${JSON.stringify([...round.senders])}`,
      ),
    )

    figure('leader chaos: rounds with no poller for more than 3 s', silent.length, { max: 0 })
    figure('leader chaos: settled rounds with two pollers', twoPollers.length, { max: 0 })
    // The chaos has teeth: it ended the leader itself (closed, crashed or reloaded it) this often.
    figure(
      'leader chaos: rounds that closed, crashed or reloaded the leader',
      rounds.filter((round) => round.leaderTargeted).length,
      { min: 30 },
    )
    figure('leader chaos: whoami requests per poll period', Math.round((requests / periods) * 1000) / 1000, {
      max: 1.1,
    })
    // Every tab left agrees with the others, and is signed in.
    const last = await tabs.step(STEP)
    expect(new Set([...last.values()].map((report) => report.status))).toEqual(new Set(['authenticated']))
    expect(await tabs.finish()).toEqual([])
  }, 240_000)
})
