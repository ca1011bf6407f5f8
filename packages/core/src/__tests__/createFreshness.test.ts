// Freshness alone (issue 12): a real store and scheduler on a hand clock; the maxAge lapse is a
// deadline on the scheduler, so it flips with no request.
import { describe, expect, it, vi } from 'vitest'
import { createFreshness } from '../createFreshness.js'
import { createScheduler } from '../createScheduler.js'
import { createSessionStore } from '../createSessionStore.js'
import { keptSession, MINUTE, quiet, SECOND, T0, unitClock } from './unitKit.js'

function setup({ authenticatedAgo = 0, skew = 0 } = {}) {
  const clock = unitClock()
  const store = createSessionStore({
    now: clock.now,
    expiringThreshold: 5 * MINUTE,
    initialSession: keptSession({ authenticatedAgo, expiresIn: 24 * 60 * MINUTE }),
  })
  store.update({ clockSkew: skew })
  const scheduler = createScheduler(clock, quiet)
  scheduler.start()
  return { clock, store, scheduler, ...createFreshness(store, scheduler, clock.now) }
}

describe('createFreshness', () => {
  it('should say whether the session meets the requirement now', () => {
    const { isFresh } = setup({ authenticatedAgo: 2 * MINUTE })
    expect(isFresh()).toBe(true)
    expect(isFresh({ maxAge: '5m' })).toBe(true)
    expect(isFresh({ maxAge: '1m' })).toBe(false)
    expect(isFresh({ aal: 'aal2' })).toBe(false)
  })

  it('should not count a session that is not signed in', () => {
    const { store, isFresh } = setup()
    store.update({ status: 'aal2-required' })
    expect(isFresh()).toBe(false)
  })

  it('should flip to stale at authenticated_at + maxAge on the scheduler, once', () => {
    const { clock, subscribeFreshness } = setup()
    const listener = vi.fn()
    subscribeFreshness({ maxAge: '5m' }, listener)
    expect(clock.timers.map((t) => t.at)).toEqual([T0 + 5 * MINUTE + 1])
    clock.advance(5 * MINUTE)
    expect(listener).not.toHaveBeenCalled()
    clock.advance(1)
    expect(listener.mock.calls).toEqual([[false]])
    // Stale now: nothing more to wait for.
    expect(clock.timers).toEqual([])
  })

  it('should lapse earlier by the clock skew when the server is ahead', () => {
    const { clock, subscribeFreshness } = setup({ skew: MINUTE })
    const listener = vi.fn()
    subscribeFreshness({ maxAge: '5m' }, listener)
    clock.advance(4 * MINUTE + 1)
    expect(listener.mock.calls).toEqual([[false]])
  })

  it('should flip back to fresh when a newer login arrives in state', () => {
    const { clock, store, subscribeFreshness } = setup({ authenticatedAgo: 10 * MINUTE })
    const listener = vi.fn()
    subscribeFreshness({ maxAge: '5m' }, listener)
    clock.advance(SECOND)
    store.update({ session: keptSession({ now: clock.now() }) })
    expect(listener.mock.calls).toEqual([[true]])
  })

  it('should stop listening and remove its deadline when unsubscribed', () => {
    const { clock, store, subscribeFreshness } = setup()
    const listener = vi.fn()
    const unsubscribe = subscribeFreshness({ maxAge: '5m' }, listener)
    unsubscribe()
    expect(clock.timers).toEqual([])
    store.update({ status: 'unauthenticated', session: null })
    expect(listener).not.toHaveBeenCalled()
  })
})
