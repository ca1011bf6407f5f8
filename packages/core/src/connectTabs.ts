import { BroadcastChannel, createLeaderElection } from 'broadcast-channel'
import type { Log } from './InspectRecord.js'
import {
  type RemoteState,
  readTabMessage,
  remoteState,
  stateMessage,
  type TabMessage,
  type TabMessageBody,
} from './TabMessage.js'
import type { SessionState } from './types.js'

/** How tabs sync; `method` is for tests (`'simulate'` runs in memory). */
export interface TabSyncOptions {
  /** Channel name. @default `session-keeper:<origin of baseUrl>` */
  channel?: string
  method?: 'native' | 'idb' | 'localstorage' | 'simulate'
}

/** What the keeper does with what arrives. */
export interface TabHost {
  /** This tab won the election: it polls from now on. */
  leader(): void
  /** Another tab's answer from the server. */
  state(state: RemoteState): void
  /** Another tab saw a change that could not travel: ask the server. */
  hint(): void
  /** (Leader only) a tab wants a state no older than `maxAge` ms. */
  ask(maxAge: number): void
  /** Whether this tab is on screen. */
  visible(): boolean
  /** Another tab came on screen or left it: the leader's cadence may change. */
  visibilityChanged(): void
  /** (Leader only) the user is active in another tab. */
  activity(): void
  log: Log
}

/** The keeper's end of the channel. */
export interface TabLink {
  isLeader(): boolean
  /** Whether this or any other tab is on screen (the leader then polls at `pollInterval`). */
  anyVisible(): boolean
  /** Sends this tab's server answer: the state itself, or a hint when it must not travel (`changed` only). */
  publish(state: SessionState, changed: boolean): Promise<void>
  ask(maxAge: number): void
  /** Tells the leader this tab's visibility changed. */
  visibility(): void
  /** Tells the leader the user is active in this tab. */
  activity(): void
  /** Forgets which tabs are on screen and asks them again: a tab that crashed never said it left. */
  recount(): void
  close(): Promise<void>
}

/** A valid message as the inspection stream tells of it: who sent what, never its payload. */
const sender = ({ from, type, visible }: TabMessage & { visible?: boolean }) => ({
  from,
  kind: type,
  visible,
})

/**
 * Joins the keeper to the other tabs of the app: a broadcast-channel for messages and its
 * leader election (a Web Lock where the browser has them) so that one tab polls. Payloads only
 * travel over the native BroadcastChannel, which keeps nothing: the IndexedDB and localStorage
 * fallbacks would write the session to disk, so over them only hints are sent, as in token mode.
 */
export function connectTabs(
  name: string,
  method: TabSyncOptions['method'],
  payloads: boolean,
  host: TabHost,
): TabLink {
  const channel = new BroadcastChannel<TabMessage>(name, { type: method, webWorkerSupport: false })
  const carry = payloads && (channel.type === 'native' || channel.type === 'simulate')
  const elector = createLeaderElection(channel)
  const from = Math.random().toString(36).slice(2)
  const visibleTabs = new Set<string>()
  let leader = false
  let closed = false
  let ignored = 0

  const fail = (error: unknown) => host.log('error', { error })
  const malformed = () => host.log('malformed', { count: ++ignored })
  const post = (message: TabMessageBody) =>
    closed ? Promise.resolve() : channel.postMessage({ v: 1, from, ...message } as TabMessage).catch(fail)

  channel.onmessage = (data) => {
    const message = readTabMessage(data)
    if (!message) return malformed()
    host.log('message', sender(message))
    switch (message.type) {
      case 'state': {
        const state = remoteState(message)
        return state ? host.state(state) : malformed()
      }
      case 'hint':
        return host.hint()
      case 'ask':
        return leader && host.ask(message.maxAge)
      case 'visible':
        if (message.visible) visibleTabs.add(message.from)
        else visibleTabs.delete(message.from)
        return host.visibilityChanged()
      case 'roll-call':
        return link.visibility()
      case 'active':
        return leader && host.activity()
    }
  }

  elector.awaitLeadership().then(() => {
    if (closed) return
    leader = true
    link.recount()
    host.leader()
  }, fail)

  const link: TabLink = {
    isLeader: () => leader,
    anyVisible: () => host.visible() || visibleTabs.size > 0,
    publish(state, changed) {
      if (!carry) return changed ? post({ type: 'hint', at: state.lastCheckedAt ?? 0 }) : Promise.resolve()
      return post(stateMessage(state))
    },
    ask: (maxAge) => void post({ type: 'ask', maxAge }),
    activity: () => void post({ type: 'active' }),
    visibility: () => void post({ type: 'visible', visible: host.visible() }),
    recount() {
      visibleTabs.clear()
      void post({ type: 'roll-call' })
    },
    async close() {
      if (closed) return
      // Tell the leader this tab no longer counts as visible before leaving.
      await post({ type: 'visible', visible: false })
      closed = true
      leader = false
      await elector.die()
      // Without Web Locks (Node, jsdom, older Safari) broadcast-channel elects by messages, and
      // a round it had queued still posts an `apply` after die(): on the closed channel that
      // rejects unhandled inside the library, and before it holds up the other tabs' election.
      // A dead elector has nothing left to say.
      Object.assign(channel, { postInternal: () => Promise.resolve() })
      await channel.close()
    },
  }
  return link
}
