// GET /sessions/whoami (operationId toSession) against the spec and FACTS.md §1, §5, §7.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { aal2Required, JSON_ERROR, JSON_OK, NO_CACHE, WHOAMI_401 } from './facts.js'
import { DAY, DEFAULT_COOKIE, Fake, HOUR, MFA, ms, SECOND, USER } from './fake.js'
import { bodyOf, CookieJar, type Reply, request, type SessionJson } from './http.js'
import { expectOperationBody, expectSchema } from './openapi.js'

/** What a row sends to whoami. */
interface Creds {
  jar?: CookieJar
  headers?: Record<string, string>
}

/** Asserts the whoami 401 exactly as FACTS §1 gives it (spec mismatch §8.1: no `error.id`). */
function expect401(reply: Reply): void {
  expect(reply.status, reply.text).toBe(401)
  expectOperationBody('toSession', 401, reply.body)
  expect(reply.body).toStrictEqual(WHOAMI_401)
  expect(reply.headers.get('ory-error-id')).toBe('')
}

function expect403Aal2(fake: Fake, reply: Reply): void {
  expect(reply.status, reply.text).toBe(403)
  // The spec declares errorGeneric for 403; FACTS §1 says the body is the AAL error (top-level redirect,
  // `details`; see SPEC_PATCHES.genericError).
  expectOperationBody('toSession', 403, reply.body)
  expectSchema(reply.body, 'errorAuthenticatorAssuranceLevelNotSatisfied')
  expect(reply.body).toStrictEqual(aal2Required(fake.url))
  expect(reply.headers.get('ory-error-id')).toBe('session_aal2_required')
}

function expectSession(reply: Reply): SessionJson {
  expect(reply.status, reply.text).toBe(200)
  expectOperationBody('toSession', 200, reply.body)
  return bodyOf<SessionJson>(reply)
}

describe('GET /sessions/whoami', () => {
  let fake: Fake
  beforeAll(async () => {
    fake = await Fake.start()
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  describe('a valid session', () => {
    it('should answer 200 with the spec Session of the token (FACTS §1)', async () => {
      const created = await fake.createSession(USER.email)
      const reply = await fake.whoami({ headers: { 'X-Session-Token': created.session_token } })
      const session = expectSession(reply)
      expect(session.id).toBe(created.session.id)
      expect(session.active).toBe(true)
      expect(session.authenticator_assurance_level).toBe('aal1')
      expect(ms(session.authenticated_at)).toBe(fake.now)
      expect(ms(session.issued_at)).toBe(fake.now)
      expect(ms(session.expires_at)).toBe(fake.now + DAY)
      expect(session.identity?.traits.email).toBe(USER.email)
    })

    it('should never send identity.credentials or identity.metadata_admin (FACTS §1)', async () => {
      const created = await fake.createSession(USER.email)
      const session = expectSession(
        await fake.whoami({ headers: { 'X-Session-Token': created.session_token } }),
      )
      expect(session.identity).toBeDefined()
      expect(session.identity).not.toHaveProperty('credentials')
      expect(session.identity).not.toHaveProperty('metadata_admin')
      for (const key of [
        'id',
        'schema_id',
        'schema_url',
        'state',
        'traits',
        'metadata_public',
        'created_at',
        'updated_at',
      ]) {
        expect(session.identity, `identity.${key}`).toHaveProperty(key)
      }
    })

    it('should send Session fields in Kratos Go field order (FACTS §1)', async () => {
      const created = await fake.createSession(USER.email)
      const reply = await fake.whoami({ headers: { 'X-Session-Token': created.session_token } })
      expectSession(reply)
      const order = [
        'id',
        'active',
        'expires_at',
        'authenticated_at',
        'authenticator_assurance_level',
        'authentication_methods',
        'issued_at',
        'identity',
        'devices',
        'tokenized',
      ]
      const keys = Object.keys(reply.body as object)
      expect(keys).toStrictEqual(order.filter((key) => keys.includes(key)))
    })

    it.each([
      ['1s before expires_at', DAY - SECOND],
      ['12h into the 24h lifespan', 12 * HOUR],
    ])('should still answer 200 %s, without extending the session (FACTS §3)', async (_, elapsed) => {
      const created = await fake.createSession(USER.email)
      await fake.advance(elapsed)
      const session = expectSession(
        await fake.whoami({ headers: { 'X-Session-Token': created.session_token } }),
      )
      expect(ms(session.expires_at)).toBe(ms(created.session.expires_at))
    })
  })

  describe('error decision table (FACTS §1: expired, revoked, unknown and missing all give the same 401)', () => {
    it.each<[string, (fake: Fake) => Promise<Creds>]>([
      ['no credentials at all', async () => ({})],
      ['an unknown X-Session-Token', async () => ({ headers: { 'X-Session-Token': 'ory_st_doesnotexist' } })],
      ['an unknown session cookie', async () => ({ jar: new CookieJar().add(`${DEFAULT_COOKIE}=garbage`) })],
      ['an unknown Bearer token', async () => ({ headers: { Authorization: 'Bearer ory_st_doesnotexist' } })],
      [
        'a token exactly at expires_at (clock moved 24h)',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          await fake.advance(DAY)
          return { headers: { 'X-Session-Token': created.session_token } }
        },
      ],
      [
        'a cookie past expires_at (clock moved 25h)',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          await fake.advance(DAY + HOUR)
          return { jar: Fake.jarOf(created) }
        },
      ],
      [
        'a revoked session token',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          await fake.revoke(created.session.id)
          return { headers: { 'X-Session-Token': created.session_token } }
        },
      ],
      [
        'a revoked session cookie',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          await fake.revoke(created.session.id)
          return { jar: Fake.jarOf(created) }
        },
      ],
    ])('should answer 401 without error.id for %s', async (_, setup) => {
      const reply = await fake.whoami(await setup(fake))
      expect401(reply)
    })

    it('should echo X-Request-ID as error.request in the 401 (FACTS §0)', async () => {
      const reply = await fake.whoami({ headers: { 'X-Request-ID': 'req-42' } })
      expect(reply.status).toBe(401)
      expect(reply.body).toStrictEqual({ error: { ...WHOAMI_401.error, request: 'req-42' } })
    })

    it.each([
      [
        'X-Session-Token',
        (c: { session_token: string; cookie: string }) => ({
          headers: { 'X-Session-Token': c.session_token },
        }),
      ],
      ['cookie', (c: { session_token: string; cookie: string }) => ({ jar: new CookieJar().add(c.cookie) })],
    ])(
      'should answer 403 session_aal2_required with a bare aal=aal2 redirect for an aal1 session of an identity with TOTP under highest_available (%s) (FACTS §1, §5)',
      async (_, creds) => {
        const created = await fake.createSession(MFA.email, 'aal1')
        expect403Aal2(fake, await fake.whoami(creds(created)))
      },
    )

    it.each<[string, string, 'aal1' | 'aal2', string]>([
      ['an aal2 session of an identity with TOTP', MFA.email, 'aal2', 'aal2'],
      ['an aal1 session of an identity without a second factor', USER.email, 'aal1', 'aal1'],
    ])('should answer 200 under highest_available for %s (FACTS §5)', async (_, email, aal, expected) => {
      const created = await fake.createSession(email, aal)
      const session = expectSession(
        await fake.whoami({ headers: { 'X-Session-Token': created.session_token } }),
      )
      expect(session.authenticator_assurance_level).toBe(expected)
    })
  })

  describe('credential precedence: X-Session-Token > cookie > Bearer (FACTS §1)', () => {
    it.each<[string, 'user' | 'mfa' | 401, (user: Creds2, mfa: Creds2, revoked: Creds2) => Creds]>([
      ['X-Session-Token alone', 'user', (u) => ({ headers: { 'X-Session-Token': u.token } })],
      ['the cookie alone', 'user', (u) => ({ jar: u.jar })],
      ['Authorization: Bearer alone', 'user', (u) => ({ headers: { Authorization: `Bearer ${u.token}` } })],
      ['a lower-case bearer scheme', 'user', (u) => ({ headers: { Authorization: `bearer ${u.token}` } })],
      ['an upper-case BEARER scheme', 'user', (u) => ({ headers: { Authorization: `BEARER ${u.token}` } })],
      [
        'X-Session-Token and another session cookie (token wins)',
        'mfa',
        (u, m) => ({ jar: u.jar, headers: { 'X-Session-Token': m.token } }),
      ],
      [
        'X-Session-Token and another session Bearer (token wins)',
        'mfa',
        (u, m) => ({ headers: { 'X-Session-Token': m.token, Authorization: `Bearer ${u.token}` } }),
      ],
      [
        'the cookie and another session Bearer (cookie wins)',
        'user',
        (u, m) => ({ jar: u.jar, headers: { Authorization: `Bearer ${m.token}` } }),
      ],
      [
        'an unknown X-Session-Token with a valid cookie (the token is used, and fails)',
        401,
        (u) => ({ jar: u.jar, headers: { 'X-Session-Token': 'ory_st_doesnotexist' } }),
      ],
      [
        "a revoked session's cookie with a valid Bearer (the cookie is used, and fails)",
        401,
        (u, _m, revoked) => ({ jar: revoked.jar, headers: { Authorization: `Bearer ${u.token}` } }),
      ],
      [
        "a revoked session's X-Session-Token with a valid cookie (the token is used, and fails)",
        401,
        (u, _m, revoked) => ({ jar: u.jar, headers: { 'X-Session-Token': revoked.token } }),
      ],
      [
        'Authorization with three parts',
        401,
        (u) => ({ headers: { Authorization: `Bearer ${u.token} extra` } }),
      ],
      ['Authorization: Basic', 401, (u) => ({ headers: { Authorization: `Basic ${u.token}` } })],
      ['a bare token in Authorization', 401, (u) => ({ headers: { Authorization: u.token } })],
    ])('should resolve %s', async (_, winner, pick) => {
      const user = await fake.createSession(USER.email)
      const mfa = await fake.createSession(MFA.email, 'aal2')
      const revoked = await fake.createSession(USER.email)
      await fake.revoke(revoked.session.id)
      const creds = pick(
        { token: user.session_token, jar: Fake.jarOf(user) },
        { token: mfa.session_token, jar: Fake.jarOf(mfa) },
        { token: revoked.session_token, jar: Fake.jarOf(revoked) },
      )
      const reply = await fake.whoami(creds)
      if (winner === 401) {
        expect401(reply)
        return
      }
      const session = expectSession(reply)
      expect(session.id).toBe((winner === 'user' ? user : mfa).session.id)
    })
  })

  describe('headers (FACTS §0, §1)', () => {
    it.each<
      [string, (fake: Fake) => Promise<{ creds: Creds; identity?: string }>, number, string, string | null]
    >([
      [
        '200',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          return {
            creds: { headers: { 'X-Session-Token': created.session_token } },
            identity: created.session.identity?.id,
          }
        },
        200,
        JSON_OK,
        null,
      ],
      ['401', async () => ({ creds: {} }), 401, JSON_ERROR, ''],
      [
        '403',
        async (fake) => {
          const created = await fake.createSession(MFA.email, 'aal1')
          return { creds: { headers: { 'X-Session-Token': created.session_token } } }
        },
        403,
        JSON_ERROR,
        'session_aal2_required',
      ],
    ])('should send the Kratos headers on a %s', async (_, setup, status, contentType, oryErrorId) => {
      const { creds, identity } = await setup(fake)
      const reply = await fake.whoami(creds)
      expect(reply.status).toBe(status)
      expect(reply.headers.get('cache-control')).toBe(NO_CACHE)
      expect(reply.headers.get('content-type')).toBe(contentType)
      expect(reply.headers.get('ory-error-id')).toBe(oryErrorId)
      // X-Kratos-Authenticated-Identity-Id only on 200 (FACTS §1 step 5).
      expect(reply.headers.get('x-kratos-authenticated-identity-id')).toBe(identity ?? null)
      // Off unless cacheableSessions (FACTS §1 step 6).
      expect(reply.headers.get('ory-session-cache-for')).toBeNull()
      // No cookie is set unless the cookie is outdated (FACTS §1 step 7).
      expect(reply.setCookies).toStrictEqual([])
    })

    it.each([
      ['2031-06-15T12:34:56.000Z', 'Sun, 15 Jun 2031 12:34:56 GMT'],
      ['2032-02-29T23:59:59.000Z', 'Sun, 29 Feb 2032 23:59:59 GMT'],
    ])('should date the response by the fake clock set to %s', async (iso, date) => {
      await fake.setClock(Date.parse(iso))
      const created = await fake.createSession(USER.email)
      const ok = await fake.whoami({ headers: { 'X-Session-Token': created.session_token } })
      expect(ok.status).toBe(200)
      expect(ok.headers.get('date')).toBe(date)
      const unauthorized = await fake.whoami()
      expect(unauthorized.headers.get('date')).toBe(date)
    })

    it('should move the Date header with the clock advanced by the control API', async () => {
      await fake.setClock(Date.parse('2033-03-01T12:00:00.000Z'))
      await fake.advance(90 * 60 * SECOND)
      const reply = await fake.whoami()
      expect(reply.headers.get('date')).toBe('Tue, 01 Mar 2033 13:30:00 GMT')
    })
  })

  describe('request methods (FACTS §1: whoami answers on every method but DELETE reaches it via /sessions/{id})', () => {
    it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])(
      'should answer %s /sessions/whoami like GET',
      async (method) => {
        const created = await fake.createSession(USER.email)
        const reply = await fake.whoami({ method, headers: { 'X-Session-Token': created.session_token } })
        expect(expectSession(reply).id).toBe(created.session.id)
        expect401(await fake.whoami({ method }))
      },
    )

    it('should answer HEAD /sessions/whoami with the status and no body', async () => {
      const created = await fake.createSession(USER.email)
      const ok = await request(fake.at('/sessions/whoami'), {
        method: 'HEAD',
        headers: { 'X-Session-Token': created.session_token },
      })
      expect(ok.status).toBe(200)
      expect(ok.text).toBe('')
      expect((await request(fake.at('/sessions/whoami'), { method: 'HEAD' })).status).toBe(401)
    })
  })

  describe('cookie re-issue (FACTS §1 step 7, §3: only after an admin extend made the cookie outdated)', () => {
    async function extend(fake: Fake, id: string): Promise<void> {
      const reply = await request(fake.at(`/admin/sessions/${id}/extend`), { method: 'PATCH' })
      expect(reply.status, reply.text).toBe(200)
    }

    it.each<[string, (fake: Fake) => Promise<Creds>, number | null]>([
      ['a fresh cookie', async (fake) => ({ jar: Fake.jarOf(await fake.createSession(USER.email)) }), null],
      [
        'a cookie an hour later without an extend',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          await fake.advance(HOUR)
          return { jar: Fake.jarOf(created) }
        },
        null,
      ],
      [
        'the cookie after an admin extend an hour later',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          await fake.advance(HOUR)
          await extend(fake, created.session.id)
          await fake.advance(10 * SECOND)
          return { jar: Fake.jarOf(created) }
        },
        DAY / SECOND - 10,
      ],
      [
        'the cookie whoami re-issued after an extend',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          await fake.advance(HOUR)
          await extend(fake, created.session.id)
          const jar = Fake.jarOf(created)
          const first = await fake.whoami({ jar })
          expect(first.setCookies.map((c) => c.name)).toStrictEqual([DEFAULT_COOKIE])
          return { jar }
        },
        null,
      ],
      [
        'a session token after an admin extend',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          await fake.advance(HOUR)
          await extend(fake, created.session.id)
          return { headers: { 'X-Session-Token': created.session_token } }
        },
        null,
      ],
    ])('should handle %s', async (_, setup, maxAge) => {
      const reply = await fake.whoami(await setup(fake))
      expectSession(reply)
      if (maxAge === null) {
        expect(reply.setCookies).toStrictEqual([])
        return
      }
      expect(reply.setCookies).toHaveLength(1)
      const [cookie] = reply.setCookies
      expect(cookie?.name).toBe(DEFAULT_COOKIE)
      expect(cookie?.value).not.toBe('')
      expect(cookie?.attributes['max-age']).toBe(String(maxAge))
      // FACTS §7: HttpOnly always, SameSite Lax and Path / by default.
      expect(cookie?.attributes.httponly).toBe(true)
      expect(String(cookie?.attributes.samesite).toLowerCase()).toBe('lax')
      expect(cookie?.attributes.path).toBe('/')
    })
  })
})

interface Creds2 {
  token: string
  jar: CookieJar
}

describe('GET /sessions/whoami with requiredAal aal1 (FACTS §5)', () => {
  let fake: Fake
  beforeAll(async () => {
    fake = await Fake.start({ requiredAal: 'aal1' })
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  it.each<[string, string, 'aal1' | 'aal2']>([
    ['an aal1 session of an identity with TOTP', MFA.email, 'aal1'],
    ['an aal2 session of an identity with TOTP', MFA.email, 'aal2'],
    ['an aal1 session of an identity without a second factor', USER.email, 'aal1'],
  ])('should answer 200 for %s', async (_, email, aal) => {
    const created = await fake.createSession(email, aal)
    const reply = await fake.whoami({ headers: { 'X-Session-Token': created.session_token } })
    const session = expectSession(reply)
    expect(session.authenticator_assurance_level).toBe(aal)
    expect(reply.headers.get('x-kratos-authenticated-identity-id')).toBe(session.identity?.id)
  })
})

describe('Ory-Session-Cache-For (FACTS §1 step 6)', () => {
  describe.each<[string, boolean | { maxAge: string }, number]>([
    ['cacheableSessions: true (max age 2m30s)', true, 150],
    ['cacheableSessions: {maxAge: "1h"}', { maxAge: '1h' }, 3600],
  ])('with %s', (_, cacheableSessions, cap) => {
    let fake: Fake
    beforeAll(async () => {
      fake = await Fake.start({ cacheableSessions })
    })
    afterAll(() => fake.close())
    beforeEach(() => fake.isolate())

    it.each<[string, (fake: Fake) => Promise<Creds>, number, string | null]>([
      [
        'a 200 with 24h left: the max age',
        async (fake) => ({ jar: Fake.jarOf(await fake.createSession(USER.email)) }),
        200,
        String(cap),
      ],
      [
        'a 200 with 100s left: the seconds left',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          await fake.advance(DAY - 100 * SECOND)
          return { jar: Fake.jarOf(created) }
        },
        200,
        '100',
      ],
      ['a 401 without any credentials: 60', async () => ({}), 401, '60'],
      [
        'a 401 for an unknown token: none',
        async () => ({ headers: { 'X-Session-Token': 'ory_st_doesnotexist' } }),
        401,
        null,
      ],
      [
        'a 401 for an expired cookie: none',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          await fake.advance(DAY + SECOND)
          return { jar: Fake.jarOf(created) }
        },
        401,
        null,
      ],
      [
        'a 403 session_aal2_required: none',
        async (fake) => ({ jar: Fake.jarOf(await fake.createSession(MFA.email, 'aal1')) }),
        403,
        null,
      ],
    ])('should send %s', async (_, setup, status, header) => {
      const reply = await fake.whoami(await setup(fake))
      expect(reply.status, reply.text).toBe(status)
      expect(reply.headers.get('ory-session-cache-for')).toBe(header)
    })
  })
})
