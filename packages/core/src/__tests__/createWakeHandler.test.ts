// @vitest-environment jsdom
// The wake-up handler alone (issue 12): a real store and scheduler on a hand clock, a recording
// checker and tab sync, events handed to it directly; jsdom for document.visibilityState.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Checker } from '../createChecker.js'
import { createScheduler } from '../createScheduler.js'
import { createSessionStore } from '../createSessionStore.js'
import type { TabSync } from '../createTabSync.js'
import { createWakeHandler } from '../createWakeHandler.js'
import { NetworkError, ServerError } from '../SessionKeeperError.js'
import { MINUTE, quiet, T0, unitClock } from './unitKit.js'

const RECHECK = MINUTE

function setup({ follower = false, lastCheckedAt = T0, retryAt = 0, visibility = 'visible' } = {}) {
  vi.spyOn(document, 'visibilityState', 'get').mockReturnValue(visibility as DocumentVisibilityState)
  const clock = unitClock()
  const store = createSessionStore({
    now: clock.now,
    expiringThreshold: 5 * MINUTE,
    initialSession: undefined,
  })
  store.update({ lastCheckedAt })
  const scheduler = createScheduler(clock, quiet)
  const checker = { check: vi.fn(), pollFrom: vi.fn(() => T0), retryAt: vi.fn(() => retryAt) }
  const tabs = { follower: vi.fn(() => follower), ask: vi.fn(), visibilityChanged: vi.fn() }
  const tick = vi.spyOn(scheduler, 'tick')
  const onWake = createWakeHandler({
    store,
    scheduler,
    checker: checker as unknown as Checker,
    tabs: tabs as unknown as TabSync,
    now: clock.now,
    recheckOnFocusAfter: RECHECK,
  })
  const wake = (type: string) => onWake(new Event(type))
  return { clock, store, checker, tabs, tick, wake }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('createWakeHandler', () => {
  it('should check on focus when the last answer is older than recheckOnFocusAfter', () => {
    const { clock, checker, wake } = setup()
    clock.advance(RECHECK)
    wake('focus')
    expect(checker.check).not.toHaveBeenCalled()
    clock.advance(1)
    wake('focus')
    expect(checker.check).toHaveBeenCalledTimes(1)
  })

  it('should count from the start before the first answer', () => {
    const { clock, checker, wake } = setup({ lastCheckedAt: null as never })
    clock.advance(RECHECK + 1)
    wake('pageshow')
    expect(checker.pollFrom).toHaveBeenCalled()
    expect(checker.check).toHaveBeenCalledTimes(1)
  })

  it('should not check during a backoff', () => {
    const { clock, checker, wake } = setup({ retryAt: T0 + 2 * RECHECK })
    clock.advance(RECHECK + 1)
    wake('focus')
    expect(checker.check).not.toHaveBeenCalled()
  })

  it('should not check on a hidden page', () => {
    const { clock, checker, wake } = setup({ visibility: 'hidden' })
    clock.advance(RECHECK + 1)
    wake('visibilitychange')
    expect(checker.check).not.toHaveBeenCalled()
  })

  it('should check at once when the network comes back after a network error, and only then', () => {
    const { store, checker, wake } = setup()
    store.update({ error: new ServerError('whoami answered 500', 500) })
    wake('online')
    expect(checker.check).not.toHaveBeenCalled()
    store.update({ error: new NetworkError('whoami failed: offline') })
    wake('focus')
    expect(checker.check).not.toHaveBeenCalled()
    wake('online')
    expect(checker.check).toHaveBeenCalledTimes(1)
  })

  it('should ask the leader instead of the server in a follower', () => {
    const { clock, checker, tabs, wake } = setup({ follower: true })
    clock.advance(RECHECK + 1)
    wake('focus')
    expect(checker.check).not.toHaveBeenCalled()
    expect(tabs.ask).toHaveBeenCalledWith(RECHECK)
  })

  it('should tell the tabs about visibilitychange only', () => {
    const { tabs, wake } = setup()
    wake('focus')
    expect(tabs.visibilityChanged).not.toHaveBeenCalled()
    wake('visibilitychange')
    expect(tabs.visibilityChanged).toHaveBeenCalledTimes(1)
  })

  it('should re-evaluate every deadline on each wake-up', () => {
    const { tick, wake } = setup()
    wake('focus')
    wake('online')
    expect(tick).toHaveBeenCalledTimes(2)
  })
})
