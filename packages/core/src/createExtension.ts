import type { KyInstance } from 'ky'
import type { Inspector } from './createInspector.js'
import type { SessionStore } from './createSessionStore.js'
import type { TabSync } from './createTabSync.js'
import { pageLocation } from './page.js'
import type { ResolvedOptions } from './resolveOptions.js'
import type { SessionKeeperError } from './SessionKeeperError.js'
import { settleResponse } from './settleResponse.js'
import type { SessionState } from './types.js'

/** Extending the session through the app's backend, by hand and on activity. */
export interface Extension {
  extend(): Promise<boolean>
  /** Activity here or in another tab: inside the window, once per `minInterval`, the leader extends. */
  onActivity(): void
}

export interface ExtensionDeps {
  extend: ResolvedOptions['extend']
  autoExtend: ResolvedOptions['autoExtend']
  http: KyInstance
  now: () => number
  store: SessionStore
  tabs: () => TabSync
  check(options: { force: boolean; why: 'extend' }): Promise<SessionState>
  attempt: Inspector['attempt']
  report(error: SessionKeeperError): void
}

/**
 * Creates extension: one extension at a time, then a forced check so every tab gets the new
 * `expires_at`; with `autoExtend`, only inside Kratos's extension window and at most once per
 * `minInterval` across tabs (followers tell the leader, which extends).
 *
 * @example
 * const extension = createExtension({ extend: { url: '/api/session/extend' }, autoExtend, http, now, store, tabs, check, report })
 * await extension.extend() // true when expires_at moved later
 */
/* @__NO_SIDE_EFFECTS__ */
export function createExtension(o: ExtensionDeps): Extension {
  const { autoExtend, now, store } = o
  let extending: Promise<boolean> | undefined
  // Local time of the last extension this tab made, asked the leader for, or saw arrive.
  let extendedAt = -Infinity

  // Whether the session is inside the `autoExtend` window: an extension now would take.
  const extendable = ({ earliestPossibleExtend }: { earliestPossibleExtend: number }) =>
    store.getState().status === 'authenticated' && store.remaining() < earliestPossibleExtend

  // An extension (or a login) made elsewhere counts towards minInterval here too.
  store.subscribe((state, prev) => {
    if (store.expiresAt(state) > store.expiresAt(prev)) extendedAt = Math.max(extendedAt, now())
  })

  // Recorded as an attempt and its outcome on the inspection stream.
  const extend = () => o.attempt('extend', run())

  async function run(): Promise<boolean> {
    const how = o.extend
    if (!how) throw new TypeError('createSessionKeeper: extend() needs the "extend" option')
    // Kratos would take the call and silently change nothing.
    if (autoExtend && !extendable(autoExtend)) return false
    extending ??= (async () => {
      const before = store.expiresAt()
      extendedAt = now()
      try {
        if (typeof how === 'function') await how(store.getState())
        // 429: the backend's own minInterval; the check below tells what is true. The body is
        // read, not cancelled: a cancelled one shows as a failed request in the Network panel.
        else {
          const url = new URL(how.url, pageLocation()?.href).href
          await (await settleResponse('extend', o.http.post(url, { prefixUrl: '' }), 429)).text()
        }
        return store.expiresAt(await o.check({ force: true, why: 'extend' })) > before
      } finally {
        extending = undefined
      }
    })()
    return extending
  }

  return {
    extend,
    // A few comparisons per event, so pointermove needs no throttle of its own.
    onActivity() {
      if (!autoExtend || !extendable(autoExtend) || now() - extendedAt < autoExtend.minInterval) return
      if (o.tabs().follower()) {
        extendedAt = now()
        o.tabs().activity()
      } else extend().catch(o.report)
    },
  }
}
