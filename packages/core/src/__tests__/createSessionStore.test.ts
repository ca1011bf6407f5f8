// The session store alone (issue 12): phase derivation on the injected clock, structural
// sharing, quiet `lastCheckedAt`, the skew rule and the lasting `secondFactorUnavailable`.
import { describe, expect, it, vi } from 'vitest'
import { createSessionStore } from '../createSessionStore.js'
import type { RemoteState } from '../TabMessage.js'
import type { Session } from '../types.js'
import { keptSession, MINUTE, SECOND, T0, unitClock } from './unitKit.js'

const THRESHOLD = 5 * MINUTE

function setup(initialSession: Session | null | undefined = undefined) {
  const clock = unitClock()
  const store = createSessionStore({ now: clock.now, expiringThreshold: THRESHOLD, initialSession })
  return { clock, store }
}

const answer = (partial: Partial<RemoteState> = {}): RemoteState => ({
  at: T0,
  status: 'authenticated',
  session: keptSession({ expiresIn: 60 * MINUTE }),
  aal2RedirectTo: null,
  clockSkew: 0,
  ...partial,
})

describe('createSessionStore', () => {
  it('should start loading without an initial session, and signed out with null', () => {
    expect(setup().store.getState()).toMatchObject({ status: 'loading', session: null, phase: null })
    expect(setup(null).store.getState()).toMatchObject({ status: 'unauthenticated', phase: null })
    expect(setup(keptSession()).store.getState()).toMatchObject({ status: 'authenticated', phase: 'active' })
  })

  it('should derive the phase at the expiring threshold and at expiry, on its clock', () => {
    const { clock, store } = setup(keptSession({ expiresIn: 10 * MINUTE }))
    clock.advance(5 * MINUTE - 1)
    store.update({})
    expect(store.getState().phase).toBe('active')
    clock.advance(1)
    store.update({})
    expect(store.getState().phase).toBe('expiring')
    clock.advance(5 * MINUTE - 1)
    store.update({})
    expect(store.getState()).toMatchObject({ phase: 'expiring', status: 'authenticated' })
    clock.advance(1)
    store.update({})
    expect(store.getState()).toMatchObject({ phase: 'expired', status: 'unauthenticated' })
  })

  it('should count remaining time against the server clock (clockSkew)', () => {
    const { store } = setup(keptSession({ expiresIn: 10 * MINUTE }))
    expect(store.expiresAt()).toBe(T0 + 10 * MINUTE)
    expect(store.remaining()).toBe(10 * MINUTE)
    // The server is 6 minutes ahead: only 4 are left, inside the threshold.
    store.update({ clockSkew: 6 * MINUTE })
    expect(store.remaining()).toBe(4 * MINUTE)
    expect(store.getState().phase).toBe('expiring')
    expect(Number.isNaN(setup(null).store.remaining())).toBe(true)
  })

  it('should keep the same session object for an equal answer', () => {
    const { store } = setup()
    store.accept(answer())
    const first = store.getState().session
    store.accept(answer({ at: T0 + MINUTE }))
    expect(store.getState().session).toBe(first)
    store.accept(answer({ at: T0 + 2 * MINUTE, session: keptSession({ expiresIn: 61 * MINUTE }) }))
    expect(store.getState().session).not.toBe(first)
  })

  it('should update lastCheckedAt without notifying when an answer changes nothing else', () => {
    const { store } = setup()
    const listener = vi.fn()
    store.subscribe(listener)
    store.accept(answer())
    expect(listener).toHaveBeenCalledTimes(1)
    const state = store.getState()

    store.accept(answer({ at: T0 + MINUTE }))
    expect(listener).toHaveBeenCalledTimes(1)
    expect(store.getState()).toBe(state)
    expect(store.getState().lastCheckedAt).toBe(T0 + MINUTE)
  })

  it('should notify on the first answer even when it equals the initial session', () => {
    const session = keptSession()
    const { store } = setup(session)
    const listener = vi.fn()
    store.subscribe(listener)
    store.accept(answer({ session: keptSession() }))
    expect(listener).toHaveBeenCalledTimes(1)
    expect(store.getState()).toMatchObject({ session, lastCheckedAt: T0 })
  })

  it('should not notify for an update that changes nothing', () => {
    const { store } = setup(null)
    const listener = vi.fn()
    store.subscribe(listener)
    store.update({ status: 'unauthenticated' })
    expect(listener).not.toHaveBeenCalled()
    store.update({ isLeader: true })
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('should ignore clock skew moves of a second or less', () => {
    const { store } = setup()
    expect(store.newSkew(null)).toBe(0)
    expect(store.newSkew(SECOND)).toBe(0)
    expect(store.newSkew(-SECOND)).toBe(0)
    expect(store.newSkew(SECOND + 1)).toBe(SECOND + 1)
    store.update({ clockSkew: 5 * SECOND })
    expect(store.newSkew(5.5 * SECOND)).toBe(5 * SECOND)
    expect(store.newSkew(3 * SECOND)).toBe(3 * SECOND)
    expect(store.newSkew(null)).toBe(5 * SECOND)
  })

  it('should keep secondFactorUnavailable once proven, until an aal2 session arrives', () => {
    const { store } = setup()
    store.accept(answer({ secondFactorUnavailable: true }))
    expect(store.getState().secondFactorUnavailable).toBe(true)
    store.accept(answer({ at: T0 + 1, secondFactorUnavailable: false }))
    expect(store.getState().secondFactorUnavailable).toBe(true)
    store.accept(answer({ at: T0 + 2, session: keptSession({ aal: 'aal2' }) }))
    expect(store.getState().secondFactorUnavailable).toBe(false)
  })

  it('should end secondFactorUnavailable with the session, by sign-out or by expiry', () => {
    const { clock, store } = setup()
    store.accept(answer({ secondFactorUnavailable: true }))
    store.accept(answer({ at: T0 + 1, status: 'unauthenticated', session: null }))
    expect(store.getState().secondFactorUnavailable).toBe(false)

    store.accept(answer({ at: T0 + 2, secondFactorUnavailable: true }))
    clock.advance(60 * MINUTE)
    store.update({})
    expect(store.getState()).toMatchObject({ status: 'unauthenticated', secondFactorUnavailable: false })
  })

  it('should not take secondFactorUnavailable without a signed-in session', () => {
    const { store } = setup()
    store.update({ secondFactorUnavailable: true })
    expect(store.getState().secondFactorUnavailable).toBe(false)
  })

  it('should clear stale and error when an answer is accepted', () => {
    const { store } = setup()
    store.update({ stale: true, error: new Error('down') as never })
    store.accept(answer())
    expect(store.getState()).toMatchObject({ stale: false, error: null })
  })
})
