// Ory's SDK as the contract: fake-kratos driven only through @ory/client-fetch's typed methods. Every
// answer must parse in Ory's own models (dates as Date, enums, oneOf node attributes and continue_with
// items) and every error must reach the app as the SDK's ResponseError with Kratos's status and error id.
import {
  AuthenticatorAssuranceLevel,
  ErrorAuthenticatorAssuranceLevelNotSatisfiedFromJSON,
  ErrorBrowserLocationChangeRequiredFromJSON,
  type LoginFlow,
  LoginFlowFromJSON,
  LoginFlowState,
  NeedsPrivilegedSessionErrorFromJSON,
  SelfServiceFlowExpiredErrorFromJSON,
  type Session,
  SettingsFlowState,
  type UiNodeInputAttributes,
} from '@ory/client-fetch'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { aal2Required, browserLocationChangeRequired, WHOAMI_401 } from './facts.js'
import { DAY, Fake, HOUR, MFA, MINUTE, USER } from './fake.js'
import { browserFor, expectSdkError, frontendFor, identityApiFor, sdkFailure } from './sdk.js'

const PASSWORD = 'password'
const NEW_PASSWORD = 'a-much-better-passphrase-42'
const SETTINGS = Array.from({ length: 4 }, (_, i) => ({ email: `sdk-${i}@example.com`, password: PASSWORD }))

/** The value of a flow's input node, read through the SDK's oneOf attributes. */
function inputValue(flow: LoginFlow | { ui: LoginFlow['ui'] }, name: string): unknown {
  const node = flow.ui.nodes.find((n) => n.attributes.node_type === 'input' && n.attributes.name === name)
  return (node?.attributes as UiNodeInputAttributes | undefined)?.value
}

const messageIds = (flow: { ui: LoginFlow['ui'] }) => (flow.ui.messages ?? []).map((m) => m.id)

/** A Session as the SDK parses it: dates as `Date`, the AAL as the SDK's enum. */
function expectParsedSession(session: Session | undefined, at: { now: number; aal: string }): Session {
  if (!session) throw new Error('expected a session')
  expect(session.id).toMatch(/^[0-9a-f-]{36}$/)
  expect(session.expires_at).toBeInstanceOf(Date)
  expect(session.authenticated_at).toBeInstanceOf(Date)
  expect(session.issued_at).toBeInstanceOf(Date)
  expect(session.authenticated_at?.getTime()).toBeLessThanOrEqual(at.now)
  expect(Object.values(AuthenticatorAssuranceLevel)).toContain(session.authenticator_assurance_level)
  expect(session.authenticator_assurance_level).toBe(at.aal)
  for (const method of session.authentication_methods ?? []) expect(method.completed_at).toBeInstanceOf(Date)
  return session
}

describe('@ory/client-fetch against fake-kratos', () => {
  let fake: Fake
  let next = 0
  const settingsIdentity = () => {
    const found = SETTINGS[next++]
    if (!found) throw new Error('sdk.test.ts: add identities to SETTINGS')
    return found.email
  }
  beforeAll(async () => {
    fake = await Fake.start({ identities: [USER, MFA, ...SETTINGS], privilegedSessionMaxAge: '1h' })
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  describe('FrontendApi.toSession', () => {
    it('should parse the session of a token and of a cookie into the Session model', async () => {
      const created = await fake.createSession(USER.email)
      const byToken = await frontendFor(fake).toSession({ xSessionToken: created.session_token })
      expectParsedSession(byToken, { now: fake.now, aal: AuthenticatorAssuranceLevel.Aal1 })
      expect(byToken.expires_at?.getTime()).toBe(fake.now + DAY)
      expect(byToken.identity?.traits).toMatchObject({ email: USER.email })
      expect(byToken.identity?.created_at).toBeInstanceOf(Date)
      expect(byToken.authentication_methods?.map((m) => m.method)).toStrictEqual(['password'])
      const byCookie = await browserFor(fake, created.cookie).frontend.toSession()
      expect(byCookie).toStrictEqual(byToken)
    })

    it('should reject without credentials with a ResponseError 401 carrying no error id (FACTS §8.1)', async () => {
      const failure = await expectSdkError(frontendFor(fake).toSession(), 401, undefined)
      expect(failure.body).toStrictEqual(WHOAMI_401)
    })

    it('should reject an aal1 session of an identity with TOTP with 403 session_aal2_required, in its model', async () => {
      const created = await fake.createSession(MFA.email, 'aal1')
      const failure = await expectSdkError(
        frontendFor(fake).toSession({ xSessionToken: created.session_token }),
        403,
        'session_aal2_required',
      )
      expect(failure.body).toStrictEqual(aal2Required(fake.url))
      const parsed = ErrorAuthenticatorAssuranceLevelNotSatisfiedFromJSON(failure.body)
      expect(parsed.redirect_browser_to).toBe(fake.at('/self-service/login/browser?aal=aal2'))
      expect(parsed.error?.id).toBe('session_aal2_required')
    })
  })

  describe('browser login: createBrowserLoginFlow, getLoginFlow, updateLoginFlow (cookies and CSRF)', () => {
    it('should refresh a session in the page: flow, same flow by id, then a newer authenticated_at', async () => {
      const created = await fake.createSession(USER.email)
      const { frontend } = browserFor(fake, created.cookie)
      await fake.advance(2 * HOUR)
      const flow = await frontend.createBrowserLoginFlow({ refresh: true })
      expect([flow.type, flow.refresh, flow.requested_aal, flow.state]).toStrictEqual([
        'browser',
        true,
        AuthenticatorAssuranceLevel.Aal1,
        LoginFlowState.ChooseMethod,
      ])
      expect(flow.expires_at).toBeInstanceOf(Date)
      expect(flow.ui.nodes.every((n) => n.attributes.node_type === 'input')).toBe(true)
      expect(inputValue(flow, 'identifier')).toBe(USER.email)
      expect(messageIds(flow)).toStrictEqual([1010003])
      const again = await frontend.getLoginFlow({ id: flow.id })
      expect(again).toStrictEqual(flow)
      const login = await frontend.updateLoginFlow({
        flow: flow.id,
        updateLoginFlowBody: {
          method: 'password',
          identifier: USER.email,
          password: USER.password,
          csrf_token: String(inputValue(flow, 'csrf_token')),
        },
      })
      // A browser flow sends no token (FACTS §2).
      expect(login.session_token).toBeUndefined()
      const session = expectParsedSession(login.session, { now: fake.now, aal: 'aal1' })
      expect(session.id).toBe(created.session.id)
      expect(session.authenticated_at?.getTime()).toBe(fake.now)
      expect((await frontend.toSession()).authenticated_at?.getTime()).toBe(fake.now)
    })

    it('should continue a password login of an identity with TOTP: 422 browser_location_change_required, then the aal2 flow', async () => {
      const { frontend } = browserFor(fake)
      const flow = await frontend.createBrowserLoginFlow()
      const csrf_token = String(inputValue(flow, 'csrf_token'))
      const body = { method: 'password', identifier: MFA.email, password: MFA.password, csrf_token } as const
      const failure = await expectSdkError(
        frontend.updateLoginFlow({ flow: flow.id, updateLoginFlowBody: body }),
        422,
        'browser_location_change_required',
      )
      const redirect = fake.at('/self-service/login/browser?aal=aal2')
      expect(failure.body).toStrictEqual(browserLocationChangeRequired(redirect))
      // The SDK's model nests `error` once too often (FACTS §8.3): parsed by it, the id is lost and
      // only redirect_browser_to survives, so an app reads the id from the raw body.
      const parsed = ErrorBrowserLocationChangeRequiredFromJSON(failure.body)
      expect(parsed.redirect_browser_to).toBe(redirect)
      expect(parsed.error?.error).toBeUndefined()
      const aal2 = await frontend.createBrowserLoginFlow({
        aal: new URL(failure.body.redirect_browser_to ?? '').searchParams.get('aal') ?? '',
      })
      expect(aal2.requested_aal).toBe(AuthenticatorAssuranceLevel.Aal2)
      expect(messageIds(aal2)).toStrictEqual([1010004])
      const done = await frontend.updateLoginFlow({
        flow: aal2.id,
        updateLoginFlowBody: {
          method: 'totp',
          totp_code: MFA.totpCode,
          csrf_token: String(inputValue(aal2, 'csrf_token')),
        },
      })
      expectParsedSession(done.session, { now: fake.now, aal: AuthenticatorAssuranceLevel.Aal2 })
    })

    it('should reject a wrong password with 400 whose body is a LoginFlow with message 4000006', async () => {
      const { frontend } = browserFor(fake)
      const flow = await frontend.createBrowserLoginFlow()
      const failure = await sdkFailure(
        frontend.updateLoginFlow({
          flow: flow.id,
          updateLoginFlowBody: {
            method: 'password',
            identifier: USER.email,
            password: 'wrong',
            csrf_token: String(inputValue(flow, 'csrf_token')),
          },
        }),
      )
      expect(failure.status).toBe(400)
      const invalid = LoginFlowFromJSON(failure.body)
      expect(invalid.id).toBe(flow.id)
      expect(invalid.expires_at).toBeInstanceOf(Date)
      expect(messageIds(invalid)).toStrictEqual([4000006])
    })

    it('should reject a submit without the CSRF token, and another browser reading the flow, with 403 security_csrf_violation', async () => {
      const { frontend } = browserFor(fake)
      const flow = await frontend.createBrowserLoginFlow()
      await expectSdkError(
        frontend.updateLoginFlow({
          flow: flow.id,
          updateLoginFlowBody: {
            method: 'password',
            identifier: USER.email,
            password: USER.password,
            csrf_token: '',
          },
        }),
        403,
        'security_csrf_violation',
      )
      await expectSdkError(
        browserFor(fake).frontend.getLoginFlow({ id: flow.id }),
        403,
        'security_csrf_violation',
      )
    })

    it('should reject an expired flow with 410 self_service_flow_expired whose use_flow_id getLoginFlow returns', async () => {
      const created = await fake.createSession(USER.email)
      const { frontend } = browserFor(fake, created.cookie)
      const flow = await frontend.createBrowserLoginFlow({ refresh: true })
      await fake.advance((flow.expires_at?.getTime() ?? 0) - fake.now + MINUTE)
      const failure = await expectSdkError(
        frontend.updateLoginFlow({
          flow: flow.id,
          updateLoginFlowBody: {
            method: 'password',
            identifier: USER.email,
            password: USER.password,
            csrf_token: String(inputValue(flow, 'csrf_token')),
          },
        }),
        410,
        'self_service_flow_expired',
      )
      const expired = SelfServiceFlowExpiredErrorFromJSON(failure.body)
      expect(expired.expired_at).toStrictEqual(flow.expires_at)
      const replacement = await frontend.getLoginFlow({ id: expired.use_flow_id ?? '' })
      expect([replacement.refresh, replacement.type]).toStrictEqual([true, 'browser'])
    })

    it.each<[string, { refresh?: boolean; aal?: string }, boolean, number, string]>([
      ['without refresh while signed in', {}, true, 400, 'session_already_available'],
      ['for aal2 without a session', { aal: 'aal2' }, false, 401, 'session_aal1_required'],
    ])('should reject a flow %s', async (_, query, signedIn, status, id) => {
      const cookie = signedIn ? (await fake.createSession(USER.email)).cookie : undefined
      await expectSdkError(browserFor(fake, cookie).frontend.createBrowserLoginFlow(query), status, id)
    })
  })

  describe('API login: createNativeLoginFlow, updateLoginFlow (X-Session-Token)', () => {
    it('should refresh with the same token and session, and say so in continue_with', async () => {
      const created = await fake.createSession(USER.email)
      const xSessionToken = created.session_token
      const frontend = frontendFor(fake)
      await fake.advance(HOUR)
      const flow = await frontend.createNativeLoginFlow({ refresh: true, xSessionToken })
      expect([flow.type, flow.refresh, inputValue(flow, 'csrf_token')]).toStrictEqual([
        'api',
        true,
        undefined,
      ])
      const login = await frontend.updateLoginFlow({
        flow: flow.id,
        xSessionToken,
        updateLoginFlowBody: { method: 'password', identifier: USER.email, password: USER.password },
      })
      expect(login.session_token).toBe(xSessionToken)
      const session = expectParsedSession(login.session, { now: fake.now, aal: 'aal1' })
      expect([session.id, session.authenticated_at?.getTime()]).toStrictEqual([created.session.id, fake.now])
      expect(login.continue_with).toStrictEqual([
        { action: 'set_ory_session_token', ory_session_token: xSessionToken },
      ])
    })

    it('should step an aal1 answer up with an aal2 API flow and TOTP on the same token', async () => {
      const frontend = frontendFor(fake)
      const first = await frontend.updateLoginFlow({
        flow: (await frontend.createNativeLoginFlow()).id,
        updateLoginFlowBody: { method: 'password', identifier: MFA.email, password: MFA.password },
      })
      expect(first.session.identity).toBeUndefined()
      const xSessionToken = first.session_token ?? ''
      const aal2 = await frontend.createNativeLoginFlow({ aal: 'aal2', xSessionToken })
      const done = await frontend.updateLoginFlow({
        flow: aal2.id,
        xSessionToken,
        updateLoginFlowBody: { method: 'totp', totp_code: MFA.totpCode },
      })
      expectParsedSession(done.session, { now: fake.now, aal: AuthenticatorAssuranceLevel.Aal2 })
      expect(done.session.identity?.traits).toMatchObject({ email: MFA.email })
    })

    it('should reject a token without refresh with 400 session_already_available', async () => {
      const { session_token } = await fake.createSession(USER.email)
      await expectSdkError(
        frontendFor(fake).createNativeLoginFlow({ xSessionToken: session_token }),
        400,
        'session_already_available',
      )
    })
  })

  describe('settings API flow: createNativeSettingsFlow, updateSettingsFlow', () => {
    it('should change the password of a privileged session: SettingsFlow at state success', async () => {
      const { session_token: xSessionToken } = await fake.createSession(settingsIdentity())
      const frontend = frontendFor(fake)
      const flow = await frontend.createNativeSettingsFlow({ xSessionToken })
      expect([flow.type, flow.state]).toStrictEqual(['api', SettingsFlowState.ShowForm])
      expect(flow.expires_at).toBeInstanceOf(Date)
      expect(flow.identity.created_at).toBeInstanceOf(Date)
      const updated = await frontend.updateSettingsFlow({
        flow: flow.id,
        xSessionToken,
        updateSettingsFlowBody: { method: 'password', password: NEW_PASSWORD },
      })
      expect([updated.id, updated.state]).toStrictEqual([flow.id, SettingsFlowState.Success])
    })

    it('should reject a session authenticated 2h ago with 403 session_refresh_required, in its model', async () => {
      const { session_token: xSessionToken } = await fake.createSession(settingsIdentity())
      await fake.advance(2 * HOUR)
      const frontend = frontendFor(fake)
      const flow = await frontend.createNativeSettingsFlow({ xSessionToken })
      const failure = await expectSdkError(
        frontend.updateSettingsFlow({
          flow: flow.id,
          xSessionToken,
          updateSettingsFlowBody: { method: 'password', password: NEW_PASSWORD },
        }),
        403,
        'session_refresh_required',
      )
      const parsed = NeedsPrivilegedSessionErrorFromJSON(failure.body)
      const redirect = new URL(parsed.redirect_browser_to)
      expect(redirect.pathname).toBe('/self-service/login/browser')
      expect(redirect.searchParams.get('refresh')).toBe('true')
      expect(redirect.searchParams.get('return_to')).toBe(fake.at(`/self-service/settings?flow=${flow.id}`))
    })

    it('should reject creating a flow without a token with 401 session_inactive, and a submit with 401', async () => {
      const frontend = frontendFor(fake)
      await expectSdkError(frontend.createNativeSettingsFlow(), 401, 'session_inactive')
      const { session_token: xSessionToken } = await fake.createSession(settingsIdentity())
      const flow = await frontend.createNativeSettingsFlow({ xSessionToken })
      await expectSdkError(
        frontend.updateSettingsFlow({
          flow: flow.id,
          updateSettingsFlowBody: { method: 'password', password: NEW_PASSWORD },
        }),
        401,
        undefined,
      )
    })
  })

  describe('FrontendApi.performNativeLogout', () => {
    it('should revoke the token (204), and reject an unknown token with 403', async () => {
      const { session_token } = await fake.createSession(USER.email)
      const frontend = frontendFor(fake)
      await expect(
        frontend.performNativeLogout({ performNativeLogoutBody: { session_token } }),
      ).resolves.toBeUndefined()
      await expectSdkError(frontend.toSession({ xSessionToken: session_token }), 401, undefined)
      const failure = await expectSdkError(
        frontend.performNativeLogout({ performNativeLogoutBody: { session_token: 'ory_st_unknown' } }),
        403,
        undefined,
      )
      expect(failure.body.error.reason).toMatch(/could not be found/)
    })
  })

  describe('IdentityApi.extendSession', () => {
    it('should answer the legacy 200 with a Session extended to now + lifespan', async () => {
      const created = await fake.createSession(USER.email)
      await fake.advance(HOUR)
      const extended = await identityApiFor(fake).extendSession({ id: created.session.id })
      const session = expectParsedSession(extended ?? undefined, { now: fake.now, aal: 'aal1' })
      expect(session.expires_at?.getTime()).toBe(fake.now + DAY)
    })

    it('should reject an unknown id with 404 and a malformed one with 400', async () => {
      const identityApi = identityApiFor(fake)
      await expectSdkError(
        identityApi.extendSession({ id: '00000000-0000-4000-8000-000000000000' }),
        404,
        undefined,
      )
      await expectSdkError(identityApi.extendSession({ id: 'not-a-uuid' }), 400, undefined)
    })
  })
})

describe('@ory/client-fetch IdentityApi.extendSession on Ory Network settings (API key, 204)', () => {
  let fake: Fake
  beforeAll(async () => {
    fake = await Fake.start({ apiKey: 'ory_pat_test', fasterSessionExtend: true })
  })
  afterAll(() => fake.close())

  it('should resolve null on 204 with the access token, and reject without it with 401', async () => {
    const created = await fake.createSession(USER.email)
    await expect(
      identityApiFor(fake, 'ory_pat_test').extendSession({ id: created.session.id }),
    ).resolves.toBeNull()
    await expectSdkError(identityApiFor(fake).extendSession({ id: created.session.id }), 401, undefined)
  })
})
