// The expiry deadlines alone (issue 12): a real store and scheduler on a hand clock.
import { describe, expect, it, vi } from 'vitest'
import { createScheduler } from '../createScheduler.js'
import { createSessionStore } from '../createSessionStore.js'
import { watchExpiry } from '../watchExpiry.js'
import { keptSession, MINUTE, quiet, T0, unitClock } from './unitKit.js'

const THRESHOLD = 5 * MINUTE

function setup({ leader = true, skew = 0 } = {}) {
  const clock = unitClock()
  const store = createSessionStore({
    now: clock.now,
    expiringThreshold: THRESHOLD,
    initialSession: keptSession({ expiresIn: 10 * MINUTE }),
  })
  store.update({ isLeader: leader, clockSkew: skew })
  const scheduler = createScheduler(clock, quiet)
  const confirm = vi.fn()
  const unwatch = watchExpiry(store, scheduler, THRESHOLD, confirm)
  scheduler.start()
  return { clock, store, confirm, unwatch }
}

describe('watchExpiry', () => {
  it('should move the phase to expiring and then expired at their deadlines, with no other wake-up', () => {
    const { clock, store } = setup()
    expect(clock.timers.map((t) => t.at)).toEqual([T0 + 5 * MINUTE])
    clock.advance(5 * MINUTE)
    expect(store.getState().phase).toBe('expiring')
    expect(clock.timers.map((t) => t.at)).toEqual([T0 + 10 * MINUTE])
    clock.advance(5 * MINUTE)
    expect(store.getState()).toMatchObject({ phase: 'expired', status: 'unauthenticated' })
    expect(clock.timers).toEqual([])
  })

  it('should ask the server to confirm the expiry once, in the leader', () => {
    const { clock, confirm } = setup()
    clock.advance(5 * MINUTE)
    expect(confirm).not.toHaveBeenCalled()
    clock.advance(5 * MINUTE)
    expect(confirm).toHaveBeenCalledTimes(1)
    clock.advance(60 * MINUTE)
    expect(confirm).toHaveBeenCalledTimes(1)
  })

  it('should not confirm in a follower', () => {
    const { clock, store, confirm } = setup({ leader: false })
    clock.advance(10 * MINUTE)
    expect(store.getState().phase).toBe('expired')
    expect(confirm).not.toHaveBeenCalled()
  })

  it('should move its deadlines by the clock skew', () => {
    // The server is one minute ahead: the session ends a minute earlier in local time.
    const { clock, store } = setup({ skew: MINUTE })
    expect(clock.timers.map((t) => t.at)).toEqual([T0 + 4 * MINUTE])
    clock.advance(9 * MINUTE)
    expect(store.getState().phase).toBe('expired')
  })

  it('should stop watching once removed', () => {
    const { clock, store, unwatch } = setup()
    unwatch()
    expect(clock.timers).toEqual([])
    clock.advance(10 * MINUTE)
    expect(store.getState().phase).toBe('active')
  })
})
