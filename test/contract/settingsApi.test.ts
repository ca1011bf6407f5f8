// The settings API flow (createNativeSettingsFlow, getSettingsFlow, updateSettingsFlow with
// X-Session-Token) against the spec, FACTS.md §4 and Kratos's settings handler and password strategy.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  API_FLOW_FROM_BROWSER,
  aal2Required,
  JSON_OK,
  MSG_GENERIC,
  MSG_SETTINGS_EXPIRED,
  NO_CACHE,
  SETTINGS_API_NO_SESSION,
  SETTINGS_NO_SESSION,
  sessionRefreshRequired,
} from './facts.js'
import { type CreatedSession, Fake, HOUR, MFA, ms } from './fake.js'
import { bodyOf, type ErrorJson, type FlowJson, type NativeLoginJson, request } from './http.js'
import { expectError, expectOperationBody, expectSchema } from './openapi.js'

const PASSWORD = 'password'
const NEW_PASSWORD = 'a-much-better-passphrase-42'
/** One identity per test that may change a password, so tests do not depend on each other. */
const IDENTITIES = [
  ...Array.from({ length: 24 }, (_, i) => ({ email: `api-settings-${i}@example.com`, password: PASSWORD })),
  MFA,
]

const token = (created: CreatedSession) => ({ 'X-Session-Token': created.session_token })

describe('settings API flow (X-Session-Token)', () => {
  let fake: Fake
  let next = 0
  /** A session of a fresh identity. */
  const signIn = async () => {
    const found = IDENTITIES[next++]
    if (!found || found === MFA) throw new Error('settingsApi.test.ts: add identities to IDENTITIES')
    return fake.createSession(found.email)
  }

  beforeAll(async () => {
    fake = await Fake.start({ identities: IDENTITIES, privilegedSessionMaxAge: '1h' })
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  async function apiSettingsFlow(created: CreatedSession): Promise<FlowJson> {
    const reply = await request(fake.at('/self-service/settings/api'), { headers: token(created) })
    expect(reply.status, reply.text).toBe(200)
    expect(reply.headers.get('content-type')).toBe(JSON_OK)
    expectOperationBody('createNativeSettingsFlow', 200, reply.body)
    return bodyOf<FlowJson>(reply)
  }

  function submit(created: CreatedSession | null, flow: FlowJson, headers: Record<string, string> = {}) {
    return request(fake.at(`/self-service/settings?flow=${flow.id}`), {
      method: 'POST',
      headers: { ...(created && token(created)), ...headers },
      json: { method: 'password', password: NEW_PASSWORD },
    })
  }

  describe('GET /self-service/settings/api', () => {
    it("should answer 200 with an api settingsFlow of the token's identity, without a session cookie", async () => {
      const created = await signIn()
      const reply = await request(fake.at('/self-service/settings/api'), { headers: token(created) })
      expect(reply.headers.get('cache-control')).toBe(NO_CACHE)
      const flow = await apiSettingsFlow(created)
      expect(flow.type).toBe('api')
      expect(flow.state).toBe('show_form')
      expect(flow.ui.action).toBe(fake.at(`/self-service/settings?flow=${flow.id}`))
      expect((flow as FlowJson & { identity: { id: string } }).identity.id).toBe(created.session.identity?.id)
      expect(reply.setCookies.map((c) => c.name)).not.toContain('ory_kratos_session')
    })

    it.each<[string, (fake: Fake) => Promise<Record<string, string>>]>([
      ['without any credential', async () => ({})],
      ['with an unknown token', async () => ({ 'X-Session-Token': 'ory_st_unknown' })],
      [
        'with a revoked token',
        async (fake) => {
          const created = await fake.createSession(IDENTITIES[0]?.email ?? '')
          await fake.revoke(created.session.id)
          return token(created)
        },
      ],
    ])('should answer 401 session_inactive %s', async (_, headers) => {
      const reply = await request(fake.at('/self-service/settings/api'), { headers: await headers(fake) })
      expectError(reply, 'createNativeSettingsFlow', SETTINGS_API_NO_SESSION)
    })

    it('should answer 401 once the session expired', async () => {
      const created = await signIn()
      await fake.advance(ms(created.session.expires_at) - fake.now + 1_000)
      const reply = await request(fake.at('/self-service/settings/api'), { headers: token(created) })
      expectError(reply, 'createNativeSettingsFlow', SETTINGS_API_NO_SESSION)
    })

    it('should answer 403 session_aal2_required without return_to for an aal1 session of an identity with TOTP', async () => {
      const created = await fake.createSession(MFA.email, 'aal1')
      const reply = await request(fake.at('/self-service/settings/api'), { headers: token(created) })
      expectError(reply, 'createNativeSettingsFlow', aal2Required(fake.url))
    })
  })

  describe('GET /self-service/settings/flows', () => {
    it('should return the api flow to its token', async () => {
      const created = await signIn()
      const flow = await apiSettingsFlow(created)
      const reply = await request(fake.at(`/self-service/settings/flows?id=${flow.id}`), {
        headers: token(created),
      })
      expect(reply.status, reply.text).toBe(200)
      expectOperationBody('getSettingsFlow', 200, reply.body)
      expect(reply.body).toStrictEqual(flow)
    })

    it('should answer a JSON request without a session 401 without an id (OnUnauthenticated)', async () => {
      const flow = await apiSettingsFlow(await signIn())
      const reply = await request(fake.at(`/self-service/settings/flows?id=${flow.id}`), { accept: 'json' })
      expectError(reply, 'getSettingsFlow', SETTINGS_NO_SESSION)
    })

    it("should answer 403 security_identity_mismatch for another identity's flow", async () => {
      const flow = await apiSettingsFlow(await signIn())
      const reply = await request(fake.at(`/self-service/settings/flows?id=${flow.id}`), {
        headers: token(await signIn()),
      })
      expect(reply.status, reply.text).toBe(403)
      expect(bodyOf<ErrorJson>(reply).error.id).toBe('security_identity_mismatch')
    })

    it('should answer 410 pointing to the API init endpoint once the api flow expired', async () => {
      const created = await signIn()
      const flow = await apiSettingsFlow(created)
      await fake.advance(ms(flow.expires_at) - fake.now + 1_000)
      const reply = await request(fake.at(`/self-service/settings/flows?id=${flow.id}`), {
        headers: token(created),
      })
      expect(reply.status, reply.text).toBe(410)
      expectOperationBody('getSettingsFlow', 410, reply.body)
      const { error } = bodyOf<ErrorJson>(reply)
      expect(error.id).toBe('self_service_flow_expired')
      expect(error.details).toStrictEqual({ api: fake.at('/self-service/settings/api') })
    })
  })

  describe('POST /self-service/settings with X-Session-Token (FACTS §4)', () => {
    it('should change the password of a privileged session: 200 with the flow at state success', async () => {
      const created = await signIn()
      const flow = await apiSettingsFlow(created)
      const reply = await submit(created, flow)
      expect(reply.status, reply.text).toBe(200)
      expect(reply.headers.get('content-type')).toBe(JSON_OK)
      expectOperationBody('updateSettingsFlow', 200, reply.body)
      const updated = bodyOf<FlowJson>(reply)
      expect(updated.id).toBe(flow.id)
      expect(updated.state).toBe('success')
      // The new password signs in through the API login flow.
      const email = created.session.identity?.traits.email as string
      const login = await request(fake.at('/self-service/login/api'))
      const signedIn = await request(fake.at(`/self-service/login?flow=${bodyOf<FlowJson>(login).id}`), {
        method: 'POST',
        json: { method: 'password', identifier: email, password: NEW_PASSWORD },
      })
      expect(signedIn.status, signedIn.text).toBe(200)
    })

    it('should answer 403 session_refresh_required to a session authenticated 2h ago, pointing to a browser refresh login', async () => {
      const created = await signIn()
      await fake.advance(2 * HOUR)
      const flow = await apiSettingsFlow(created)
      const reply = await submit(created, flow)
      expectError(reply, 'updateSettingsFlow', sessionRefreshRequired(reauthUrl(fake, flow)))
      expectSchema(reply.body, 'needsPrivilegedSessionError')
    })

    it('should accept the change after an API refresh login with the same token', async () => {
      const created = await signIn()
      await fake.advance(2 * HOUR)
      const flow = await apiSettingsFlow(created)
      expect((await submit(created, flow)).status).toBe(403)
      const login = bodyOf<FlowJson>(
        await request(fake.at('/self-service/login/api?refresh=true'), { headers: token(created) }),
      )
      const email = created.session.identity?.traits.email as string
      const refreshed = await request(fake.at(`/self-service/login?flow=${login.id}`), {
        method: 'POST',
        headers: token(created),
        json: { method: 'password', identifier: email, password: PASSWORD },
      })
      expect(refreshed.status, refreshed.text).toBe(200)
      expect(bodyOf<NativeLoginJson>(refreshed).session_token).toBe(created.session_token)
      const retried = await submit(created, flow)
      expect(retried.status, retried.text).toBe(200)
      expect(bodyOf<FlowJson>(retried).state).toBe('success')
    })

    it('should answer 401 without an id when the token is missing', async () => {
      const flow = await apiSettingsFlow(await signIn())
      expectError(await submit(null, flow), 'updateSettingsFlow', SETTINGS_NO_SESSION)
    })

    it.each<[string, Record<string, string>, 'Origin' | 'Cookie']>([
      ['an Origin header (an AJAX call)', { Origin: 'https://app.example.test' }, 'Origin'],
      ['a cookie (Cloudflare cookies aside)', { Cookie: 'theme=dark; __cf_bm=x' }, 'Cookie'],
    ])(
      'should refuse a request with %s: 400 with the flow and the reason as its message (flow.EnsureCSRF, ParseError)',
      async (_, headers, key) => {
        const created = await signIn()
        const flow = await apiSettingsFlow(created)
        const reply = await submit(created, flow, headers)
        expect(reply.status, reply.text).toBe(400)
        expectOperationBody('updateSettingsFlow', 400, reply.body)
        const refused = bodyOf<FlowJson>(reply)
        expect(refused.id).toBe(flow.id)
        const reason = API_FLOW_FROM_BROWSER(key)
        expect(refused.ui.messages).toStrictEqual([
          { id: MSG_GENERIC, text: reason, type: 'error', context: { reason } },
        ])
        // Nothing changed: the same request without the browser's header goes through.
        expect((await submit(created, flow)).status).toBe(200)
      },
    )

    it('should answer an unknown method 400 with the flow and "no strategy" (4010004)', async () => {
      const created = await signIn()
      const flow = await apiSettingsFlow(created)
      const reply = await request(fake.at(`/self-service/settings?flow=${flow.id}`), {
        method: 'POST',
        headers: token(created),
        json: { method: 'carrier-pigeon' },
      })
      expect(reply.status, reply.text).toBe(400)
      expectOperationBody('updateSettingsFlow', 400, reply.body)
      expect(bodyOf<FlowJson>(reply).ui.messages?.map((m) => m.id)).toStrictEqual([4010004])
    })

    it('should answer 410 with use_flow_id naming a new api flow once the flow expired', async () => {
      const created = await signIn()
      const flow = await apiSettingsFlow(created)
      await fake.advance(ms(flow.expires_at) - fake.now + 60_000)
      const reply = await submit(created, flow)
      expect(reply.status, reply.text).toBe(410)
      expectOperationBody('updateSettingsFlow', 410, reply.body)
      const body = bodyOf<ErrorJson & { use_flow_id: string }>(reply)
      expect(body.error.id).toBe('self_service_flow_expired')
      expect(body.use_flow_id).not.toBe(flow.id)
      const replacement = await request(fake.at(`/self-service/settings/flows?id=${body.use_flow_id}`), {
        headers: token(created),
      })
      expect(replacement.status, replacement.text).toBe(200)
      const fresh = bodyOf<FlowJson>(replacement)
      expect(fresh.type).toBe('api')
      expect(fresh.ui.messages?.map((m) => m.id)).toStrictEqual([MSG_SETTINGS_EXPIRED])
      expect(fresh.request_url).toBe(flow.request_url)
      // The replacement is live: past the flow lifespan (1h) the session needs a refresh first.
      const retried = await submit(created, fresh)
      expect(bodyOf<ErrorJson>(retried).error.id).toBe('session_refresh_required')
    })
  })
})

/** FACTS §4: `…/login/browser?refresh=true&return_to=<public settings URL with the request's query>`. */
function reauthUrl(fake: Fake, flow: FlowJson): string {
  const returnTo = fake.at(`/self-service/settings?flow=${flow.id}`)
  return fake.at(`/self-service/login/browser?refresh=true&return_to=${encodeURIComponent(returnTo)}`)
}
