import type { Checker } from './createChecker.js'
import type { Scheduler } from './createScheduler.js'
import type { SessionStore } from './createSessionStore.js'
import type { RemoteState } from './TabMessage.js'

/** A follower's questions to the other tabs, and the server as the fallback. */
export interface Asker {
  /**
   * Asks the tabs for a state no older than `maxAge`; without an answer within a second, asks
   * the server. With `confirmSignedOut` (a page that just loaded), a signed-out answer is
   * confirmed with the server: a sign-in is a navigation, so the other tabs cannot know of it yet.
   */
  ask(maxAge: number, confirmSignedOut?: boolean): void
  /**
   * Another tab's state, which any ask counts as its answer; a `loading` one without a failure
   * is a leader's word that it is asking the server for everyone, and its answer is then
   * waited for as long as a request may take (`timeout`) instead of a second.
   */
  hear(remote: RemoteState): void
}

export interface AskerDeps {
  now: () => number
  store: SessionStore
  scheduler: Scheduler
  checker: () => Checker
  /** Whoami request timeout. */
  timeout: number
  /** Posts the question to the other tabs. */
  send(maxAge: number): void
}

const SECOND = 1_000

/**
 * Creates the asker of the tab sync: one question, one deadline on the scheduler, and a
 * whoami only when no tab answered by then. A leader that is itself waiting for the server says
 * so, so that a slow first answer does not make every tab of a restored window ask too.
 *
 * @example
 * const asker = createAsker({ now, store, scheduler, checker: () => checker, timeout: 10_000, send: (maxAge) => link.ask(maxAge) })
 * asker.ask(60_000, true)
 */
export function createAsker(o: AskerDeps): Asker {
  const { now, store, scheduler } = o
  const get = store.getState
  // States heard from other tabs, newer or not: any one after an ask proves a leader alive.
  let heard = 0
  // Until when a leader that said it is asking the server is waited for.
  let answerBy = 0

  return {
    ask(maxAge, confirmSignedOut = false) {
      const before = { heard, checkedAt: get().lastCheckedAt }
      const since = now()
      // The first answer after the ask: a signed-out one is confirmed with the server.
      const unsubscribe = confirmSignedOut
        ? store.subscribe((state) => {
            if (state.lastCheckedAt === before.checkedAt) return
            unsubscribe()
            if (state.status === 'unauthenticated') void o.checker().check({ why: 'tabs' })
          })
        : () => {}
      o.send(maxAge)
      const unwatch = scheduler.watch({
        name: 'ask',
        due: () => Math.max(since + SECOND, answerBy),
        run: () => {
          unwatch()
          unsubscribe()
          if (heard === before.heard && get().lastCheckedAt === before.checkedAt)
            void o.checker().check({ why: 'tabs' })
        },
      })
    },
    hear(remote) {
      if (remote.status === 'loading' && !remote.error) {
        answerBy = now() + o.timeout + SECOND
        return scheduler.schedule()
      }
      heard++
      o.checker().hear(remote)
    },
  }
}
