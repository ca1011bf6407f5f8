// Helpers for the tab-sync tests (DESIGN §4): a keeper clock the test moves by hand, waiting on
// keeper state, and a raw broadcast-channel on the keepers' channel that records every message
// between tabs and can post its own. broadcast-channel runs on real timers (its message-based
// election has no Web Locks in jsdom or Node); only the keepers' own timers use the hand clock.
import { BroadcastChannel, createLeaderElection, OPEN_BROADCAST_CHANNELS } from 'broadcast-channel'
import { afterEach, beforeEach, vi } from 'vitest'
import type { KeeperClock } from '../resolveOptions.js'
import type { SessionKeeper } from '../SessionKeeper.js'
import type { SessionState } from '../types.js'
import type { FakeKratos } from './fakeKratosFetch.js'

/** 2026-03-02T10:00:00Z, where every hand clock starts. */
export const T0 = Date.parse('2026-03-02T10:00:00.000Z')

/** A {@link KeeperClock} whose time only moves when the test says so. */
export interface HandClock extends KeeperClock {
  /** Moves time forward by `ms`, running each timer that falls due at its own time. */
  advance(ms: number): Promise<void>
}

/**
 * Lets promise chains and broadcast-channel's zero-delay work run by yielding to the event loop
 * a few times. Only for asserting that something did NOT happen; wait on state or messages for
 * what should happen.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

export function handClock(start = T0): HandClock {
  let time = start
  let ids = 0
  const timers = new Map<number, { at: number; callback: () => void }>()
  return {
    now: () => time,
    setTimeout(callback, ms) {
      timers.set(++ids, { at: time + Math.max(0, ms), callback })
      return ids
    },
    clearTimeout(handle) {
      timers.delete(handle as number)
    },
    async advance(ms) {
      const end = time + ms
      for (;;) {
        let first: [number, { at: number; callback: () => void }] | undefined
        for (const entry of timers)
          if (entry[1].at <= end && (!first || entry[1].at < first[1].at)) first = entry
        if (!first) break
        timers.delete(first[0])
        time = Math.max(time, first[1].at)
        first[1].callback()
        await settle()
      }
      time = end
      await settle()
    },
  }
}

/** Resolves with the keeper's state once `predicate` holds (now or on a later change); the test timeout bounds it. */
export function until(
  keeper: SessionKeeper,
  predicate: (state: SessionState) => boolean,
): Promise<SessionState> {
  return new Promise((resolve) => {
    if (predicate(keeper.getState())) return resolve(keeper.getState())
    const unsubscribe = keeper.subscribe((state) => {
      if (!predicate(state)) return
      unsubscribe()
      resolve(state)
    })
  })
}

/** A message as it travels: anything at all, since malformed ones are part of the tests. */
// biome-ignore lint/suspicious/noExplicitAny: messages are read field by field in assertions
export type Raw = Record<string, any>

/** A raw broadcast-channel on the keepers' channel: records what the tabs send and can send anything. */
export interface ChannelSpy {
  readonly channel: BroadcastChannel<unknown>
  /** Every message received, in order (the spy does not receive its own). */
  readonly messages: Raw[]
  /** broadcast-channel's own election messages (`{ context: 'leader', action, token }`), in order. */
  readonly internal: Raw[]
  /** Resolves with the first election message from now on that matches. */
  nextInternal(predicate: (message: Raw) => boolean): Promise<Raw>
  /** Messages of one `type`. */
  ofType(type: string): Raw[]
  /** Resolves with the first message at index `from` or later that matches. */
  next(predicate: (message: Raw) => boolean, from?: number): Promise<Raw>
  post(message: unknown): Promise<void>
  /**
   * A round trip through `tabs` links: posts a roll-call and resolves once that many distinct
   * tabs answered it. Whatever those tabs sent before answering has then arrived.
   */
  barrier(tabs: number): Promise<void>
  close(): Promise<void>
}

export function spyChannel(name: string): ChannelSpy {
  const channel = new BroadcastChannel<unknown>(name, { type: 'simulate' })
  const messages: Raw[] = []
  const internal: Raw[] = []
  const waiters = new Set<() => void>()
  channel.onmessage = (data) => {
    messages.push(data as Raw)
    for (const waiter of [...waiters]) waiter()
  }
  channel.addEventListener('internal', (data) => {
    internal.push(data as Raw)
    for (const waiter of [...waiters]) waiter()
  })
  const next = (predicate: (message: Raw) => boolean, from = 0) =>
    new Promise<Raw>((resolve) => {
      const look = () => {
        const found = messages.slice(from).find((message) => predicate(message))
        if (!found) return
        waiters.delete(look)
        resolve(found)
      }
      waiters.add(look)
      look()
    })
  let barriers = 0
  return {
    channel,
    messages,
    internal,
    nextInternal(predicate) {
      const from = internal.length
      return new Promise<Raw>((resolve) => {
        const look = () => {
          const found = internal.slice(from).find((message) => predicate(message))
          if (!found) return
          waiters.delete(look)
          resolve(found)
        }
        waiters.add(look)
      })
    },
    ofType: (type) => messages.filter((message) => message?.type === type),
    next,
    post: (message) => channel.postMessage(message),
    async barrier(tabs) {
      const from = messages.length
      const answered = new Set<string>()
      const done = next((message) => {
        if (message?.type === 'visible') answered.add(message.from)
        return answered.size >= tabs
      }, from)
      await channel.postMessage({ v: 1, from: `barrier-${++barriers}`, type: 'roll-call' })
      await done
    },
    close: () => channel.close(),
  }
}

/**
 * Resolves once every channel now open under `name` has been closed, by whoever closes it (a
 * stopped keeper closes its link asynchronously). A channel nobody closes keeps it pending: a leak
 * fails the test by its timeout.
 */
export function channelsClosed(name: string): Promise<unknown> {
  const open = [...OPEN_BROADCAST_CHANNELS].filter((channel) => channel.name === name)
  return Promise.all(
    open.map(
      (channel) =>
        new Promise((resolve) => {
          const close = channel.close.bind(channel)
          Object.assign(channel, { close: () => Promise.resolve(close()).then(resolve) })
        }),
    ),
  )
}

let channels = 0
/** A channel name no other test uses. */
export const uniqueChannel = () => `session-keeper:test-${process.pid}-${++channels}-${Math.random()}`

/** What each tab-sync test gets: a channel name no other test uses, a spy on it, a hand clock. */
export interface TabRig {
  name: string
  spy: ChannelSpy
  clock: HandClock
}

export function tabRig(): TabRig {
  const name = uniqueChannel()
  return { name, clock: handClock(), spy: spyChannel(name) }
}

/**
 * Ends a test on `rig`'s channel: `stop` closes the test's links (or stops its keepers), then the
 * `cleanups` run and the spy closes; resolves once every channel under the name is closed.
 */
export async function closeTabRig(
  rig: TabRig,
  stop: () => unknown,
  cleanups: Array<() => Promise<unknown>>,
): Promise<void> {
  const closed = channelsClosed(rig.name)
  await stop()
  for (const cleanup of cleanups.splice(0)) await cleanup()
  await rig.spy.close()
  await closed
}

/**
 * A fresh {@link TabRig} around each test, for tests of the tab link alone; `stop` closes the
 * test's links. Returns the `cleanups` to run after them.
 */
export function useTabChannel(
  onEach: (rig: TabRig) => void,
  stop: () => Promise<unknown>,
): Array<() => Promise<unknown>> {
  let rig: TabRig
  const cleanups: Array<() => Promise<unknown>> = []
  beforeEach(() => {
    rig = tabRig()
    onEach(rig)
  })
  afterEach(async () => {
    await closeTabRig(rig, stop, cleanups)
    vi.restoreAllMocks()
  })
  return cleanups
}

/** How many whoami requests `kratos` has seen. */
export const whoamis = (kratos: FakeKratos) =>
  kratos.requests.filter((r) => r.url.endsWith('/sessions/whoami')).length

/** A tab on `name` that takes the leadership and never answers; its channel closes with `cleanups`. */
export async function holdLeadership(name: string, cleanups: Array<() => Promise<unknown>>) {
  const channel = new BroadcastChannel(name, { type: 'simulate' })
  const elector = createLeaderElection(channel)
  cleanups.push(() => channel.close())
  await elector.awaitLeadership()
  return elector
}
