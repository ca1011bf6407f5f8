import { describe, expect, it } from 'vitest'
import { freshnessReason } from '../freshnessReason.js'
import { ReauthLoopError } from '../SessionKeeperError.js'
import type { Session, SessionState } from '../types.js'

const session = (aal: 'aal1' | 'aal2'): Session => ({
  id: 's1',
  expires_at: new Date('2026-03-02T11:00:00Z'),
  authenticated_at: new Date('2026-03-02T10:00:00Z'),
  authenticator_assurance_level: aal,
})
const state = (partial: Partial<SessionState>): SessionState => ({
  status: 'authenticated',
  session: session('aal1'),
  phase: 'active',
  lastCheckedAt: null,
  stale: false,
  error: null,
  isLeader: true,
  secondFactorUnavailable: false,
  clockSkew: 0,
  aal2RedirectTo: null,
  ...partial,
})
const keeper = (partial: Partial<SessionState>, fresh = false) => ({
  getState: () => state(partial),
  isFresh: () => fresh,
})

describe('freshnessReason', () => {
  it("should say 'fresh' exactly when the keeper's isFresh holds", () => {
    expect(freshnessReason(keeper({}, true), { maxAge: '5m' })).toBe('fresh')
    expect(freshnessReason(keeper({}, false), { maxAge: '5m' })).toBe('too-old')
  })

  it('should name what is missing when the session does not meet the requirement', () => {
    expect(freshnessReason(keeper({ status: 'loading', session: null }), {})).toBe('loading')
    expect(freshnessReason(keeper({ status: 'unauthenticated', session: null }), {})).toBe('signed-out')
    expect(freshnessReason(keeper({ status: 'aal2-required' }), { maxAge: '5m' })).toBe('needs-aal2')
    expect(freshnessReason(keeper({}), { maxAge: '5m', aal: 'aal2' })).toBe('needs-aal2')
    expect(freshnessReason(keeper({ session: session('aal2') }), { maxAge: '5m', aal: 'aal2' })).toBe(
      'too-old',
    )
  })

  it("should say 'second-factor-unavailable' when the state says the identity has no second factor", () => {
    expect(freshnessReason(keeper({ secondFactorUnavailable: true }), { aal: 'aal2' })).toBe(
      'second-factor-unavailable',
    )
    // A loop error alone is no proof: the state decides.
    const error = new ReauthLoopError('Came back from login unmet')
    expect(freshnessReason(keeper({ error }), { aal: 'aal2' })).toBe('needs-aal2')
    // The server asking for aal2 means the identity has a second factor to give.
    expect(freshnessReason(keeper({ status: 'aal2-required' }), { aal: 'aal2' })).toBe('needs-aal2')
  })

  it("should read 'loading' without isFresh when the answer depends on the time (server rendering)", () => {
    const { getState } = keeper({})
    expect(freshnessReason({ getState }, { maxAge: '5m' })).toBe('loading')
    expect(freshnessReason({ getState }, { aal: 'aal2' })).toBe('needs-aal2')
    expect(freshnessReason({ getState: keeper({ status: 'unauthenticated' }).getState }, {})).toBe(
      'signed-out',
    )
  })
})
