import { createChecker } from './createChecker.js'
import { createCountdown } from './createCountdown.js'
import { createEvents } from './createEvents.js'
import { createExtension } from './createExtension.js'
import { createFreshness } from './createFreshness.js'
import { createHttp } from './createHttp.js'
import { createInspector } from './createInspector.js'
import { createLifecycle } from './createLifecycle.js'
import { createLogout } from './createLogout.js'
import { createReauth } from './createReauth.js'
import { createReauthFlow } from './createReauthFlow.js'
import { createScheduler } from './createScheduler.js'
import { createSessionStore } from './createSessionStore.js'
import { createTabSync } from './createTabSync.js'
import { createWakeHandler } from './createWakeHandler.js'
import { pageLocation } from './page.js'
import { resolveOptions, type SessionKeeperOptions } from './resolveOptions.js'
import type { SessionKeeper } from './SessionKeeper.js'
import { watchExpiry } from './watchExpiry.js'

/**
 * Creates a keeper for one browser app's Ory session. Options are checked here: a bad one
 * throws a `TypeError` naming it. Nothing touches the network or the page before `start()`.
 * This function only wires the parts together (ARCHITECTURE.md draws them); each lives in its
 * own module with what it needs passed in.
 *
 * @example
 * const keeper = createSessionKeeper({ baseUrl: 'https://auth.example.com', expiringThreshold: '2m' })
 * keeper.on('expiring', () => showBanner('Your session ends soon'))
 * const stop = keeper.start()
 */
/* @__NO_SIDE_EFFECTS__ */
export function createSessionKeeper(options: SessionKeeperOptions): SessionKeeper {
  const o = resolveOptions(options)
  const { clock, baseUrl, sessionToken } = o
  const now = () => clock.now()
  const inspector = createInspector(now, o.debug)
  const { log, attempt } = inspector
  const report = o.onError ?? ((error: unknown) => console.warn('[session-keeper]', error))
  const allowed = () => [pageLocation()?.origin ?? '', ...o.returnToAllowList]
  const http = createHttp(o)

  const store = createSessionStore({ now, ...o })
  const scheduler = createScheduler(clock, log)
  const parts = { ...o, http, now, store, scheduler, log, attempt, report, allowed }
  const freshness = createFreshness(store, scheduler, now)
  // The phase moves before the poll looks at it: watchers run in the order they were added.
  watchExpiry(store, scheduler, o.expiringThreshold, () => void checker.check({ why: 'expiry' }))
  const reauth = createReauth({ ...parts, freshness, check: () => checker.check({ why: 'reauth' }) })
  const checker = createChecker({
    ...parts,
    allHidden: () => tabs.allHidden(),
    publish: (state, changed) => void tabs.publish(state, changed),
    proves: reauth.proves,
    reportAll: !!o.onError,
  })
  const extension = createExtension({ ...parts, tabs: () => tabs, check: checker.check })
  const tabs = createTabSync({
    ...parts,
    channel: `session-keeper:${new URL(baseUrl).origin}`,
    payloads: !sessionToken,
    checker: () => checker,
    onActivity: extension.onActivity,
  })
  const { start, stop } = createLifecycle({
    ...parts,
    checker,
    tabs,
    reauth,
    onWake: createWakeHandler({ ...parts, checker, tabs }),
    activityEvents: o.autoExtend?.activityEvents ?? [],
    onActivity: extension.onActivity,
  })

  store.subscribe((state, prev) => {
    log('state', { state, previous: prev })
    // A new session moves the expiry and freshness deadlines.
    if (state.session !== prev.session || state.clockSkew !== prev.clockSkew) scheduler.schedule()
  })

  return {
    start,
    stop,
    getState: store.getState,
    getInitialState: store.getInitialState,
    subscribe: store.subscribe,
    check: checker.check,
    ...freshness,
    ...createCountdown(store, scheduler, now),
    loginUrl: reauth.loginUrl,
    reauthenticate: (options) => attempt('reauth', reauth.reauthenticate(options)),
    createReauthFlow: createReauthFlow({ ...parts, ...reauth, ...checker }),
    extend: extension.extend,
    logout: createLogout({ ...parts, conclude: checker.conclude }),
    on: createEvents(store),
    inspect: inspector.inspect,
  }
}
