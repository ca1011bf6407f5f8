import type { Checker } from './createChecker.js'
import type { Reauth } from './createReauth.js'
import type { Scheduler } from './createScheduler.js'
import type { SessionStore } from './createSessionStore.js'
import type { TabSync } from './createTabSync.js'
import type { Log } from './InspectRecord.js'
import { listenToPage } from './listenToPage.js'
import { hasWindow } from './page.js'

export interface LifecycleDeps {
  store: SessionStore
  scheduler: Scheduler
  checker: Checker
  tabs: TabSync
  reauth: Pick<Reauth, 'arrival'>
  log: Log
  /** The page's wake-ups (focus, visibility, online): see `createWakeHandler`. */
  onWake: (event: Event) => void
  /** Page events that count as activity for auto-extension, and what to do on one. */
  activityEvents: readonly string[]
  onActivity: () => void
  pollInterval: number
}

/** `keeper.start()` and `keeper.stop()`. */
export interface Lifecycle {
  start(): () => void
  stop(): void
}

/**
 * Creates the keeper's `start`/`stop`: listening to the page, joining the other tabs, the
 * scheduler, and the first question of the session on start, which depends on how the page
 * arrived: a login popup confirms and closes, a return from a login round trip asks the server,
 * a new follower tab asks the other tabs, and anything still unknown asks the server. Both are
 * idempotent; `start` without a window (server rendering) does nothing.
 *
 * @example
 * const { start, stop } = createLifecycle({ store, scheduler, checker, tabs, reauth, log, onWake, activityEvents: [], onActivity, pollInterval })
 * const stopKeeper = start()
 */
export function createLifecycle(o: LifecycleDeps): Lifecycle {
  const { checker, tabs } = o
  let running = false
  let unlisten = () => {}

  function stop() {
    if (!running) return
    running = false
    o.scheduler.stop()
    unlisten()
    tabs.disconnect()
  }

  function start() {
    if (running) return stop
    if (!hasWindow()) {
      o.log('no-window')
      return stop
    }
    running = true
    checker.restart()
    unlisten = listenToPage(o.onWake, o.activityEvents, o.onActivity)
    const arrival = o.reauth.arrival()
    tabs.connect()
    const { status, phase } = o.store.getState()
    if (arrival === 'popup') {
      // The app in a login popup: confirm with the server, tell the other tabs, then close.
      void checker.check({ why: 'start' }).then(async (state) => {
        await tabs.publish(state, true)
        if (state.status === 'authenticated') window.close()
      })
    } else if (arrival === 'back' && tabs.follower()) {
      // Back from a login round trip: the other tabs hold what was true before it. Ask the
      // server; its answer reaches them.
      void checker.check({ why: 'start' })
    } else if (status === 'loading' && tabs.follower()) {
      // A new tab: the others know the state; the server is asked only if none answers, or
      // if they say signed out (this page may be the end of a sign-in they cannot know of).
      tabs.ask(o.pollInterval, true)
    } else if (status === 'loading' || phase === 'expired') {
      // Unknown yet, or an initialSession that already expired: ask the server.
      void checker.check({ why: 'start' })
    }
    o.scheduler.start()
    return stop
  }

  return { start, stop }
}
