// Logout (createBrowserLogoutFlow, updateLogoutFlow, performNativeLogout) against the spec and FACTS.md §6.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  JSON_ERROR,
  JSON_OK,
  LOGOUT_API_UNKNOWN_TOKEN_REASON,
  LOGOUT_NO_TOKEN_REASON,
  LOGOUT_TOKEN_MISMATCH_REASON,
  returnToForbidden,
  SESSION_INACTIVE,
} from './facts.js'
import { DEFAULT_COOKIE, Fake, USER } from './fake.js'
import {
  bodyOf,
  CookieJar,
  type ErrorJson,
  isDeletion,
  type LogoutFlowJson,
  queryParam,
  request,
} from './http.js'
import { expectOperationBody } from './openapi.js'

const APP = 'https://app.example.test'

describe('logout', () => {
  let fake: Fake
  beforeAll(async () => {
    fake = await Fake.start({ defaultReturnUrl: `${APP}/home`, allowedReturnUrls: [`${APP}/`] })
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  async function logoutFlow(jar: CookieJar, query = ''): Promise<LogoutFlowJson> {
    const reply = await request(fake.at(`/self-service/logout/browser${query}`), { accept: 'json', jar })
    expect(reply.status, reply.text).toBe(200)
    expectOperationBody('createBrowserLogoutFlow', 200, reply.body)
    return bodyOf<LogoutFlowJson>(reply)
  }

  describe('GET /self-service/logout/browser (FACTS §6)', () => {
    it.each<[string, 'json' | undefined]>([
      ['a SPA (Accept: application/json)', 'json'],
      ['a browser (Accept: */*), still JSON', undefined],
    ])('should answer %s with 200 {logout_url, logout_token}', async (_, accept) => {
      const created = await fake.createSession(USER.email)
      const reply = await request(fake.at('/self-service/logout/browser'), {
        accept,
        jar: Fake.jarOf(created),
      })
      expect(reply.status, reply.text).toBe(200)
      expect(reply.headers.get('content-type')).toBe(JSON_OK)
      expectOperationBody('createBrowserLogoutFlow', 200, reply.body)
      const flow = bodyOf<LogoutFlowJson>(reply)
      expect(Object.keys(flow).sort()).toStrictEqual(['logout_token', 'logout_url'])
      expect(flow.logout_token).toMatch(/^ory_lo_/)
      expect(flow.logout_url).toBe(fake.at(`/self-service/logout?token=${flow.logout_token}`))
    })

    it('should carry an allowed return_to into the logout_url', async () => {
      const created = await fake.createSession(USER.email)
      const returnTo = `${APP}/bye`
      const flow = await logoutFlow(Fake.jarOf(created), `?return_to=${encodeURIComponent(returnTo)}`)
      expect(queryParam(flow.logout_url, 'token')).toBe(flow.logout_token)
      expect(queryParam(flow.logout_url, 'return_to')).toBe(returnTo)
      expect(flow.logout_url.startsWith(fake.at('/self-service/logout?'))).toBe(true)
    })

    it('should write the logout_url like Go json.Encoder: & as \\u0026 on the wire (FACTS §0)', async () => {
      const created = await fake.createSession(USER.email)
      const reply = await request(
        fake.at(`/self-service/logout/browser?return_to=${encodeURIComponent(`${APP}/bye`)}`),
        { accept: 'json', jar: Fake.jarOf(created) },
      )
      expect(reply.status, reply.text).toBe(200)
      // Query order is not asserted: Go's url.Values.Encode sorts keys (return_to before token).
      expect(reply.text).toMatch(/\/self-service\/logout\?[^"&]+\\u0026[^"&]+"/)
      expect(reply.text).not.toContain('&')
    })

    it('should answer 400 self_service_flow_return_to_forbidden for a forbidden return_to', async () => {
      const created = await fake.createSession(USER.email)
      const reply = await request(
        fake.at(`/self-service/logout/browser?return_to=${encodeURIComponent('https://evil.example')}`),
        {
          accept: 'json',
          jar: Fake.jarOf(created),
        },
      )
      expect(reply.status, reply.text).toBe(400)
      expectOperationBody('createBrowserLogoutFlow', 400, reply.body)
      expect(reply.body).toStrictEqual(returnToForbidden('https://evil.example'))
    })

    it.each<[string, (fake: Fake) => Promise<CookieJar>]>([
      ['no session cookie', async () => new CookieJar()],
      [
        'a revoked session',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          await fake.revoke(created.session.id)
          return Fake.jarOf(created)
        },
      ],
    ])('should answer a SPA with %s with 401 session_inactive', async (_, setup) => {
      const reply = await request(fake.at('/self-service/logout/browser'), {
        accept: 'json',
        jar: await setup(fake),
      })
      expect(reply.status, reply.text).toBe(401)
      expect(reply.headers.get('content-type')).toBe(JSON_ERROR)
      expectOperationBody('createBrowserLogoutFlow', 401, reply.body)
      expect(reply.body).toStrictEqual(SESSION_INACTIVE)
      expect(reply.headers.get('ory-error-id')).toBe('session_inactive')
    })

    it('should 303 a browser without a session to the error UI', async () => {
      const reply = await request(fake.at('/self-service/logout/browser'), {})
      expect(reply.status).toBe(303)
      expect(queryParam(reply.location, 'id')).toBeTruthy()
    })

    it('should hand out a logout URL that stays usable for the session (cacheable)', async () => {
      const created = await fake.createSession(USER.email)
      const jar = Fake.jarOf(created)
      const first = await logoutFlow(jar)
      await fake.advance(60 * 60 * 1000)
      const reply = await request(first.logout_url, { accept: 'json', jar })
      expect(reply.status, reply.text).toBe(204)
    })
  })

  describe('GET /self-service/logout?token= (FACTS §6)', () => {
    it('should answer a SPA with 204, revoke the session and clear the cookie', async () => {
      const created = await fake.createSession(USER.email)
      const jar = Fake.jarOf(created)
      const flow = await logoutFlow(jar)
      const reply = await request(flow.logout_url, { accept: 'json', jar: jar.clone() })
      expect(reply.status, reply.text).toBe(204)
      expect(reply.text).toBe('')
      expectOperationBody('updateLogoutFlow', 204, reply.text)
      const cleared = reply.setCookies.find((c) => c.name === DEFAULT_COOKIE)
      expect(cleared && isDeletion(cleared)).toBe(true)
      // Revoked: not even the old cookie or the token work any more.
      expect((await fake.whoami({ jar })).status).toBe(401)
      expect((await fake.whoami({ headers: { 'X-Session-Token': created.session_token } })).status).toBe(401)
    })

    it.each<[string, string, string]>([
      ['the default return URL', '', `${APP}/home`],
      ['the return_to', `?return_to=${encodeURIComponent(`${APP}/bye`)}`, `${APP}/bye`],
    ])('should 303 a browser to %s', async (_, query, location) => {
      const created = await fake.createSession(USER.email)
      const jar = Fake.jarOf(created)
      const flow = await logoutFlow(jar, query)
      const reply = await request(flow.logout_url, { jar })
      expect(reply.status, reply.text).toBe(303)
      expect(reply.location).toBe(location)
      expect(jar.has(DEFAULT_COOKIE)).toBe(false)
      expect((await fake.whoami({ headers: { 'X-Session-Token': created.session_token } })).status).toBe(401)
    })

    it.each<[string, (fake: Fake) => Promise<{ url: string; jar: CookieJar }>, number, string | undefined]>([
      [
        'no token: 400',
        async (fake) => ({
          url: fake.at('/self-service/logout'),
          jar: Fake.jarOf(await fake.createSession(USER.email)),
        }),
        400,
        LOGOUT_NO_TOKEN_REASON,
      ],
      [
        'a token but no session cookie: 401',
        async (fake) => {
          const created = await fake.createSession(USER.email)
          const flow = await logoutFlow(Fake.jarOf(created))
          return { url: flow.logout_url, jar: new CookieJar() }
        },
        401,
        undefined,
      ],
      [
        "another session's token: 403",
        async (fake) => {
          const mine = await fake.createSession(USER.email)
          const other = await fake.createSession(USER.email)
          const flow = await logoutFlow(Fake.jarOf(other))
          return { url: flow.logout_url, jar: Fake.jarOf(mine) }
        },
        403,
        LOGOUT_TOKEN_MISMATCH_REASON,
      ],
    ])('should answer a SPA with %s', async (_, setup, status, reason) => {
      const { url, jar } = await setup(fake)
      const before = jar.header()
      const reply = await request(url, { accept: 'json', jar })
      expect(reply.status, reply.text).toBe(status)
      expect(reply.headers.get('content-type')).toBe(JSON_ERROR)
      expectOperationBody('updateLogoutFlow', status, reply.body)
      const error = bodyOf<ErrorJson>(reply).error
      expect(error.code).toBe(status)
      if (reason !== undefined) expect(error.reason).toBe(reason)
      // A failed logout revokes nothing.
      if (before) expect((await fake.whoami({ headers: { Cookie: before } })).status).toBe(200)
    })
  })

  describe('DELETE /self-service/logout/api (FACTS §6)', () => {
    function logoutApi(token: string) {
      return request(fake.at('/self-service/logout/api'), {
        method: 'DELETE',
        json: { session_token: token },
      })
    }

    it('should answer 204 twice for the same token and revoke the session', async () => {
      const created = await fake.createSession(USER.email)
      for (const attempt of [1, 2]) {
        const reply = await logoutApi(created.session_token)
        expect(reply.status, `attempt ${attempt}: ${reply.text}`).toBe(204)
        expect(reply.text).toBe('')
        expectOperationBody('performNativeLogout', 204, reply.text)
        expect(reply.setCookies).toStrictEqual([])
      }
      expect((await fake.whoami({ headers: { 'X-Session-Token': created.session_token } })).status).toBe(401)
    })

    it('should answer 403 for an unknown token', async () => {
      const reply = await logoutApi('ory_st_doesnotexist')
      expect(reply.status, reply.text).toBe(403)
      expectOperationBody('performNativeLogout', 403, reply.body)
      const error = bodyOf<ErrorJson>(reply).error
      expect(error.code).toBe(403)
      expect(error.reason).toBe(LOGOUT_API_UNKNOWN_TOKEN_REASON)
      expect(reply.setCookies).toStrictEqual([])
    })
  })
})
