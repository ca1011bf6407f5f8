// Settings flows (createBrowserSettingsFlow, getSettingsFlow, updateSettingsFlow) and privileged sessions
// against the spec and FACTS.md §4.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { JSON_ERROR, JSON_OK, SESSION_INACTIVE, sessionRefreshRequired } from './facts.js'
import { DEFAULT_COOKIE, Fake, HOUR, ms, SECOND } from './fake.js'
import {
  bodyOf,
  CookieJar,
  csrfToken,
  type FlowJson,
  type NativeLoginJson,
  type Reply,
  request,
} from './http.js'
import { expectOperationBody, expectSchema } from './openapi.js'

const PASSWORD = 'password'
const NEW_PASSWORD = 'a-much-better-passphrase-42'
/** One identity per test that changes a password, so tests do not depend on each other. */
const IDENTITIES = Array.from({ length: 16 }, (_, i) => ({
  email: `settings-${i}@example.com`,
  password: PASSWORD,
}))

describe('settings flows', () => {
  let fake: Fake
  let next = 0
  /** A fresh identity's email. */
  const identity = () => {
    const found = IDENTITIES[next++]
    if (!found) throw new Error('settings.test.ts: add identities to IDENTITIES')
    return found.email
  }

  beforeAll(async () => {
    fake = await Fake.start({ identities: IDENTITIES, privilegedSessionMaxAge: '1h' })
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  async function settingsFlow(jar: CookieJar): Promise<FlowJson> {
    const reply = await request(fake.at('/self-service/settings/browser'), { accept: 'json', jar })
    expect(reply.status, reply.text).toBe(200)
    expect(reply.headers.get('content-type')).toBe(JSON_OK)
    expectOperationBody('createBrowserSettingsFlow', 200, reply.body)
    return bodyOf<FlowJson>(reply)
  }

  function submitPassword(jar: CookieJar, flow: FlowJson, as: 'json' | 'form'): Promise<Reply> {
    const fields = { method: 'password', password: NEW_PASSWORD, csrf_token: csrfToken(flow) }
    return request(fake.at(`/self-service/settings?flow=${flow.id}`), {
      method: 'POST',
      jar,
      ...(as === 'json' ? { accept: 'json' as const, json: fields } : { form: fields }),
    })
  }

  /** FACTS §4: `…/login/browser?refresh=true&return_to=<public settings URL with the request's query>`. */
  function reauthUrl(flow: FlowJson): string {
    const returnTo = fake.at(`/self-service/settings?flow=${flow.id}`)
    return fake.at(`/self-service/login/browser?refresh=true&return_to=${encodeURIComponent(returnTo)}`)
  }

  describe('GET /self-service/settings/browser', () => {
    it('should answer 200 with the spec settingsFlow of the session identity', async () => {
      const created = await fake.createSession(identity())
      const flow = await settingsFlow(Fake.jarOf(created))
      expect(flow.type).toBe('browser')
      expect(flow.state).toBe('show_form')
      expect(flow.identity?.id).toBe(created.session.identity?.id)
      expect(flow.ui.action).toBe(fake.at(`/self-service/settings?flow=${flow.id}`))
      expect(flow.ui.method).toBe('POST')
    })

    it('should not check privilege when creating the flow (FACTS §4)', async () => {
      const created = await fake.createSession(identity())
      await fake.advance(2 * HOUR)
      await settingsFlow(Fake.jarOf(created))
    })

    it('should answer 401 session_inactive with the stray CredentialsMissing field for an expired cookie', async () => {
      const created = await fake.createSession(identity())
      await fake.advance(25 * HOUR)
      const reply = await request(fake.at('/self-service/settings/browser'), {
        accept: 'json',
        jar: Fake.jarOf(created),
      })
      expect(reply.status, reply.text).toBe(401)
      expect(reply.headers.get('content-type')).toBe(JSON_ERROR)
      expectOperationBody('createBrowserSettingsFlow', 401, reply.body)
      expect(reply.body).toStrictEqual({ ...SESSION_INACTIVE, CredentialsMissing: false })
    })

    it('should answer 401 session_inactive without any session cookie', async () => {
      const reply = await request(fake.at('/self-service/settings/browser'), { accept: 'json' })
      expect(reply.status, reply.text).toBe(401)
      expectOperationBody('createBrowserSettingsFlow', 401, reply.body)
      const body = bodyOf<Record<string, unknown>>(reply)
      expect(body.error).toStrictEqual(SESSION_INACTIVE.error)
      expect(typeof body.CredentialsMissing).toBe('boolean')
    })
  })

  describe('GET /self-service/settings/flows', () => {
    it('should return the created flow to its session', async () => {
      const created = await fake.createSession(identity())
      const jar = Fake.jarOf(created)
      const flow = await settingsFlow(jar)
      const reply = await request(fake.at(`/self-service/settings/flows?id=${flow.id}`), {
        accept: 'json',
        jar,
      })
      expect(reply.status, reply.text).toBe(200)
      expectOperationBody('getSettingsFlow', 200, reply.body)
      expect(bodyOf<FlowJson>(reply).id).toBe(flow.id)
    })
  })

  describe('POST /self-service/settings: privileged sessions, authenticated_at + 1h > now (FACTS §4)', () => {
    it.each<[string, number, boolean]>([
      ['just authenticated', 0, true],
      ['authenticated 59m59s ago', HOUR - SECOND, true],
      ['authenticated exactly 1h ago', HOUR, false],
      ['authenticated 2h ago', 2 * HOUR, false],
    ])('should handle a SPA password change %s', async (_, elapsed, privileged) => {
      const created = await fake.createSession(identity())
      const jar = Fake.jarOf(created)
      await fake.advance(elapsed)
      const flow = await settingsFlow(jar)
      const reply = await submitPassword(jar, flow, 'json')
      if (privileged) {
        expect(reply.status, reply.text).toBe(200)
        expectOperationBody('updateSettingsFlow', 200, reply.body)
        expect(bodyOf<FlowJson>(reply).state).toBe('success')
        return
      }
      expect(reply.status, reply.text).toBe(403)
      expect(reply.headers.get('content-type')).toBe(JSON_ERROR)
      expectOperationBody('updateSettingsFlow', 403, reply.body)
      expectSchema(reply.body, 'needsPrivilegedSessionError')
      // Exact body: `redirect_browser_to` with the settings URL as return_to, and no `details`.
      expect(reply.body).toStrictEqual(sessionRefreshRequired(reauthUrl(flow)))
      expect(reply.headers.get('ory-error-id')).toBe('session_refresh_required')
    })

    it.each<[string, number]>([
      ['authenticated exactly 1h ago', HOUR],
      ['authenticated 2h ago', 2 * HOUR],
    ])('should 303 a browser form password change %s to the refresh login', async (_, elapsed) => {
      const created = await fake.createSession(identity())
      const jar = Fake.jarOf(created)
      await fake.advance(elapsed)
      const flow = await settingsFlow(jar)
      const reply = await submitPassword(jar, flow, 'form')
      expect(reply.status, reply.text).toBe(303)
      expect(reply.location).toBe(reauthUrl(flow))
    })

    it('should let the identity log in with the new password after a privileged change', async () => {
      const email = identity()
      const created = await fake.createSession(email)
      const jar = Fake.jarOf(created)
      const reply = await submitPassword(jar, await settingsFlow(jar), 'json')
      expect(reply.status, reply.text).toBe(200)
      const old = await fake.submitPassword(new CookieJar(), await fake.browserLoginFlow(new CookieJar()), {
        email,
        password: PASSWORD,
      })
      expect(old.status).not.toBe(200)
      const fresh = await fake.loginBrowser({ email, password: NEW_PASSWORD })
      expect(fresh.login.session.identity?.traits.email).toBe(email)
    })

    it('should accept the change after a refresh login that the 403 pointed to (SPA loop)', async () => {
      const email = identity()
      const created = await fake.createSession(email)
      const jar = Fake.jarOf(created)
      await fake.advance(2 * HOUR)
      const flow = await settingsFlow(jar)
      const denied = await submitPassword(jar, flow, 'json')
      expect(denied.status, denied.text).toBe(403)
      const redirect = new URL(bodyOf<{ redirect_browser_to: string }>(denied).redirect_browser_to)
      const login = await fake.browserLoginFlow(jar, redirect.search)
      expect(login.refresh).toBe(true)
      expect(login.return_to).toBe(fake.at(`/self-service/settings?flow=${flow.id}`))
      const reauth = await fake.submitPassword(jar, login, { email, password: PASSWORD })
      expect(reauth.status, reauth.text).toBe(200)
      const session = bodyOf<NativeLoginJson>(reauth).session
      expect(session.id).toBe(created.session.id)
      expect(ms(session.authenticated_at)).toBe(fake.now)
      expect(jar.has(DEFAULT_COOKIE)).toBe(true)
      const retried = await submitPassword(jar, flow, 'json')
      expect(retried.status, retried.text).toBe(200)
      expectOperationBody('updateSettingsFlow', 200, retried.body)
    })
  })
})
