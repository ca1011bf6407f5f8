// @vitest-environment jsdom
// Issue 14 part 2: fuzzed tab messages. Two keepers (public API) share an in-memory channel, one
// in cookie mode, one in token mode, each on its own scripted server; a raw channel posts
// thousands of arbitrary, malformed, oversized, replayed, reordered and foreign-version messages
// (fast-check) among valid ones. Every change of the cookie-mode keeper's state must come from
// its server or from a valid state message newer than what it held; nothing may throw; no
// message a keeper sends may carry the session token.
import type { SessionState } from '@session-keeper/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { kratosSession } from '../../packages/core/src/__tests__/fakeKratosFetch.js'
import { type Tab, useTabKeepers as tabKeepers } from '../../packages/core/src/__tests__/keeperKit.js'
import { type ChannelSpy, type HandClock, until } from '../../packages/core/src/__tests__/tabKit.js'
import { parseSession } from '../../packages/core/src/parseSession.js'
import { figure } from './figure.js'
import { type Draft, STATUSES, tabMessage } from './tabMessageArbitraries.js'

const TOKEN = 'ory_st_fuzzTokenThatMustNeverTravel0123'
const SERVER_ID = 'server-session'
const TOKEN_SERVER_ID = 'token-mode-session'
/** 420 runs of 25 messages: 10,500 messages. RELIABILITY_FUZZ_RUNS and RELIABILITY_SEED override. */
const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 420)
const BATCH = 25
const SEED = Number(process.env.RELIABILITY_SEED ?? 14)

let clock: HandClock
let spy: ChannelSpy
// Registers the keepers' hooks (not a React hook: imported under another name for the linter).
const { setup: tab } = tabKeepers({
  onEach: (rig) => ({ clock, spy } = rig),
  page: { visible: true },
  // No poll falls due while a batch is on the channel: the hand clock moves between batches only.
  defaults: (rig) => ({
    tabSync: { channel: rig.name, method: 'simulate' },
    pollInterval: '1h',
    hiddenPollInterval: '1h',
  }),
})

// biome-ignore lint/suspicious/noExplicitAny: messages are read field by field, whatever they hold
type Loose = Record<string, any>

/** What a version-1 state message must be to be applied (DESIGN §4), judged apart from the code. */
function acceptable(message: unknown): boolean {
  const m = message as Loose
  if (m?.v !== 1 || typeof m.from !== 'string' || m.type !== 'state') return false
  if (!Number.isFinite(m.at) || !Number.isFinite(m.clockSkew) || !STATUSES.includes(m.status)) return false
  if (m.aal2RedirectTo !== null && typeof m.aal2RedirectTo !== 'string') return false
  if (!m.session) return m.status !== 'authenticated'
  try {
    parseSession(m.session)
    return true
  } catch {
    return false
  }
}

let serial = 0
const shift = (iso: unknown, now: number) =>
  typeof iso === 'string' && !Number.isNaN(Date.parse(iso))
    ? new Date(Date.parse(iso) + now).toISOString()
    : iso

/** A draft made concrete at `now`: offsets become times, each session gets an id of its own. */
function materialise(draft: unknown, now: number): unknown {
  if (!draft || typeof draft !== 'object' || Array.isArray(draft)) return draft
  const m: Draft = { ...(draft as Draft) }
  if (typeof m.at === 'number') m.at = now + m.at
  const session = m.session as Loose | null
  if (session && typeof session === 'object' && !Array.isArray(session)) {
    m.session = {
      ...session,
      id: typeof session.id === 'string' ? `${session.id}#${++serial}` : session.id,
      expires_at: shift(session.expires_at, now),
      authenticated_at: shift(session.authenticated_at, now),
    }
  }
  return m
}

const changed = (a: SessionState, b: SessionState) =>
  a.lastCheckedAt !== b.lastCheckedAt ||
  a.status !== b.status ||
  a.session !== b.session ||
  a.clockSkew !== b.clockSkew ||
  a.aal2RedirectTo !== b.aal2RedirectTo

/** What one run found: changes from the server, from valid newer messages, and unexplained ones. */
interface Tally {
  posted: number
  fromServer: number
  fromMessages: number
  violations: { before: SessionState; after: SessionState; sources: unknown[] }[]
}

/** Explains each change of `transitions` by the server or by a valid, newer message of `batch`. */
function attribute(transitions: [SessionState, SessionState][], batch: unknown[], now: number, tally: Tally) {
  for (const [before, after] of transitions) {
    if (!changed(before, after)) continue
    if (after.session?.id === SERVER_ID && after.lastCheckedAt === now) {
      tally.fromServer++
      continue
    }
    const sources = batch.filter((message) => {
      const m = message as Loose
      return (
        m?.type === 'state' &&
        m.at === after.lastCheckedAt &&
        m.status === after.status &&
        ((m.session as Loose | null)?.id ?? null) === (after.session?.id ?? null)
      )
    })
    const newer = (m: unknown) => (m as Loose).at > (before.lastCheckedAt ?? Number.NEGATIVE_INFINITY)
    if (sources.some((m) => acceptable(m) && newer(m))) tally.fromMessages++
    else tally.violations.push({ before, after, sources })
  }
}

/** Posts `batch` in order, waits until both tabs have read it and no check is in flight. */
async function deliver(batch: unknown[], tabs: Tab[]) {
  for (const message of batch) void spy.post(message)
  await spy.barrier(tabs.length)
  await Promise.all(tabs.map((t) => t.keeper.check()))
}

/** Counts uncaught errors and unhandled rejections while `body` runs. */
async function countingThrows(body: () => Promise<void>): Promise<number> {
  let throws = 0
  const count = () => void throws++
  process.on('uncaughtException', count)
  process.on('unhandledRejection', count)
  try {
    await body()
  } finally {
    process.off('uncaughtException', count)
    process.off('unhandledRejection', count)
  }
  return throws
}

/** Starts a cookie-mode and a token-mode keeper, both signed in. */
async function twoTabs() {
  const cookie = tab()
  cookie.kratos.always(() => ({ status: 200, body: kratosSession({ id: SERVER_ID, now: clock.now() }) }))
  const token = tab({ sessionToken: TOKEN })
  // A body that names the token, as a whoami answer with `tokenize_as` would: it must stay here.
  token.kratos.always(() => ({
    status: 200,
    body: { ...kratosSession({ id: TOKEN_SERVER_ID, now: clock.now() }), tokenized: TOKEN },
  }))
  for (const t of [cookie, token]) t.keeper.start()
  await Promise.all([cookie, token].map((t) => until(t.keeper, (state) => state.status === 'authenticated')))
  return { cookie, token }
}

/** Messages a keeper sent that carry the token, or the token-mode session (which must not travel). */
function leaks(messages: readonly unknown[]): number {
  return messages.filter((message) => {
    let text: string
    try {
      text = JSON.stringify(message) ?? ''
    } catch {
      return true // a keeper sent something it could not even serialise: counted against it
    }
    return text.includes(TOKEN) || text.includes('ory_st_') || text.includes(TOKEN_SERVER_ID)
  }).length
}

describe('fuzzed tab messages', () => {
  it('should apply only valid, newer state messages, never throw, and never send the token', async () => {
    const { cookie, token } = await twoTabs()
    const tabs = [cookie, token]
    const tally: Tally = { posted: 0, fromServer: 0, fromMessages: 0, violations: [] }
    const history: unknown[] = []
    const item = fc.oneof(
      { weight: 9, arbitrary: tabMessage.map((draft) => ({ draft })) },
      { weight: 1, arbitrary: fc.nat().map((replay) => ({ replay })) },
    )
    let failure: unknown
    const throws = await countingThrows(async () => {
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(item, { minLength: BATCH, maxLength: BATCH }), async (items) => {
            await clock.advance(10_000)
            const now = clock.now()
            // Replays resend an earlier message as it was: by now it is older than what the tabs hold.
            const batch = items.map((each) =>
              'replay' in each && history.length > 0
                ? history[each.replay % history.length]
                : materialise('draft' in each ? each.draft : null, now),
            )
            history.push(...batch.filter(acceptable))
            const transitions: [SessionState, SessionState][] = []
            const unsubscribe = cookie.keeper.subscribe((state, previous) =>
              transitions.push([previous, state]),
            )
            try {
              await deliver(batch, tabs)
            } finally {
              unsubscribe()
            }
            tally.posted += batch.length
            const before = tally.violations.length
            attribute(transitions, batch, now, tally)
            return tally.violations.length === before
          }),
          { numRuns: RUNS, seed: SEED, endOnFailure: true },
        )
      } catch (error) {
        failure = error
      }
    })

    figure('tab messages: throws (uncaught errors, unhandled rejections)', throws, { max: 0 })
    figure('tab messages: state changed by an invalid or older message', tally.violations.length, { max: 0 })
    expect(tally.violations.slice(0, 3)).toEqual([])
    figure('tab messages posted', tally.posted, { min: RUNS * BATCH })
    figure('tab messages: session token in a message sent by a keeper', leaks(spy.messages), { max: 0 })
    // The property holds only if valid, newer messages were applied too.
    figure('tab messages: valid newer state messages applied', tally.fromMessages, { min: 100 })
    expect(failure).toBeUndefined()
  })
})
