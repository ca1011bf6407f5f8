// The events alone (issue 12): a real store on a hand clock, driven by updates.
import { describe, expect, it } from 'vitest'
import { createEvents } from '../createEvents.js'
import { createSessionStore } from '../createSessionStore.js'
import type { SessionKeeperEvent } from '../SessionKeeper.js'
import { ServerError } from '../SessionKeeperError.js'
import type { Session } from '../types.js'
import { ALL_EVENTS } from './keeperEvents.js'
import { keptSession, MINUTE, unitClock } from './unitKit.js'

function setup(initialSession: Session | null | undefined = undefined) {
  const clock = unitClock()
  const store = createSessionStore({ now: clock.now, expiringThreshold: 5 * MINUTE, initialSession })
  const on = createEvents(store)
  const fired: SessionKeeperEvent[] = []
  for (const event of ALL_EVENTS) on(event, () => fired.push(event))
  return { clock, store, on, fired }
}

const signedIn = (session = keptSession({ expiresIn: 10 * MINUTE })) => ({
  status: 'authenticated' as const,
  session,
})
const signedOut = { status: 'unauthenticated' as const, session: null }

describe('createEvents', () => {
  it('should fire no signed-in or signed-out for the first answer after loading', () => {
    const a = setup()
    a.store.update(signedIn())
    expect(a.fired).toEqual(['changed'])
    const b = setup()
    b.store.update(signedOut)
    expect(b.fired).toEqual([])
  })

  it('should fire signed-in and signed-out once per transition', () => {
    const { store, fired } = setup(null)
    store.update(signedIn())
    store.update({ lastCheckedAt: 1 })
    store.update(signedOut)
    store.update(signedOut)
    expect(fired).toEqual(['signed-in', 'changed', 'signed-out', 'changed'])
  })

  it('should fire aal2-required when a step-up is needed', () => {
    const { store, fired } = setup(keptSession())
    store.update({ status: 'aal2-required' })
    expect(fired).toEqual(['aal2-required'])
  })

  it('should fire expiring and expired once each as the phase moves', () => {
    const { clock, store, fired } = setup(keptSession({ expiresIn: 10 * MINUTE }))
    clock.advance(5 * MINUTE)
    store.update({})
    store.update({})
    clock.advance(5 * MINUTE)
    store.update({})
    expect(fired).toEqual(['expiring', 'signed-out', 'expired'])
  })

  it('should fire error when an error appears, not while it stays', () => {
    const { store, fired } = setup(keptSession())
    store.update({ error: new ServerError('whoami answered 500', 500) })
    store.update({ error: new ServerError('whoami answered 502', 502) })
    store.update({ error: null })
    store.update({ error: new ServerError('whoami answered 503', 503) })
    expect(fired).toEqual(['error', 'error'])
  })

  it('should stop calling a listener once it is unsubscribed', () => {
    const { store, on } = setup(null)
    const calls: string[] = []
    const off = on('signed-in', () => calls.push('signed-in'))
    store.update(signedIn())
    off()
    store.update(signedOut)
    store.update(signedIn(keptSession({ id: 'session-2' })))
    expect(calls).toEqual(['signed-in'])
  })
})
