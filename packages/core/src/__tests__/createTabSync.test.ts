// The keeper's side of tab sync alone (issue 12): a real store and scheduler on the tab hand
// clock, a recording checker, and connectTabs over broadcast-channel's in-memory `simulate`
// method (real timers, as in connectTabs.test.ts). Tests wait on messages or state, never on time.
import { describe, expect, it, vi } from 'vitest'
import type { Checker } from '../createChecker.js'
import { createScheduler } from '../createScheduler.js'
import { createSessionStore } from '../createSessionStore.js'
import { createTabSync, type TabSync } from '../createTabSync.js'
import type { Log } from '../InspectRecord.js'
import { parseSession } from '../parseSession.js'
import { NetworkError } from '../SessionKeeperError.js'
import type { Session, SessionState } from '../types.js'
import { kratosSession } from './fakeKratosFetch.js'
import { type ChannelSpy, type HandClock, holdLeadership, settle, useTabChannel } from './tabKit.js'
import { keptSession, MINUTE, quiet, SECOND } from './unitKit.js'

const POLL = MINUTE
const TIMEOUT = 10 * SECOND
let name: string
let spy: ChannelSpy
let clock: HandClock
const syncs: TabSync[] = []
const cleanups = useTabChannel(
  (rig) => ({ name, spy, clock } = rig),
  async () => {
    for (const sync of syncs.splice(0)) sync.disconnect()
  },
)

function setup({
  tabSync = true,
  payloads = true,
  log = quiet,
  initialSession,
}: {
  tabSync?: boolean
  payloads?: boolean
  log?: Log
  initialSession?: Session | null
} = {}) {
  const store = createSessionStore({
    now: clock.now,
    expiringThreshold: 5 * MINUTE,
    initialSession,
  })
  const scheduler = createScheduler(clock, quiet)
  const startedAt = clock.now()
  const checker = {
    check: vi.fn(async () => store.getState()),
    hear: vi.fn<Checker['hear']>(),
    retryAt: vi.fn<Checker['retryAt']>(() => 0),
    pollFrom: vi.fn<Checker['pollFrom']>(() => startedAt),
  }
  const onActivity = vi.fn()
  const tabs = createTabSync({
    tabSync: tabSync && { channel: name, method: 'simulate' },
    channel: 'unused',
    payloads,
    pollInterval: POLL,
    timeout: TIMEOUT,
    now: clock.now,
    store,
    scheduler,
    checker: () => checker as unknown as Checker,
    onActivity,
    log,
  })
  syncs.push(tabs)
  scheduler.start()
  return { store, scheduler, checker, onActivity, tabs }
}

/** A tab that holds the leadership and never answers: the tab under test stays a follower. */
async function follower(options?: Parameters<typeof setup>[0]) {
  await holdLeadership(name, cleanups)
  const t = setup(options)
  t.tabs.connect()
  await spy.barrier(1)
  return t
}

const isLeader = (store: ReturnType<typeof setup>['store']) =>
  new Promise<void>((resolve) => {
    if (store.getState().isLeader) return resolve()
    const unsubscribe = store.subscribe((state) => {
      if (!state.isLeader) return
      unsubscribe()
      resolve()
    })
  })

const state = (store: ReturnType<typeof setup>['store']): SessionState => ({
  ...store.getState(),
  status: 'authenticated',
  session: keptSession({ now: clock.now() }),
  lastCheckedAt: clock.now(),
})

describe('createTabSync', () => {
  it('should make this tab the only leader with tabSync false, on no channel', async () => {
    const { store, tabs } = setup({ tabSync: false })
    tabs.connect()
    expect(store.getState().isLeader).toBe(true)
    expect(tabs.follower()).toBe(false)
    await tabs.publish(state(store), true)
    await settle()
    expect(spy.messages).toEqual([])
  })

  it('should lead when alone on the channel, and check when its state is older than pollInterval', async () => {
    const { store, checker, tabs } = setup()
    tabs.connect()
    await isLeader(store)
    expect(tabs.follower()).toBe(false)
    expect(checker.check).toHaveBeenCalledTimes(1)
  })

  it('should not check on leading with a session the server rendered until a poll period has passed', async () => {
    const rendered = setup({ initialSession: parseSession(kratosSession({ now: clock.now() })) })
    rendered.tabs.connect()
    await isLeader(rendered.store)
    expect(rendered.checker.check).not.toHaveBeenCalled()
    expect(rendered.checker.pollFrom).toHaveBeenCalled()

    // The same leadership a poll period after start: the rendered session is too old by then.
    rendered.tabs.disconnect()
    await clock.advance(POLL + 1)
    rendered.tabs.connect()
    await isLeader(rendered.store)
    expect(rendered.checker.check).toHaveBeenCalledExactlyOnceWith({ why: 'tabs' })
  })

  it('should follow while another tab leads', async () => {
    const { store, tabs } = await follower()
    expect(tabs.follower()).toBe(true)
    expect(store.getState().isLeader).toBe(false)
  })

  it('should ask the server when no tab answers within a second', async () => {
    const { checker, tabs } = await follower()
    const from = spy.messages.length
    tabs.ask(5 * SECOND)
    expect(await spy.next((m) => m.type === 'ask', from)).toMatchObject({ maxAge: 5 * SECOND })
    await clock.advance(SECOND - 1)
    expect(checker.check).not.toHaveBeenCalled()
    await clock.advance(1)
    expect(checker.check).toHaveBeenCalledTimes(1)
  })

  it('should not ask the server when an answer arrived within the second', async () => {
    const { store, checker, tabs } = await follower()
    tabs.ask(5 * SECOND)
    await clock.advance(SECOND / 2)
    store.accept({
      at: clock.now(),
      status: 'unauthenticated',
      session: null,
      aal2RedirectTo: null,
      clockSkew: 0,
    })
    await clock.advance(SECOND)
    expect(checker.check).not.toHaveBeenCalled()
  })

  // Found by the fault soak (test/reliability/faultSoak.test.ts): in an outage the followers'
  // asks made the leader check at once, and then each follower itself, whatever the backoff.
  it('should not ask the server when a tab answered within the second, even with a state it already had', async () => {
    const { checker, tabs } = await follower()
    tabs.ask(5 * SECOND)
    const at = clock.now() - 30 * SECOND
    await spy.post({
      v: 1,
      from: 'leader',
      type: 'state',
      at,
      status: 'authenticated',
      session: kratosSession({ now: at }),
      aal2RedirectTo: null,
      clockSkew: 0,
    })
    await vi.waitFor(() => expect(checker.hear).toHaveBeenCalledTimes(1))
    await clock.advance(2 * SECOND)
    expect(checker.check).not.toHaveBeenCalled()
  })

  it('should answer an ask with its state and no request while the checker backs off, and check once it does not', async () => {
    const { store, checker, tabs } = setup()
    tabs.connect()
    await isLeader(store)
    await spy.barrier(1) // past what it said on becoming leader (that it is asking the server)
    store.accept({
      at: clock.now(),
      status: 'authenticated',
      session: keptSession({ now: clock.now() }),
      aal2RedirectTo: null,
      clockSkew: 0,
    })
    await clock.advance(40 * SECOND)
    checker.check.mockClear()
    checker.retryAt.mockReturnValue(clock.now() + 30 * SECOND)
    const from = spy.messages.length
    await spy.post({ v: 1, from: 'asker', type: 'ask', maxAge: 30 * SECOND })
    expect(await spy.next((m) => m.type === 'state', from)).toMatchObject({ status: 'authenticated' })
    expect(checker.check).not.toHaveBeenCalled()

    // Not backing off: it checks; the checker publishes the answer, or the failure, to every tab.
    checker.retryAt.mockReturnValue(0)
    await spy.post({ v: 1, from: 'asker', type: 'ask', maxAge: 30 * SECOND })
    await spy.barrier(1)
    expect(checker.check.mock.calls).toEqual([[{ why: 'tabs' }]])
  })

  it('should answer an ask with its failure while backing off without ever having had an answer', async () => {
    const { store, checker, tabs } = setup()
    tabs.connect()
    await isLeader(store)
    await spy.barrier(1) // past what it said on becoming leader (that it is asking the server)
    store.update({ stale: true, error: new NetworkError('whoami failed: down') })
    checker.check.mockClear()
    checker.retryAt.mockReturnValue(clock.now() + 30 * SECOND)
    const from = spy.messages.length
    await spy.post({ v: 1, from: 'asker', type: 'ask', maxAge: 30 * SECOND })
    expect(await spy.next((m) => m.type === 'state', from)).toMatchObject({
      status: 'loading',
      failure: { name: 'NetworkError', message: 'whoami failed: down' },
    })
    expect(checker.check).not.toHaveBeenCalled()
  })

  it('should not ask the server when the leader answers with its failure', async () => {
    const { checker, tabs } = await follower()
    tabs.ask(POLL)
    const failure = { name: 'ServerError', message: 'whoami answered 503', status: 503 }
    const state = {
      type: 'state',
      at: 0,
      status: 'loading',
      session: null,
      aal2RedirectTo: null,
      clockSkew: 0,
    }
    await spy.post({ v: 1, from: 'leader', ...state, failure })
    await clock.advance(2 * SECOND)
    expect(checker.check).not.toHaveBeenCalled()
    expect(checker.hear).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'loading', error: expect.any(Error) }),
    )
  })

  it('should ask the tabs, then the server, after two poll periods without news from the leader', async () => {
    const { checker } = await follower()
    const from = spy.messages.length
    await clock.advance(2 * POLL - 1)
    expect(spy.messages.slice(from).filter((m) => m.type === 'ask')).toEqual([])
    await clock.advance(1)
    expect(await spy.next((m) => m.type === 'ask', from)).toMatchObject({ maxAge: POLL })
    expect(checker.check).not.toHaveBeenCalled()
    await clock.advance(SECOND)
    expect(checker.check).toHaveBeenCalledTimes(1)
  })

  it("should hand another tab's state to the checker", async () => {
    const { checker } = await follower()
    const at = clock.now()
    await spy.post({
      v: 1,
      from: 'other',
      type: 'state',
      at,
      status: 'authenticated',
      session: kratosSession({ now: at }),
      aal2RedirectTo: null,
      clockSkew: 0,
      secondFactorUnavailable: true,
    })
    await vi.waitFor(() => expect(checker.hear).toHaveBeenCalledTimes(1))
    expect(checker.hear.mock.calls[0]?.[0]).toMatchObject({
      at,
      status: 'authenticated',
      secondFactorUnavailable: true,
    })
  })

  it('should publish the state with its session in cookie mode, and only a hint in token mode', async () => {
    const cookie = await follower()
    let from = spy.messages.length
    await cookie.tabs.publish(state(cookie.store), true)
    expect(await spy.next((m) => m.type === 'state', from)).toMatchObject({ status: 'authenticated' })

    const token = setup({ payloads: false })
    token.tabs.connect()
    await spy.barrier(2)
    from = spy.messages.length
    await token.tabs.publish(state(token.store), true)
    await spy.next((m) => m.type === 'hint', from)
    expect(spy.messages.slice(from).filter((m) => m.type === 'state')).toEqual([])
  })

  it('should leave the channel and stop watching the leader on disconnect', async () => {
    const { store, checker, tabs } = await follower()
    tabs.disconnect()
    expect(tabs.follower()).toBe(false)
    expect(store.getState().isLeader).toBe(false)
    await clock.advance(3 * POLL)
    expect(checker.check).not.toHaveBeenCalled()
  })

  it("should tell the leader about this tab's activity", async () => {
    const { tabs } = await follower()
    const from = spy.messages.length
    tabs.activity()
    expect(await spy.next((m) => m.type === 'active', from)).toMatchObject({ v: 1, type: 'active' })
  })

  it('should hear from every tab on joining: each answers the roll-call with whether it is on screen', async () => {
    const first = setup()
    first.tabs.connect()
    await isLeader(first.store)
    const firstId = (await spy.next((m) => m.type === 'visible')).from
    const records: unknown[] = []
    const log = ((type, data) => records.push({ type, ...data })) as Log
    const from = spy.messages.length
    setup({ log }).tabs.connect()
    // No barrier here: the spy's roll-call would make the first tab answer all the same.
    const asked = spy.messages.indexOf(await spy.next((m) => m.type === 'roll-call', from))
    await spy.next((m) => m.type === 'visible' && m.from === firstId, asked)
    expect(records).toContainEqual({ type: 'message', from: firstId, kind: 'visible', visible: true })
  })
})
