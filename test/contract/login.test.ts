// Login flows (createBrowserLoginFlow, createNativeLoginFlow, getLoginFlow, updateLoginFlow) against the
// spec and FACTS.md §2 (decision table, return_to, submit, refresh, step-up, API flows).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  aal2Required,
  badAalReason,
  browserLocationChangeRequired,
  JSON_ERROR,
  JSON_OK,
  MSG_CONFIRM_ITS_YOU,
  MSG_SECOND_FACTOR,
  NO_CACHE,
  returnToForbidden,
  SESSION_AAL1_REQUIRED,
  SESSION_ALREADY_AVAILABLE,
} from './facts.js'
import { type CreatedSession, DAY, DEFAULT_COOKIE, Fake, HOUR, MFA, ms, USER } from './fake.js'
import {
  bodyOf,
  CookieJar,
  csrfToken,
  type ErrorJson,
  type FlowJson,
  messageIds,
  type NativeLoginJson,
  nodeValue,
  queryParam,
  type Reply,
  request,
  type SessionJson,
} from './http.js'
import { expectError, expectOperationBody } from './openapi.js'

const APP = 'https://app.example.test'
const OPTIONS = {
  defaultReturnUrl: `${APP}/app/home`,
  allowedReturnUrls: [`${APP}/app/`, 'https://*.partner.example.test/'],
}

type Who = 'none' | 'user aal1' | 'mfa aal1' | 'mfa aal2'

/** A jar holding the session `who` names (and nothing for `none`). */
async function sessionJar(fake: Fake, who: Who): Promise<{ jar: CookieJar; created?: CreatedSession }> {
  if (who === 'none') return { jar: new CookieJar() }
  const [name, aal] = who.split(' ') as ['user' | 'mfa', 'aal1' | 'aal2']
  const created = await fake.createSession(name === 'user' ? USER.email : MFA.email, aal)
  return { jar: Fake.jarOf(created), created }
}

function browserFlowUrl(fake: Fake, query: string): string {
  return fake.at(`/self-service/login/browser${query}`)
}

/** A created flow as FACTS §2 describes it, validated against the spec's loginFlow. */
function expectFlow(fake: Fake, reply: Reply, operationId: string, type: 'browser' | 'api'): FlowJson {
  expect(reply.status, reply.text).toBe(200)
  expect(reply.headers.get('content-type')).toBe(JSON_OK)
  expectOperationBody(operationId, 200, reply.body)
  const flow = bodyOf<FlowJson>(reply)
  expect(flow.type).toBe(type)
  expect(flow.ui.method).toBe('POST')
  expect(flow.ui.action).toBe(fake.at(`/self-service/login?flow=${flow.id}`))
  return flow
}

describe('login flows', () => {
  let fake: Fake
  beforeAll(async () => {
    fake = await Fake.start(OPTIONS)
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  describe('GET /self-service/login/browser as a SPA: decision table (FACTS §2)', () => {
    type Expect = { refresh: boolean; aal: 'aal1' | 'aal2'; messages: number[]; prefilled?: boolean } | object
    it.each<[Who, string, Expect]>([
      ['none', '', { refresh: false, aal: 'aal1', messages: [] }],
      ['none', '?refresh=true', { refresh: false, aal: 'aal1', messages: [] }],
      ['none', '?aal=aal1&refresh=true', { refresh: false, aal: 'aal1', messages: [] }],
      ['none', '?aal=aal2', SESSION_AAL1_REQUIRED],
      ['none', '?refresh=true&aal=aal2', SESSION_AAL1_REQUIRED],
      [
        'user aal1',
        '?refresh=true',
        { refresh: true, aal: 'aal1', messages: [MSG_CONFIRM_ITS_YOU], prefilled: true },
      ],
      [
        'mfa aal1',
        '?refresh=true&aal=aal2',
        { refresh: true, aal: 'aal2', messages: [MSG_CONFIRM_ITS_YOU, MSG_SECOND_FACTOR] },
      ],
      ['mfa aal1', '?aal=aal2', { refresh: false, aal: 'aal2', messages: [MSG_SECOND_FACTOR] }],
      ['user aal1', '?aal=aal2', { refresh: false, aal: 'aal2', messages: [MSG_SECOND_FACTOR] }],
      [
        'mfa aal2',
        '?refresh=true',
        { refresh: true, aal: 'aal1', messages: [MSG_CONFIRM_ITS_YOU], prefilled: true },
      ],
      ['user aal1', '', SESSION_ALREADY_AVAILABLE],
      ['user aal1', '?aal=aal1', SESSION_ALREADY_AVAILABLE],
      ['mfa aal1', '', SESSION_ALREADY_AVAILABLE],
      ['mfa aal2', '?aal=aal2', SESSION_ALREADY_AVAILABLE],
      ['mfa aal2', '?aal=aal1', SESSION_ALREADY_AVAILABLE],
    ])('with session %s and query "%s"', async (who, query, expected) => {
      const { jar, created } = await sessionJar(fake, who)
      const reply = await request(browserFlowUrl(fake, query), { accept: 'json', jar })
      expect(reply.headers.get('cache-control')).toBe(NO_CACHE)
      if ('error' in expected) {
        expectError(reply, 'createBrowserLoginFlow', expected)
        return
      }
      const want = expected as { refresh: boolean; aal: string; messages: number[]; prefilled?: boolean }
      const flow = expectFlow(fake, reply, 'createBrowserLoginFlow', 'browser')
      expect(flow.refresh).toBe(want.refresh)
      expect(flow.requested_aal).toBe(want.aal)
      expect(messageIds(flow).sort()).toStrictEqual([...want.messages].sort())
      expect(flow.request_url).toBe(browserFlowUrl(fake, query))
      if (want.prefilled) expect(nodeValue(flow, 'identifier')).toBe(created?.session.identity?.traits.email)
      // Browser flows carry a csrf_token node and set the anti-CSRF cookie (FACTS §2, §7).
      expect(csrfToken(flow)).not.toBe('')
      const csrfCookies = reply.setCookies.filter((c) => c.name !== DEFAULT_COOKIE)
      expect(csrfCookies.length).toBeGreaterThan(0)
      expect(csrfCookies.every((c) => c.attributes.httponly === true)).toBe(true)
    })

    it('should offer no TOTP input on an aal2 flow of an identity without a second factor (FACTS §2)', async () => {
      const { jar } = await sessionJar(fake, 'user aal1')
      const flow = await fake.browserLoginFlow(jar, '?aal=aal2')
      expect(flow.ui.nodes.some((n) => n.attributes.name === 'totp_code')).toBe(false)
      expect(flow.ui.nodes.some((n) => n.attributes.name === 'csrf_token')).toBe(true)
    })

    it('should offer a TOTP input on an aal2 flow of an identity with TOTP', async () => {
      const { jar } = await sessionJar(fake, 'mfa aal1')
      const flow = await fake.browserLoginFlow(jar, '?aal=aal2')
      expect(flow.ui.nodes.some((n) => n.attributes.name === 'totp_code' && n.group === 'totp')).toBe(true)
    })
  })

  describe('refresh parsing: Go strconv.ParseBool (FACTS §2)', () => {
    it.each(['true', '1', 'True', 't', 'T', 'TRUE'])('should treat refresh=%s as true', async (value) => {
      const { jar } = await sessionJar(fake, 'user aal1')
      const flow = await fake.browserLoginFlow(jar, `?refresh=${value}`)
      expect(flow.refresh).toBe(true)
    })

    it.each(['false', '0', 'False', 'f', 'F', 'FALSE'])(
      'should treat refresh=%s as false (400 session_already_available with a session)',
      async (value) => {
        const { jar } = await sessionJar(fake, 'user aal1')
        const reply = await request(browserFlowUrl(fake, `?refresh=${value}`), { accept: 'json', jar })
        expectError(reply, 'createBrowserLoginFlow', SESSION_ALREADY_AVAILABLE)
      },
    )
  })

  describe('aal parsing (FACTS §2)', () => {
    it.each([
      ['aal0', 'aal0'],
      ['aal3', 'aal3'],
      ['AAL0', 'aal0'],
      ['foo', 'foo'],
    ])('should answer 400 for aal=%s', async (value, got) => {
      const reply = await request(browserFlowUrl(fake, `?aal=${value}`), { accept: 'json' })
      expect(reply.status, reply.text).toBe(400)
      expectOperationBody('createBrowserLoginFlow', 400, reply.body)
      const error = bodyOf<ErrorJson>(reply).error
      expect(error.code).toBe(400)
      expect(error.status).toBe('Bad Request')
      expect(error.reason).toBe(badAalReason(got))
    })

    it('should lower-case aal=AAL2 into an aal2 flow', async () => {
      const { jar } = await sessionJar(fake, 'mfa aal1')
      const flow = await fake.browserLoginFlow(jar, '?aal=AAL2')
      expect(flow.requested_aal).toBe('aal2')
    })
  })

  describe('GET /self-service/login/browser as a browser (Accept */*): 303s (FACTS §2)', () => {
    it('should 303 to the login UI with ?flow= of a flow that getLoginFlow returns', async () => {
      const jar = new CookieJar()
      const reply = await request(browserFlowUrl(fake, ''), { jar })
      expect(reply.status).toBe(303)
      const id = queryParam(reply.location, 'flow')
      expect(id).toMatch(/^[0-9a-f-]{36}$/)
      expect(new URL(reply.location ?? '').origin).toBe(new URL(fake.url).origin)
      expect(jar.names().length).toBeGreaterThan(0)
      const got = await request(fake.at(`/self-service/login/flows?id=${id}`), { accept: 'json', jar })
      expect(got.status, got.text).toBe(200)
      expectOperationBody('getLoginFlow', 200, got.body)
      expect(bodyOf<FlowJson>(got).id).toBe(id)
    })

    it.each<[string, Who, string, string]>([
      ['the default return URL', 'user aal1', '', `${APP}/app/home`],
      [
        'an allowed return_to',
        'user aal1',
        `?return_to=${encodeURIComponent(`${APP}/app/x?y=1`)}`,
        `${APP}/app/x?y=1`,
      ],
      [
        'a relative return_to, resolved against the default return URL',
        'user aal1',
        '?return_to=/app/settings',
        `${APP}/app/settings`,
      ],
    ])('should 303 an already logged-in browser to %s', async (_, who, query, location) => {
      const { jar } = await sessionJar(fake, who)
      const reply = await request(browserFlowUrl(fake, query), { jar })
      expect(reply.status).toBe(303)
      expect(reply.location).toBe(location)
    })

    it('should 303 a refresh to the login UI even with a session', async () => {
      const { jar } = await sessionJar(fake, 'user aal1')
      const reply = await request(browserFlowUrl(fake, '?refresh=true'), { jar })
      expect(reply.status).toBe(303)
      expect(queryParam(reply.location, 'flow')).toMatch(/^[0-9a-f-]{36}$/)
    })

    it.each([
      ['aal=aal2 without a session', '?aal=aal2'],
      ['a forbidden return_to', `?return_to=${encodeURIComponent('https://evil.example')}`],
    ])('should 303 to the error UI with ?id= for %s', async (_, query) => {
      const reply = await request(browserFlowUrl(fake, query), {})
      expect(reply.status).toBe(303)
      expect(queryParam(reply.location, 'id')).toBeTruthy()
    })
  })

  describe('return_to validation at flow creation (FACTS §2, spec mismatch §8.2)', () => {
    it.each<[string, string]>([
      ['an allowed URL', `${APP}/app/dashboard`],
      ['the allowed entry itself', `${APP}/app/`],
      ['an allowed URL with a different host case', 'https://APP.example.test/app/x'],
      ['a host under an allowed wildcard', 'https://a.partner.example.test/x'],
      ['a deeper host under an allowed wildcard', 'https://deep.a.partner.example.test/'],
      ['a relative URL under an allowed path', '/app/relative'],
    ])('should accept %s', async (_, returnTo) => {
      const reply = await request(browserFlowUrl(fake, `?return_to=${encodeURIComponent(returnTo)}`), {
        accept: 'json',
      })
      const flow = expectFlow(fake, reply, 'createBrowserLoginFlow', 'browser')
      expect(flow.return_to).toBe(returnTo)
    })

    it("should accept the fake's own /self-service URLs", async () => {
      const returnTo = fake.at('/self-service/settings/browser')
      const reply = await request(browserFlowUrl(fake, `?return_to=${encodeURIComponent(returnTo)}`), {
        accept: 'json',
      })
      expect(expectFlow(fake, reply, 'createBrowserLoginFlow', 'browser').return_to).toBe(returnTo)
    })

    it.each<[string, string, string]>([
      ['another host', 'https://evil.example', 'https://evil.example'],
      ['a path outside the allowed prefix', `${APP}/other`, `${APP}/other`],
      ['another scheme', 'http://app.example.test/app/x', 'http://app.example.test/app/x'],
      ['the bare wildcard domain', 'https://partner.example.test/', 'https://partner.example.test/'],
      ['a relative URL outside the allowed paths', '/other', `${APP}/other`],
    ])('should answer 400 self_service_flow_return_to_forbidden for %s', async (_, returnTo, quoted) => {
      const reply = await request(browserFlowUrl(fake, `?return_to=${encodeURIComponent(returnTo)}`), {
        accept: 'json',
      })
      expectError(reply, 'createBrowserLoginFlow', returnToForbidden(quoted))
    })

    it('should forbid a public-URL return_to outside /self-service', async () => {
      const returnTo = fake.at('/dashboard')
      const reply = await request(browserFlowUrl(fake, `?return_to=${encodeURIComponent(returnTo)}`), {
        accept: 'json',
      })
      expectError(reply, 'createBrowserLoginFlow', returnToForbidden(returnTo))
    })
  })

  describe('GET /self-service/login/flows', () => {
    it('should return the same flow as created', async () => {
      const jar = new CookieJar()
      const flow = await fake.browserLoginFlow(jar, '?refresh=true')
      const reply = await request(fake.at(`/self-service/login/flows?id=${flow.id}`), { accept: 'json', jar })
      expect(reply.status).toBe(200)
      expectOperationBody('getLoginFlow', 200, reply.body)
      const got = bodyOf<FlowJson>(reply)
      expect([
        got.id,
        got.type,
        got.refresh,
        got.requested_aal,
        got.request_url,
        got.ui.action,
      ]).toStrictEqual([
        flow.id,
        flow.type,
        flow.refresh,
        flow.requested_aal,
        flow.request_url,
        flow.ui.action,
      ])
      expect(ms(got.expires_at)).toBe(ms(flow.expires_at))
    })

    it('should answer 404 for an unknown flow id', async () => {
      const reply = await request(
        fake.at('/self-service/login/flows?id=00000000-0000-4000-8000-000000000000'),
        {
          accept: 'json',
        },
      )
      expect(reply.status, reply.text).toBe(404)
      expectOperationBody('getLoginFlow', 404, reply.body)
      expect(bodyOf<ErrorJson>(reply).error.code).toBe(404)
    })
  })

  describe('POST /self-service/login: browser flows (FACTS §2)', () => {
    it('should log a SPA in: 200 {session} without session_token, cookie set, whoami agrees', async () => {
      const jar = new CookieJar()
      const flow = await fake.browserLoginFlow(jar)
      const reply = await fake.submitPassword(jar, flow, USER)
      expect(reply.status, reply.text).toBe(200)
      expect(reply.headers.get('content-type')).toBe(JSON_OK)
      expectOperationBody('updateLoginFlow', 200, reply.body)
      const login = bodyOf<NativeLoginJson>(reply)
      expect(login).not.toHaveProperty('session_token')
      expect(login.session.active).toBe(true)
      expect(login.session.authenticator_assurance_level).toBe('aal1')
      expect(
        login.session.authentication_methods.map((m) => [m.method, m.aal, ms(m.completed_at)]),
      ).toStrictEqual([['password', 'aal1', fake.now]])
      expect(ms(login.session.authenticated_at)).toBe(fake.now)
      expect(ms(login.session.expires_at)).toBe(fake.now + DAY)
      expect(login.session.identity?.traits.email).toBe(USER.email)
      expect(reply.setCookies.map((c) => c.name)).toContain(DEFAULT_COOKIE)
      const whoami = await fake.whoami({ jar })
      expect(whoami.status).toBe(200)
      expect(bodyOf<SessionJson>(whoami).id).toBe(login.session.id)
    })

    it('should tell a SPA where to go next with continue_with redirect_browser_to the return_to', async () => {
      const jar = new CookieJar()
      const returnTo = `${APP}/app/after`
      const flow = await fake.browserLoginFlow(jar, `?return_to=${encodeURIComponent(returnTo)}`)
      const reply = await fake.submitPassword(jar, flow, USER)
      expect(reply.status, reply.text).toBe(200)
      expectOperationBody('updateLoginFlow', 200, reply.body)
      expect(bodyOf<NativeLoginJson>(reply).continue_with).toContainEqual({
        action: 'redirect_browser_to',
        redirect_browser_to: returnTo,
      })
    })

    it.each<[string, string, string]>([
      ['the default return URL', '', `${APP}/app/home`],
      ['the return_to', `?return_to=${encodeURIComponent(`${APP}/app/after`)}`, `${APP}/app/after`],
    ])('should 303 a browser form login to %s and set the session cookie', async (_, query, location) => {
      const jar = new CookieJar()
      const flow = await fake.browserLoginFlow(jar, query)
      const reply = await request(fake.at(`/self-service/login?flow=${flow.id}`), {
        method: 'POST',
        jar,
        form: {
          method: 'password',
          identifier: USER.email,
          password: USER.password,
          csrf_token: csrfToken(flow),
        },
      })
      expect(reply.status, reply.text).toBe(303)
      expect(reply.location).toBe(location)
      expect(reply.setCookies.map((c) => c.name)).toContain(DEFAULT_COOKIE)
      expect((await fake.whoami({ jar })).status).toBe(200)
    })

    it('should answer a JSON body sent without Accept: application/json as a SPA (x.IsJSONRequest, FACTS §0)', async () => {
      const jar = new CookieJar()
      const flow = await fake.browserLoginFlow(jar)
      const reply = await request(fake.at(`/self-service/login?flow=${flow.id}`), {
        method: 'POST',
        jar,
        json: {
          method: 'password',
          identifier: USER.email,
          password: USER.password,
          csrf_token: csrfToken(flow),
        },
      })
      expect(reply.status, reply.text).toBe(200)
      expectOperationBody('updateLoginFlow', 200, reply.body)
      expect(bodyOf<NativeLoginJson>(reply).session.identity?.traits.email).toBe(USER.email)
    })

    it('should answer 400 with the loginFlow for a wrong password', async () => {
      const jar = new CookieJar()
      const flow = await fake.browserLoginFlow(jar)
      const reply = await fake.submitPassword(jar, flow, { email: USER.email, password: 'wrong' })
      expect(reply.status, reply.text).toBe(400)
      expectOperationBody('updateLoginFlow', 400, reply.body)
      expect(bodyOf<FlowJson>(reply).id).toBe(flow.id)
      expect(reply.setCookies.map((c) => c.name)).not.toContain(DEFAULT_COOKIE)
    })

    it.each<[string, (jar: CookieJar, flow: FlowJson) => { jar: CookieJar; token: string }]>([
      ['without the csrf_token', (jar) => ({ jar, token: '' })],
      ['with a wrong csrf_token', (jar) => ({ jar, token: 'not-the-token' })],
      ['without the csrf cookie', (_, flow) => ({ jar: new CookieJar(), token: csrfToken(flow) })],
    ])('should answer 403 security_csrf_violation %s', async (_, tamper) => {
      const flowJar = new CookieJar()
      const flow = await fake.browserLoginFlow(flowJar)
      const { jar, token } = tamper(flowJar, flow)
      const reply = await request(fake.at(`/self-service/login?flow=${flow.id}`), {
        method: 'POST',
        accept: 'json',
        jar,
        json: { method: 'password', identifier: USER.email, password: USER.password, csrf_token: token },
      })
      expect(reply.status, reply.text).toBe(403)
      expectOperationBody('updateLoginFlow', 403, reply.body)
      expect(bodyOf<ErrorJson>(reply).error.id).toBe('security_csrf_violation')
    })

    it('should answer 410 self_service_flow_expired for a flow submitted after it expired', async () => {
      const jar = new CookieJar()
      const flow = await fake.browserLoginFlow(jar)
      await fake.advance(ms(flow.expires_at) - fake.now + 1_000)
      const reply = await fake.submitPassword(jar, flow, USER)
      expect(reply.status, reply.text).toBe(410)
      expectOperationBody('updateLoginFlow', 410, reply.body)
      expect(bodyOf<ErrorJson>(reply).error.id).toBe('self_service_flow_expired')
    })
  })

  describe('refresh login (FACTS §2: same session, authenticated_at reset, expires_at extended, method appended)', () => {
    async function refresh(fake: Fake, created: CreatedSession, jar: CookieJar) {
      await fake.advance(2 * HOUR)
      const flow = await fake.browserLoginFlow(jar, '?refresh=true')
      expect(flow.refresh).toBe(true)
      const reply = await fake.submitPassword(jar, flow, USER)
      expect(reply.status, reply.text).toBe(200)
      expectOperationBody('updateLoginFlow', 200, reply.body)
      return { login: bodyOf<NativeLoginJson>(reply), reply, before: created.session }
    }

    it('should keep the session id and reset authenticated_at and expires_at', async () => {
      const created = await fake.createSession(USER.email)
      const jar = Fake.jarOf(created)
      const { login } = await refresh(fake, created, jar)
      expect(login.session.id).toBe(created.session.id)
      expect(ms(login.session.authenticated_at)).toBe(fake.now)
      expect(ms(login.session.expires_at)).toBe(fake.now + DAY)
      const whoami = bodyOf<SessionJson>(await fake.whoami({ jar }))
      expect(whoami.id).toBe(created.session.id)
      expect(ms(whoami.authenticated_at)).toBe(fake.now)
      expect(ms(whoami.expires_at)).toBe(fake.now + DAY)
    })

    it('should append the password method and keep the earlier ones', async () => {
      const created = await fake.createSession(USER.email)
      const { login } = await refresh(fake, created, Fake.jarOf(created))
      const methods = login.session.authentication_methods
      expect(methods).toHaveLength(created.session.authentication_methods.length + 1)
      expect(methods.slice(0, -1)).toStrictEqual(created.session.authentication_methods)
      const last = methods.at(-1)
      expect([last?.method, last?.aal, ms(last?.completed_at)]).toStrictEqual(['password', 'aal1', fake.now])
    })

    it('should keep the original issued_at on a later whoami (FACTS §2 [code-derived])', async () => {
      const created = await fake.createSession(USER.email)
      const jar = Fake.jarOf(created)
      await refresh(fake, created, jar)
      const whoami = bodyOf<SessionJson>(await fake.whoami({ jar }))
      expect(ms(whoami.issued_at)).toBe(ms(created.session.issued_at))
    })

    it('should keep an aal2 session at aal2 after a password refresh (the totp entry stays)', async () => {
      const created = await fake.createSession(MFA.email, 'aal2')
      const jar = Fake.jarOf(created)
      await fake.advance(2 * HOUR)
      const flow = await fake.browserLoginFlow(jar, '?refresh=true')
      const reply = await fake.submitPassword(jar, flow, MFA)
      expect(reply.status, reply.text).toBe(200)
      const session = bodyOf<NativeLoginJson>(reply).session
      expect(session.id).toBe(created.session.id)
      expect(session.authenticator_assurance_level).toBe('aal2')
      expect(session.authentication_methods.map((m) => m.method)).toContain('totp')
    })
  })

  describe('second factor (FACTS §2, §5; spec mismatch §8.3)', () => {
    it.each<[string, string, (fake: Fake) => string]>([
      [
        'with the return_to copied',
        `?return_to=${encodeURIComponent(`${APP}/app/after`)}`,
        (fake) =>
          fake.at(`/self-service/login/browser?aal=aal2&return_to=${encodeURIComponent(`${APP}/app/after`)}`),
      ],
      ['without a return_to', '', (fake) => fake.at('/self-service/login/browser?aal=aal2')],
    ])(
      'should answer a SPA password login of an identity with TOTP with 422 browser_location_change_required %s',
      async (_, query, redirect) => {
        const jar = new CookieJar()
        const flow = await fake.browserLoginFlow(jar, query)
        const reply = await fake.submitPassword(jar, flow, MFA)
        expect(reply.status, reply.text).toBe(422)
        expect(reply.headers.get('content-type')).toBe(JSON_ERROR)
        expectOperationBody('updateLoginFlow', 422, reply.body) // SPEC_PATCHES: FACTS §8.3
        expect(reply.body).toStrictEqual(browserLocationChangeRequired(redirect(fake)))
        expect(reply.headers.get('ory-error-id')).toBe('browser_location_change_required')
        // The aal1 cookie is already set (FACTS §2): whoami now says aal2 is required.
        expect(reply.setCookies.map((c) => c.name)).toContain(DEFAULT_COOKIE)
        const whoami = await fake.whoami({ jar })
        expect(whoami.status).toBe(403)
        expect(whoami.body).toStrictEqual(aal2Required(fake.url))
      },
    )

    it('should write the 422 like Go json.Encoder: & in URLs as \\u0026 on the wire (FACTS §0)', async () => {
      const jar = new CookieJar()
      const flow = await fake.browserLoginFlow(jar, `?return_to=${encodeURIComponent(`${APP}/app/after`)}`)
      const reply = await fake.submitPassword(jar, flow, MFA)
      expect(reply.status, reply.text).toBe(422)
      expect(reply.text).toContain('?aal=aal2\\u0026return_to=')
      expect(reply.text).not.toContain('&')
    })

    it('should 303 a browser form password login of an identity with TOTP to the aal2 flow', async () => {
      const jar = new CookieJar()
      const flow = await fake.browserLoginFlow(jar, `?return_to=${encodeURIComponent(`${APP}/app/after`)}`)
      const reply = await request(fake.at(`/self-service/login?flow=${flow.id}`), {
        method: 'POST',
        jar,
        form: {
          method: 'password',
          identifier: MFA.email,
          password: MFA.password,
          csrf_token: csrfToken(flow),
        },
      })
      expect(reply.status, reply.text).toBe(303)
      expect(reply.location).toBe(
        fake.at(`/self-service/login/browser?aal=aal2&return_to=${encodeURIComponent(`${APP}/app/after`)}`),
      )
    })

    it('should step the same session up to aal2 with the TOTP code', async () => {
      const jar = new CookieJar()
      const first = await fake.submitPassword(jar, await fake.browserLoginFlow(jar), MFA)
      expect(first.status, first.text).toBe(422)
      await fake.advance(HOUR)
      const before = await fake.whoami({ jar, headers: {} })
      expect(before.status).toBe(403)
      const flow = await fake.browserLoginFlow(jar, '?aal=aal2')
      expect(flow.requested_aal).toBe('aal2')
      const reply = await fake.submitTotp(jar, flow, MFA.totpCode)
      expect(reply.status, reply.text).toBe(200)
      expectOperationBody('updateLoginFlow', 200, reply.body)
      const session = bodyOf<NativeLoginJson>(reply).session
      expect(session.authenticator_assurance_level).toBe('aal2')
      expect(session.authentication_methods.map((m) => [m.method, m.aal])).toStrictEqual([
        ['password', 'aal1'],
        ['totp', 'aal2'],
      ])
      expect(ms(session.authenticated_at)).toBe(fake.now)
      expect(ms(session.expires_at)).toBe(fake.now + DAY)
      const whoami = await fake.whoami({ jar })
      expect(whoami.status).toBe(200)
      expect(bodyOf<SessionJson>(whoami).id).toBe(session.id)
    })

    it('should answer 400 with the loginFlow for a wrong TOTP code', async () => {
      const created = await fake.createSession(MFA.email, 'aal1')
      const jar = Fake.jarOf(created)
      const flow = await fake.browserLoginFlow(jar, '?aal=aal2')
      const reply = await fake.submitTotp(jar, flow, '000000')
      expect(reply.status, reply.text).toBe(400)
      expectOperationBody('updateLoginFlow', 400, reply.body)
      expect((await fake.whoami({ jar })).status).toBe(403)
    })
  })

  describe('API flows (FACTS §2)', () => {
    async function apiFlow(fake: Fake, query = '', token?: string): Promise<FlowJson> {
      const reply = await request(fake.at(`/self-service/login/api${query}`), {
        headers: token ? { 'X-Session-Token': token } : {},
      })
      return expectFlow(fake, reply, 'createNativeLoginFlow', 'api')
    }

    async function submit(
      fake: Fake,
      flow: FlowJson,
      who: { email: string; password: string },
      token?: string,
    ) {
      return request(fake.at(`/self-service/login?flow=${flow.id}`), {
        method: 'POST',
        headers: token ? { 'X-Session-Token': token } : {},
        json: { method: 'password', identifier: who.email, password: who.password },
      })
    }

    it('should answer 200 {session_token, session} without any CSRF token', async () => {
      const flow = await apiFlow(fake)
      const reply = await submit(fake, flow, USER)
      expect(reply.status, reply.text).toBe(200)
      expectOperationBody('updateLoginFlow', 200, reply.body)
      const login = bodyOf<NativeLoginJson>(reply)
      expect(login.session_token).toMatch(/^ory_st_/)
      const whoami = await fake.whoami({ headers: { 'X-Session-Token': login.session_token ?? '' } })
      expect(whoami.status).toBe(200)
      expect(bodyOf<SessionJson>(whoami).id).toBe(login.session.id)
    })

    it('should ignore refresh=true without a session', async () => {
      expect((await apiFlow(fake, '?refresh=true')).refresh).toBe(false)
    })

    it('should answer 400 session_already_available for a session token without refresh', async () => {
      const created = await fake.createSession(USER.email)
      const reply = await request(fake.at('/self-service/login/api'), {
        headers: { 'X-Session-Token': created.session_token },
      })
      expectError(reply, 'createNativeLoginFlow', SESSION_ALREADY_AVAILABLE)
    })

    it('should refresh the same session and return the same token', async () => {
      const created = await fake.createSession(USER.email)
      await fake.advance(HOUR)
      const flow = await apiFlow(fake, '?refresh=true', created.session_token)
      expect(flow.refresh).toBe(true)
      expect(messageIds(flow)).toStrictEqual([MSG_CONFIRM_ITS_YOU])
      const reply = await submit(fake, flow, USER, created.session_token)
      expect(reply.status, reply.text).toBe(200)
      const login = bodyOf<NativeLoginJson>(reply)
      expect(login.session_token).toBe(created.session_token)
      expect(login.session.id).toBe(created.session.id)
      expect(ms(login.session.expires_at)).toBe(fake.now + DAY)
    })

    it('should omit session.identity when the AAL check fails after a password login', async () => {
      const reply = await submit(fake, await apiFlow(fake), MFA)
      expect(reply.status, reply.text).toBe(200)
      expectOperationBody('updateLoginFlow', 200, reply.body)
      const login = bodyOf<NativeLoginJson>(reply)
      expect(login.session_token).toMatch(/^ory_st_/)
      expect(login.session.authenticator_assurance_level).toBe('aal1')
      expect(login.session).not.toHaveProperty('identity')
    })
  })
})

describe('login with refreshCreatesNewSession (FACTS §2: OIDC-style re-auth makes a new session)', () => {
  let fake: Fake
  beforeAll(async () => {
    fake = await Fake.start({ ...OPTIONS, refreshCreatesNewSession: true })
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  it('should give a refresh login a new session id, newer authenticated_at, and a cookie whoami follows', async () => {
    const created = await fake.createSession(USER.email)
    const jar = Fake.jarOf(created)
    await fake.advance(HOUR)
    const flow = await fake.browserLoginFlow(jar, '?refresh=true')
    const reply = await fake.submitPassword(jar, flow, USER)
    expect(reply.status, reply.text).toBe(200)
    expectOperationBody('updateLoginFlow', 200, reply.body)
    const session = bodyOf<NativeLoginJson>(reply).session
    expect(session.id).not.toBe(created.session.id)
    expect(ms(session.authenticated_at)).toBe(fake.now)
    expect(ms(session.authenticated_at)).toBeGreaterThan(ms(created.session.authenticated_at))
    const whoami = await fake.whoami({ jar })
    expect(bodyOf<SessionJson>(whoami).id).toBe(session.id)
  })
})
