// Admin extend (PATCH /admin/sessions/{id}/extend, operationId extendSession) and GET /admin/sessions/{id}
// (getSession) against the spec and FACTS.md §3 (spec mismatch §8.5: both 200 and 204 are declared).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { NOT_FOUND } from './facts.js'
import { DAY, DEFAULT_COOKIE, Fake, HOUR, ms, SECOND, USER } from './fake.js'
import { bodyOf, type Reply, request, type SessionJson } from './http.js'
import { expectOperationBody } from './openapi.js'

function extend(fake: Fake, id: string, headers: Record<string, string> = {}): Promise<Reply> {
  return request(fake.at(`/admin/sessions/${id}/extend`), { method: 'PATCH', headers })
}

function getSession(fake: Fake, id: string, headers: Record<string, string> = {}): Promise<Reply> {
  return request(fake.at(`/admin/sessions/${id}`), { headers })
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000'

describe.each<[string, boolean, number]>([
  ['fasterSessionExtend off (self-hosted default): 200 + Session', false, 200],
  ['fasterSessionExtend on (Ory Network default): 204 without a body', true, 204],
])('PATCH /admin/sessions/{id}/extend with %s', (_, fasterSessionExtend, status) => {
  let fake: Fake
  beforeAll(async () => {
    fake = await Fake.start({ earliestPossibleExtend: '12h', fasterSessionExtend })
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  /** The session after an extend: from the 200 body, or from GET /admin/sessions/{id} after a 204. */
  async function extendedSession(reply: Reply, id: string): Promise<SessionJson> {
    expect(reply.status, reply.text).toBe(status)
    expectOperationBody('extendSession', status, status === 204 ? reply.text : reply.body)
    if (status === 204) {
      expect(reply.text).toBe('')
      const got = await getSession(fake, id)
      expect(got.status).toBe(200)
      expectOperationBody('getSession', 200, got.body)
      return bodyOf<SessionJson>(got)
    }
    return bodyOf<SessionJson>(reply)
  }

  describe('the earliest_possible_extend window: expires_at - 12h < now (FACTS §3)', () => {
    it.each<[string, number, boolean]>([
      ['a fresh session (24h left)', 0, false],
      ['exactly 12h left (the window boundary)', 12 * HOUR, false],
      ['12h left minus 1s', 12 * HOUR + SECOND, true],
      ['1h left', 23 * HOUR, true],
    ])('should treat %s', async (_, elapsed, extended) => {
      const created = await fake.createSession(USER.email)
      await fake.advance(elapsed)
      const session = await extendedSession(await extend(fake, created.session.id), created.session.id)
      expect(session.id).toBe(created.session.id)
      const expiresAt = extended ? fake.now + DAY : ms(created.session.expires_at)
      expect(ms(session.expires_at)).toBe(expiresAt)
      expect(session.active).toBe(true)
      const whoami = await fake.whoami({ headers: { 'X-Session-Token': created.session_token } })
      expect(ms(bodyOf<SessionJson>(whoami).expires_at)).toBe(expiresAt)
    })
  })

  it('should answer 400 for an id that is not a UUID', async () => {
    const reply = await extend(fake, 'not-a-uuid')
    expect(reply.status, reply.text).toBe(400)
    expectOperationBody('extendSession', 400, reply.body)
    expect(bodyOf<{ error: { code: number } }>(reply).error.code).toBe(400)
  })

  it('should answer 404 with the herodot not-found body for an unknown id', async () => {
    const reply = await extend(fake, UNKNOWN_ID)
    expect(reply.status, reply.text).toBe(404)
    expectOperationBody('extendSession', 404, reply.body)
    expect(reply.body).toStrictEqual(NOT_FOUND)
  })

  it('should revive an expired but not revoked session (FACTS §3 [code-derived])', async () => {
    const created = await fake.createSession(USER.email)
    await fake.advance(DAY + HOUR)
    expect((await fake.whoami({ headers: { 'X-Session-Token': created.session_token } })).status).toBe(401)
    const session = await extendedSession(await extend(fake, created.session.id), created.session.id)
    expect(session.active).toBe(true)
    expect(ms(session.expires_at)).toBe(fake.now + DAY)
    const whoami = await fake.whoami({ headers: { 'X-Session-Token': created.session_token } })
    expect(whoami.status).toBe(200)
  })

  it('should leave a revoked session invalid (active stays false)', async () => {
    const created = await fake.createSession(USER.email)
    await fake.advance(13 * HOUR)
    await fake.revoke(created.session.id)
    const session = await extendedSession(await extend(fake, created.session.id), created.session.id)
    expect(session.active).toBe(false)
    expect((await fake.whoami({ headers: { 'X-Session-Token': created.session_token } })).status).toBe(401)
  })

  it('should reach the browser cookie only on the next whoami (FACTS §3, §1 step 7)', async () => {
    const created = await fake.createSession(USER.email)
    await fake.advance(13 * HOUR)
    const reply = await extend(fake, created.session.id)
    expect(reply.status).toBe(status)
    expect(reply.setCookies).toStrictEqual([])
    const whoami = await fake.whoami({ jar: Fake.jarOf(created) })
    expect(whoami.status).toBe(200)
    const cookie = whoami.setCookies.find((c) => c.name === DEFAULT_COOKIE)
    expect(cookie?.attributes['max-age']).toBe(String(DAY / SECOND))
  })
})

describe('GET /admin/sessions/{id}', () => {
  let fake: Fake
  beforeAll(async () => {
    fake = await Fake.start()
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  it('should answer 200 with the spec Session', async () => {
    const created = await fake.createSession(USER.email)
    const reply = await getSession(fake, created.session.id)
    expect(reply.status, reply.text).toBe(200)
    expectOperationBody('getSession', 200, reply.body)
    expect(bodyOf<SessionJson>(reply).id).toBe(created.session.id)
  })

  it('should answer 404 for an unknown id', async () => {
    const reply = await getSession(fake, UNKNOWN_ID)
    expect(reply.status, reply.text).toBe(404)
    expectOperationBody('getSession', 404, reply.body)
    expect(reply.body).toStrictEqual(NOT_FOUND)
  })
})

describe('admin API with apiKey (FACTS §3: Authorization: Bearer <Ory API key>)', () => {
  const KEY = 'ory_pat_contract_test'
  let fake: Fake
  beforeAll(async () => {
    fake = await Fake.start({ apiKey: KEY })
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  it.each<[string, Record<string, string>, number]>([
    ['no Authorization', {}, 401],
    ['a wrong key', { Authorization: 'Bearer wrong' }, 401],
    ['the key in another scheme', { Authorization: `Basic ${KEY}` }, 401],
    ['the key', { Authorization: `Bearer ${KEY}` }, 200],
  ])('should answer extend and get with %s with %i', async (_, headers, status) => {
    const created = await fake.createSession(USER.email)
    await fake.advance(HOUR)
    const extended = await extend(fake, created.session.id, headers)
    expect(extended.status, extended.text).toBe(status)
    expectOperationBody('extendSession', status, extended.body)
    const got = await getSession(fake, created.session.id, headers)
    expect(got.status, got.text).toBe(status)
    expectOperationBody('getSession', status, got.body)
    const whoami = bodyOf<SessionJson>(
      await fake.whoami({ headers: { 'X-Session-Token': created.session_token } }),
    )
    // Only an authorized extend moves expires_at.
    expect(ms(whoami.expires_at)).toBe(status === 200 ? fake.now + DAY : ms(created.session.expires_at))
  })

  it('should not ask public endpoints for the key', async () => {
    const created = await fake.createSession(USER.email)
    expect((await fake.whoami({ headers: { 'X-Session-Token': created.session_token } })).status).toBe(200)
  })
})
