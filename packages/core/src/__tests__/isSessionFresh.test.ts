import { describe, expect, it } from 'vitest'
import { isSessionFresh } from '../isSessionFresh.js'
import type { Session } from '../types.js'

const NOW = Date.parse('2026-03-02T10:00:00.000Z')
const MINUTE = 60_000

function session(overrides: Partial<Session> = {}): Session {
  return {
    id: 'session-1',
    expires_at: new Date(NOW + 60 * MINUTE),
    authenticated_at: new Date(NOW - 4 * MINUTE),
    authenticator_assurance_level: 'aal1',
    ...overrides,
  }
}

describe('isSessionFresh', () => {
  it.each([null, undefined])('should not be fresh without a session (%s)', (value) => {
    expect(isSessionFresh(value, { now: NOW })).toBe(false)
  })

  it('should be fresh with no requirement', () => {
    expect(isSessionFresh(session(), { now: NOW })).toBe(true)
  })

  it.each([
    ['5m', true],
    [5 * MINUTE, true],
    ['4m', true],
    ['3m59s', false],
    [4 * MINUTE - 1, false],
    ['0', false],
  ])('should compare now - authenticated_at (4 minutes) with maxAge %j', (maxAge, fresh) => {
    expect(isSessionFresh(session(), { maxAge, now: NOW })).toBe(fresh)
  })

  it.each([
    ['aal1', 'aal1', true],
    ['aal1', 'aal2', false],
    ['aal2', 'aal1', true],
    ['aal2', 'aal2', true],
    ['aal3', 'aal2', true],
    ['aal0', 'aal1', false],
  ] as const)('should rank the session AAL %s against the required %s', (level, aal, fresh) => {
    expect(isSessionFresh(session({ authenticator_assurance_level: level }), { aal, now: NOW })).toBe(fresh)
  })

  it('should need both maxAge and aal to hold', () => {
    const stepped = session({ authenticator_assurance_level: 'aal2' })

    expect(isSessionFresh(stepped, { maxAge: '5m', aal: 'aal2', now: NOW })).toBe(true)
    expect(isSessionFresh(stepped, { maxAge: '1m', aal: 'aal2', now: NOW })).toBe(false)
    expect(isSessionFresh(session(), { maxAge: '5m', aal: 'aal2', now: NOW })).toBe(false)
  })

  describe('fails closed', () => {
    it('should not be fresh for an unknown AAL', () => {
      const unknown = session({ authenticator_assurance_level: '11184809' })

      expect(isSessionFresh(unknown, { aal: 'aal1', now: NOW })).toBe(false)
    })

    it('should not be fresh for a missing AAL when one is required', () => {
      const { authenticator_assurance_level: _, ...withoutAal } = session()

      expect(isSessionFresh(withoutAal, { aal: 'aal1', now: NOW })).toBe(false)
    })

    it('should not be fresh without authenticated_at when maxAge is required', () => {
      const { authenticated_at: _, ...withoutTime } = session()

      expect(isSessionFresh(withoutTime, { maxAge: '1h', now: NOW })).toBe(false)
    })

    it('should not be fresh with an invalid authenticated_at', () => {
      expect(
        isSessionFresh(session({ authenticated_at: new Date(Number.NaN) }), { maxAge: '1h', now: NOW }),
      ).toBe(false)
    })

    it('should throw on an invalid maxAge rather than call the session fresh', () => {
      expect(() => isSessionFresh(session(), { maxAge: 'five minutes', now: NOW })).toThrow(TypeError)
    })
  })
})
