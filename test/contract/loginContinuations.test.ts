// What in-page re-authentication meets on both login flows (FACTS §2, login/handler.go, login/error.go,
// container.ParseError): refresh and aal2 on the API flow, the API-flow continuation to aal2, the 400
// validation body, 410 with use_flow_id, a submit while already signed in, CSRF on the browser flow and
// the API flow's refusal of browser requests.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  API_FLOW_FROM_BROWSER,
  MSG_CONFIRM_ITS_YOU,
  MSG_GENERIC,
  MSG_SECOND_FACTOR,
  SESSION_AAL1_REQUIRED,
} from './facts.js'
import { type CreatedSession, DAY, Fake, HOUR, MFA, MINUTE, ms, USER } from './fake.js'
import {
  bodyOf,
  CookieJar,
  csrfToken,
  type ErrorJson,
  type FlowJson,
  messageIds,
  type NativeLoginJson,
  request,
} from './http.js'
import { expectOperationBody } from './openapi.js'

/** text/id.go: `ErrorValidationLoginFlowExpired` and `ErrorValidationInvalidCredentials`. */
const MSG_LOGIN_EXPIRED = 4010001
const MSG_INVALID_CREDENTIALS = 4000006
const ALREADY_LOGGED_IN =
  'A valid session was detected and thus login is not possible. Did you forget to set `?refresh=true`?'

const token = (created: CreatedSession | string) => ({
  'X-Session-Token': typeof created === 'string' ? created : created.session_token,
})

describe('login flows: what in-page re-authentication meets', () => {
  let fake: Fake
  beforeAll(async () => {
    fake = await Fake.start()
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  async function apiFlow(query = '', headers: Record<string, string> = {}): Promise<FlowJson> {
    const reply = await request(fake.at(`/self-service/login/api${query}`), { headers })
    expect(reply.status, reply.text).toBe(200)
    expectOperationBody('createNativeLoginFlow', 200, reply.body)
    return bodyOf<FlowJson>(reply)
  }

  function submitApi(flow: FlowJson, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return request(fake.at(`/self-service/login?flow=${flow.id}`), { method: 'POST', headers, json: fields })
  }

  const password = (who: { email: string; password: string }) => ({
    method: 'password',
    identifier: who.email,
    password: who.password,
  })

  describe('API flow: refresh and aal2 with X-Session-Token', () => {
    it('should offer only the second factor on refresh=true&aal=aal2 and keep the session id and token', async () => {
      const created = await fake.createSession(MFA.email, 'aal2')
      await fake.advance(2 * HOUR)
      const flow = await apiFlow('?refresh=true&aal=aal2', token(created))
      expect([flow.refresh, flow.requested_aal]).toStrictEqual([true, 'aal2'])
      // 1010004 only when the flow asks for more than the session has (handler.go:285).
      expect(messageIds(flow)).toStrictEqual([MSG_CONFIRM_ITS_YOU])
      expect(flow.ui.nodes.map((n) => n.attributes.name)).toStrictEqual(['totp_code', 'method'])
      const reply = await submitApi(flow, { method: 'totp', totp_code: MFA.totpCode }, token(created))
      expect(reply.status, reply.text).toBe(200)
      expectOperationBody('updateLoginFlow', 200, reply.body)
      const login = bodyOf<NativeLoginJson>(reply)
      expect(login.session_token).toBe(created.session_token)
      expect(login.session.id).toBe(created.session.id)
      expect(ms(login.session.authenticated_at)).toBe(fake.now)
      expect(ms(login.session.expires_at)).toBe(fake.now + DAY)
      expect(login.session.authentication_methods.at(-1)?.method).toBe('totp')
    })

    it('should continue an aal1 answer (no identity) with an aal=aal2 API flow on the same token: the API equivalent of the 422', async () => {
      const first = await submitApi(await apiFlow(), password(MFA))
      expect(first.status, first.text).toBe(200)
      const aal1 = bodyOf<NativeLoginJson>(first)
      expect(aal1.session.authenticator_assurance_level).toBe('aal1')
      expect(aal1.session).not.toHaveProperty('identity')
      const sessionToken = aal1.session_token ?? ''
      expect((await fake.whoami({ headers: token(sessionToken) })).status).toBe(403)
      const second = await apiFlow('?aal=aal2', token(sessionToken))
      expect(second.requested_aal).toBe('aal2')
      expect(messageIds(second)).toStrictEqual([MSG_SECOND_FACTOR])
      const reply = await submitApi(second, { method: 'totp', totp_code: MFA.totpCode }, token(sessionToken))
      expect(reply.status, reply.text).toBe(200)
      const aal2 = bodyOf<NativeLoginJson>(reply)
      expect([aal2.session_token, aal2.session.id]).toStrictEqual([sessionToken, aal1.session.id])
      expect(aal2.session.authenticator_assurance_level).toBe('aal2')
      expect(aal2.session.identity?.traits.email).toBe(MFA.email)
      expect((await fake.whoami({ headers: token(sessionToken) })).status).toBe(200)
    })

    it('should answer 401 session_aal1_required for aal=aal2 without a session', async () => {
      const reply = await request(fake.at('/self-service/login/api?aal=aal2'))
      expect(reply.status, reply.text).toBe(401)
      expectOperationBody('createNativeLoginFlow', 401, reply.body)
      expect(reply.body).toStrictEqual(SESSION_AAL1_REQUIRED)
    })

    it('should answer a submit of an aal2 flow whose session is gone with 401 session_aal1_required (handler.go)', async () => {
      const created = await fake.createSession(MFA.email, 'aal1')
      const flow = await apiFlow('?aal=aal2', token(created))
      await fake.revoke(created.session.id)
      const reply = await submitApi(flow, { method: 'totp', totp_code: MFA.totpCode }, token(created))
      expect(reply.status, reply.text).toBe(401)
      expect(reply.body).toStrictEqual(SESSION_AAL1_REQUIRED)
    })
  })

  describe('API flow: 400 validation body and 410', () => {
    it('should answer a wrong password with 400 and the loginFlow carrying 4000006', async () => {
      const created = await fake.createSession(USER.email)
      const flow = await apiFlow('?refresh=true', token(created))
      const reply = await submitApi(flow, { ...password(USER), password: 'wrong' }, token(created))
      expect(reply.status, reply.text).toBe(400)
      expectOperationBody('updateLoginFlow', 400, reply.body)
      const invalid = bodyOf<FlowJson>(reply)
      expect([invalid.id, invalid.type, invalid.refresh]).toStrictEqual([flow.id, 'api', true])
      expect(messageIds(invalid)).toStrictEqual([MSG_INVALID_CREDENTIALS])
    })

    it('should answer 410 with use_flow_id naming a replacement with the same refresh, which then succeeds', async () => {
      const created = await fake.createSession(USER.email)
      const flow = await apiFlow('?refresh=true', token(created))
      await fake.advance(ms(flow.expires_at) - fake.now + 2 * MINUTE)
      const reply = await submitApi(flow, password(USER), token(created))
      expect(reply.status, reply.text).toBe(410)
      expectOperationBody('updateLoginFlow', 410, reply.body)
      const gone = bodyOf<ErrorJson & { use_flow_id: string; expired_at: string }>(reply)
      expect(gone.error.id).toBe('self_service_flow_expired')
      expect(ms(gone.expired_at)).toBe(ms(flow.expires_at))
      expect(gone.use_flow_id).not.toBe(flow.id)
      const got = await request(fake.at(`/self-service/login/flows?id=${gone.use_flow_id}`))
      expect(got.status, got.text).toBe(200)
      const replacement = bodyOf<FlowJson>(got)
      expect([replacement.type, replacement.refresh]).toStrictEqual(['api', true])
      expect(messageIds(replacement)).toContain(MSG_LOGIN_EXPIRED)
      const retried = await submitApi(replacement, password(USER), token(created))
      expect(retried.status, retried.text).toBe(200)
      expect(bodyOf<NativeLoginJson>(retried).session.id).toBe(created.session.id)
    })
  })

  describe('API flow: browser requests are refused (flow.EnsureCSRF)', () => {
    it.each<[string, Record<string, string>, 'Origin' | 'Cookie']>([
      ['an Origin header', { Origin: 'https://app.example.test' }, 'Origin'],
      ['a cookie', { Cookie: 'theme=dark' }, 'Cookie'],
    ])(
      'should answer a submit with %s 400 with the flow and the reason as its message',
      async (_, headers, key) => {
        const flow = await apiFlow()
        const reply = await submitApi(flow, password(USER), headers)
        expect(reply.status, reply.text).toBe(400)
        expectOperationBody('updateLoginFlow', 400, reply.body)
        const reason = API_FLOW_FROM_BROWSER(key)
        expect(bodyOf<FlowJson>(reply).ui.messages).toStrictEqual([
          { id: MSG_GENERIC, text: reason, type: 'error', context: { reason } },
        ])
      },
    )
  })

  describe('a submit while already signed in, without refresh', () => {
    it('should answer the API flow 400 with the flow carrying session_already_available as a message', async () => {
      const flow = await apiFlow()
      const created = await fake.createSession(USER.email)
      const reply = await submitApi(flow, password(USER), token(created))
      expect(reply.status, reply.text).toBe(400)
      expectOperationBody('updateLoginFlow', 400, reply.body)
      expect(bodyOf<FlowJson>(reply).ui.messages).toStrictEqual([
        { id: MSG_GENERIC, text: ALREADY_LOGGED_IN, type: 'error', context: { reason: ALREADY_LOGGED_IN } },
      ])
    })

    it('should answer a SPA the same way', async () => {
      const jar = new CookieJar()
      const flow = await fake.browserLoginFlow(jar)
      jar.add((await fake.createSession(USER.email)).cookie)
      const reply = await fake.submitPassword(jar, flow, USER)
      expect(reply.status, reply.text).toBe(400)
      expect(messageIds(bodyOf<FlowJson>(reply))).toStrictEqual([MSG_GENERIC])
    })
  })

  describe('browser flow as a SPA', () => {
    it('should answer 410 with use_flow_id naming a browser replacement that keeps refresh and return_to', async () => {
      const created = await fake.createSession(USER.email)
      const jar = Fake.jarOf(created)
      const flow = await fake.browserLoginFlow(jar, '?refresh=true')
      await fake.advance(ms(flow.expires_at) - fake.now + MINUTE)
      const reply = await fake.submitPassword(jar, flow, USER)
      expect(reply.status, reply.text).toBe(410)
      const gone = bodyOf<ErrorJson & { use_flow_id: string }>(reply)
      const got = await request(fake.at(`/self-service/login/flows?id=${gone.use_flow_id}`), {
        accept: 'json',
        jar,
      })
      expect(got.status, got.text).toBe(200)
      const replacement = bodyOf<FlowJson>(got)
      expect([replacement.type, replacement.refresh]).toStrictEqual(['browser', true])
      const retried = await fake.submitPassword(jar, replacement, USER)
      expect(retried.status, retried.text).toBe(200)
    })

    it("should answer 403 security_csrf_violation to another browser's getLoginFlow", async () => {
      const flow = await fake.browserLoginFlow(new CookieJar())
      const reply = await request(fake.at(`/self-service/login/flows?id=${flow.id}`), {
        accept: 'json',
        jar: new CookieJar(),
      })
      expect(reply.status, reply.text).toBe(403)
      expectOperationBody('getLoginFlow', 403, reply.body)
      expect(bodyOf<ErrorJson>(reply).error.id).toBe('security_csrf_violation')
      expect(csrfToken(flow)).not.toBe('')
    })
  })
})
