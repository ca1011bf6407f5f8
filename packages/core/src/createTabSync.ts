import { connectTabs, type TabLink, type TabSyncOptions } from './connectTabs.js'
import { type Asker, createAsker } from './createAsker.js'
import type { Checker } from './createChecker.js'
import type { Scheduler } from './createScheduler.js'
import type { SessionStore } from './createSessionStore.js'
import type { Log } from './InspectRecord.js'
import { isHidden } from './page.js'
import type { SessionState } from './types.js'

/** The keeper's side of tab sync: what it tells the other tabs and asks of them. */
export interface TabSync {
  /** Joins the other tabs (or, with `tabSync: false`, becomes the only leader). */
  connect(): void
  disconnect(): void
  /** Whether another tab polls for this one: tab sync is on and this tab is not the leader. */
  follower(): boolean
  /** Sends this tab's server answer (or a hint, where a session must not travel); resolves once posted. */
  publish(state: SessionState, changed: boolean): Promise<void>
  /** Whether no tab of the app is on screen. */
  allHidden(): boolean
  /** This page came on or went off screen. */
  visibilityChanged(): void
  /** Tells the leader the user is active here. */
  activity(): void
  /** Asks the tabs for a state no older than `maxAge`, then the server: see {@link Asker.ask}. */
  ask: Asker['ask']
}

export interface TabSyncDeps {
  tabSync: boolean | TabSyncOptions
  /** The channel when `tabSync` names none. */
  channel: string
  /** Whether sessions may travel (cookie mode); in token mode only hints do. */
  payloads: boolean
  pollInterval: number
  /** Whoami request timeout: how long a leader asking the server may take to answer. */
  timeout: number
  now: () => number
  store: SessionStore
  scheduler: Scheduler
  checker: () => Checker
  /** Activity in another tab, reaching the leader. */
  onActivity(): void
  log: Log
}

/**
 * A frozen or stuck leader must not leave a visible tab stale: past two poll periods without
 * news, a follower asks the tabs, and the server when nobody answers. Returns the removal.
 */
function watchLeader(o: TabSyncDeps, ask: (maxAge: number) => void): () => void {
  const get = o.store.getState
  let askedAt = o.now()
  return o.scheduler.watch({
    name: 'leader',
    due: () =>
      get().isLeader || isHidden()
        ? Infinity
        : Math.max(get().lastCheckedAt ?? 0, askedAt) + 2 * o.pollInterval,
    run() {
      askedAt = o.now()
      ask(o.pollInterval)
    },
  })
}

/**
 * Creates the tab sync over {@link connectTabs}: the leader polls and answers the others,
 * followers take its answers, and a follower whose leader froze (no news for two poll periods)
 * asks the tabs and then the server, so no visible tab stays stale.
 *
 * @example
 * const tabs = createTabSync({ tabSync: true, channel: 'session-keeper:https://auth.example.com', ... })
 * tabs.connect()
 */
/* @__NO_SIDE_EFFECTS__ */
export function createTabSync(o: TabSyncDeps): TabSync {
  const { now, store, scheduler } = o
  const get = store.getState
  const checkedAt = () => get().lastCheckedAt ?? -Infinity
  let link: TabLink | undefined
  let unwatchLeader = () => {}
  // (Leader) a state without an answer yet: tells whoever asked that one is on its way.
  const promiseAnswer = () => get().status === 'loading' && void link?.publish(get(), false)

  const asker = createAsker({ ...o, send: (maxAge) => link?.ask(maxAge) })
  const { ask } = asker

  // Answers from other tabs; applying one never sends it on.
  const host = {
    leader() {
      store.update({ isLeader: true })
      // A server-rendered session counts as checked at start; unknown, or older than a poll: check.
      const { status, lastCheckedAt } = get()
      const checker = o.checker()
      if (status === 'loading' || now() - (lastCheckedAt ?? checker.pollFrom()) > o.pollInterval)
        void checker.check({ why: 'tabs' })
      promiseAnswer()
      scheduler.schedule()
    },
    state: asker.hear,
    hint: () => void o.checker().check({ why: 'hint' }, false),
    activity: o.onActivity,
    ask(maxAge: number) {
      const checker = o.checker()
      // Recent enough, or backing off (the next try is set, never sooner): answer with what this
      // tab holds, so that the asker waits for this tab instead of asking the server itself.
      if (now() - checkedAt() <= maxAge || checker.retryAt() > now()) return void link?.publish(get(), false)
      // Its answer, or its failure, reaches every tab.
      void checker.check({ why: 'tabs' })
      promiseAnswer()
    },
    visible: () => !isHidden(),
    visibilityChanged: scheduler.schedule,
    log: o.log,
  }

  function connect() {
    if (o.tabSync === false) return store.update({ isLeader: true })
    const { channel = o.channel, method } = o.tabSync === true ? {} : o.tabSync
    link = connectTabs(channel, method, o.payloads, host)
    link.visibility()
    // Every tab answers with whether it is on screen: a joining tab knows them all at once, and
    // so does whatever reads its inspection stream (the devtools' list of tabs).
    link.recount()
    unwatchLeader = watchLeader(o, ask)
  }

  return {
    connect,
    disconnect() {
      void link?.close()
      link = undefined
      unwatchLeader()
      store.update({ isLeader: false })
    },
    follower: () => !!link && !get().isLeader,
    publish: async (state, changed) => link?.publish(state, changed),
    allHidden: () => (link ? !link.anyVisible() : isHidden()),
    visibilityChanged() {
      link?.visibility()
      // The leader going off screen decides between the two cadences: ask who is still on it.
      if (get().isLeader && isHidden()) link?.recount()
    },
    activity: () => link?.activity(),
    ask,
  }
}
