import type { Scheduler } from './createScheduler.js'
import type { SessionStore } from './createSessionStore.js'

/**
 * Moves `phase` on the keeper's timer: to `expiring` at `expires_at - expiringThreshold`, to
 * `expired` at `expires_at` (local time, corrected by the clock skew), without waiting for a
 * poll. At expiry the leader asks the server to confirm (`confirm`). Returns the removal.
 *
 * @example
 * watchExpiry(store, scheduler, 300_000, () => void checker.check())
 */
export function watchExpiry(
  store: SessionStore,
  scheduler: Scheduler,
  expiringThreshold: number,
  confirm: () => void,
): () => void {
  return scheduler.watch({
    name: 'expiry',
    due() {
      const { phase, clockSkew } = store.getState()
      const expiry = store.expiresAt() - clockSkew // in local time
      return phase === 'active' ? expiry - expiringThreshold : phase === 'expiring' ? expiry : Infinity
    },
    run() {
      const before = store.getState().phase
      store.update({})
      const { phase, isLeader } = store.getState()
      if (isLeader && phase === 'expired' && before !== 'expired') confirm()
    },
  })
}
