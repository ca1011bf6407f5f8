// @vitest-environment jsdom
// The countdown alone (issue 12): a real store and scheduler on a hand clock; jsdom for
// document.visibilityState.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCountdown } from '../createCountdown.js'
import { createScheduler } from '../createScheduler.js'
import { createSessionStore } from '../createSessionStore.js'
import { keptSession, MINUTE, quiet, SECOND, unitClock } from './unitKit.js'

function setup({ signedIn = true, visibility = 'visible' } = {}) {
  const visibilityState = vi.spyOn(document, 'visibilityState', 'get')
  visibilityState.mockReturnValue(visibility as DocumentVisibilityState)
  const clock = unitClock()
  const store = createSessionStore({
    now: clock.now,
    expiringThreshold: 5 * MINUTE,
    initialSession: signedIn ? keptSession({ expiresIn: 10 * MINUTE }) : null,
  })
  const scheduler = createScheduler(clock, quiet)
  scheduler.start()
  return { clock, store, scheduler, visibilityState, ...createCountdown(store, scheduler, clock.now) }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('createCountdown', () => {
  it('should tell the time left, 0 once past, and null without a session', () => {
    const { clock, store, timeLeft } = setup()
    expect(timeLeft()).toBe(10 * MINUTE)
    store.update({ clockSkew: MINUTE })
    expect(timeLeft()).toBe(9 * MINUTE)
    clock.advance(20 * MINUTE)
    expect(timeLeft()).toBe(0)
    expect(setup({ signedIn: false }).timeLeft()).toBeNull()
  })

  it('should beat every period while visible with a session', () => {
    const { clock, subscribeCountdown } = setup()
    const beat = vi.fn()
    subscribeCountdown('1s', beat)
    clock.advance(3 * SECOND)
    expect(beat).toHaveBeenCalledTimes(3)
  })

  it('should not beat, nor set a timer, while the page is hidden', () => {
    const { clock, scheduler, visibilityState, subscribeCountdown } = setup({ visibility: 'hidden' })
    const beat = vi.fn()
    subscribeCountdown('1s', beat)
    expect(clock.timers).toEqual([])
    clock.advance(5 * SECOND)
    expect(beat).not.toHaveBeenCalled()
    // Back on screen: a beat at once (the shown time is old), then one per period.
    visibilityState.mockReturnValue('visible')
    scheduler.schedule()
    clock.advance(0)
    expect(beat).toHaveBeenCalledTimes(1)
    clock.advance(SECOND)
    expect(beat).toHaveBeenCalledTimes(2)
  })

  it('should not beat without a session', () => {
    const { clock, subscribeCountdown } = setup({ signedIn: false })
    const beat = vi.fn()
    subscribeCountdown(SECOND, beat)
    expect(clock.timers).toEqual([])
    clock.advance(5 * SECOND)
    expect(beat).not.toHaveBeenCalled()
  })

  it('should stop beating when unsubscribed', () => {
    const { clock, subscribeCountdown } = setup()
    const beat = vi.fn()
    const unsubscribe = subscribeCountdown('1s', beat)
    clock.advance(SECOND)
    unsubscribe()
    clock.advance(5 * SECOND)
    expect(beat).toHaveBeenCalledTimes(1)
  })
})
