import { describe, expect, it } from 'vitest'
import { parseSession } from '../parseSession.js'
import { InvalidResponseError } from '../SessionKeeperError.js'
import { kratosSession } from './fakeKratosFetch.js'

const NOW = Date.parse('2026-03-02T10:00:00.000Z')

/** `depth` objects inside each other: JSON.stringify overflows the stack on them. */
function nested(depth: number) {
  const root: Record<string, unknown> = {}
  let node = root
  for (let i = 0; i < depth; i++) node = node.a = {}
  return root
}

describe('parseSession', () => {
  it('should turn the timestamps into Dates and keep everything else', () => {
    const body = kratosSession({ now: NOW })

    const session = parseSession(body)

    expect(session.id).toBe('session-1')
    expect(session.expires_at).toEqual(new Date(body.expires_at))
    expect(session.authenticated_at).toEqual(new Date(body.authenticated_at))
    expect(session.issued_at).toEqual(new Date(body.issued_at))
    expect(session.authentication_methods?.[0]?.completed_at).toBeInstanceOf(Date)
    expect(session.identity?.traits).toEqual({ email: 'user@example.org' })
    expect(session.devices).toEqual(body.devices)
  })

  it('should leave the input untouched', () => {
    const body = kratosSession({ now: NOW })
    const copy = structuredClone(body)

    parseSession(body)

    expect(body).toEqual(copy)
  })

  it('should accept a session that already has Dates (an initialSession)', () => {
    const parsed = parseSession(kratosSession({ now: NOW }))

    expect(parseSession(parsed)).toEqual(parsed)
  })

  it('should accept a session without issued_at', () => {
    const { issued_at: _, ...body } = kratosSession({ now: NOW })

    expect(parseSession(body).issued_at).toBeUndefined()
  })

  const valid = kratosSession({ now: NOW })
  const { id: _id, ...withoutId } = valid
  const { expires_at: _e, ...withoutExpiresAt } = valid
  const { authenticated_at: _a, ...withoutAuthenticatedAt } = valid

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'session'],
    ['a number', 42],
    ['an array', []],
    ['an empty object', {}],
    ['a body without id', withoutId],
    ['an empty id', { ...valid, id: '' }],
    ['a numeric id', { ...valid, id: 42 }],
    ['a body without expires_at', withoutExpiresAt],
    ['an unparseable expires_at', { ...valid, expires_at: 'soon' }],
    ['an empty expires_at', { ...valid, expires_at: '' }],
    ['a numeric expires_at', { ...valid, expires_at: 1_772_445_600 }],
    ['a null expires_at', { ...valid, expires_at: null }],
    ['a boolean expires_at', { ...valid, expires_at: true }],
    ['an object expires_at', { ...valid, expires_at: {} }],
    ['a body without authenticated_at', withoutAuthenticatedAt],
    ['an unparseable authenticated_at', { ...valid, authenticated_at: 'yesterday' }],
    ['the 401 error body', { error: { code: 401, message: 'The request could not be authorized' } }],
    ['traits nested past the stack', { ...valid, identity: { traits: nested(20_000) } }],
    ['a body nested past the stack', { ...valid, extra: nested(20_000) }],
  ])('should throw InvalidResponseError for %s', (_, body) => {
    expect(() => parseSession(body)).toThrow(InvalidResponseError)
  })
})
