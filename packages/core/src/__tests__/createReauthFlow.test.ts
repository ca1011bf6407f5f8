// @vitest-environment jsdom
// keeper.createReauthFlow (issue 13): in-page re-authentication over Kratos's login flow, in
// cookie mode (the SPA recipe) and token mode (the API flow), against a scripted Kratos.
import { describe, expect, it, vi } from 'vitest'
import { InvalidResponseError, ReauthFlowError, UnsafeReturnToError } from '../SessionKeeperError.js'
import { kratosSession, UNAUTHORIZED } from './fakeKratosFetch.js'
import { APP, BASE, useFakeTimerKeepers } from './keeperKit.js'
import { input, loginFlow, totpFlow } from './kratosFlows.js'

const PAGE = `${APP}/account/security`
const MINUTE = 60_000
const TOKEN = 'ory_st_secret'
const PASSWORD = 'correct horse battery staple'
const { setup } = useFakeTimerKeepers({ href: PAGE, sessionStorage: true })

/** A keeper signed in `authenticatedAgo` ms ago (aal1 unless `aal`). */
async function signedIn(options: { token?: boolean; aal?: string; authenticatedAgo?: number } = {}) {
  const { token, aal = 'aal1', authenticatedAgo = 10 * MINUTE } = options
  const tab = setup(token ? { sessionToken: TOKEN } : {})
  tab.kratos.reply(200, kratosSession({ aal, authenticatedAgo }))
  await tab.keeper.check()
  return tab
}

const sent = (kratos: ReturnType<typeof setup>['kratos'], index: number) => {
  const request = kratos.requests[index]
  if (!request) throw new Error(`no request ${index}`)
  return { ...request, json: request.body ? JSON.parse(request.body) : undefined }
}

describe('createReauthFlow in cookie mode', () => {
  it('should fetch the refresh login flow as JSON with the cookie and expose its nodes', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow())

    const flow = await keeper.createReauthFlow({ maxAge: '5m' })

    const request = sent(kratos, 1)
    const url = new URL(request.url)
    expect(url.origin + url.pathname).toBe(`${BASE}/self-service/login/browser`)
    expect(Object.fromEntries(url.searchParams)).toEqual({ refresh: 'true', return_to: PAGE })
    expect(request.headers.get('accept')).toBe('application/json')
    expect(request.credentials).toBe('include')
    expect(flow.id).toBe('flow-1')
    expect(flow.expiresAt).toBeInstanceOf(Date)
    expect(flow.nodes.map((node) => node.attributes.name)).toEqual([
      'csrf_token',
      'identifier',
      'password',
      'method',
    ])
    expect(flow.messages[0]?.id).toBe(1010003)
  })

  it('should ask for aal=aal2 with refresh to re-verify the second factor, and without it for a step-up', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, totpFlow()).reply(200, totpFlow('flow-3'))

    await keeper.createReauthFlow({ maxAge: '5m', aal: 'aal2' })
    await keeper.createReauthFlow({ aal: 'aal2' })

    expect(Object.fromEntries(new URL(sent(kratos, 1).url).searchParams)).toMatchObject({
      refresh: 'true',
      aal: 'aal2',
    })
    const stepUp = Object.fromEntries(new URL(sent(kratos, 2).url).searchParams)
    expect(stepUp.aal).toBe('aal2')
    expect(stepUp.refresh).toBeUndefined()
  })

  it('should submit the values with the CSRF token and hidden identifier, and take the session with no whoami', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    const before = keeper.getState().session?.authenticated_at?.getTime() ?? 0
    const fresh = kratosSession({ authenticatedAgo: 0 })
    kratos.reply(200, { session: fresh, continue_with: [] })

    const result = await flow.submit({ method: 'password', password: PASSWORD })

    const request = sent(kratos, 2)
    expect(request.method).toBe('POST')
    expect(request.url).toBe(`${BASE}/self-service/login?flow=flow-1`)
    expect(request.credentials).toBe('include')
    expect(request.json).toEqual({
      csrf_token: 'csrf-1',
      identifier: 'user@example.org',
      method: 'password',
      password: PASSWORD,
    })
    expect(result.status).toBe('done')
    expect(kratos.count).toBe(3) // whoami, flow, submit: no whoami after
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
    expect(keeper.getState().session?.authenticated_at?.getTime()).toBeGreaterThan(before)
    if (result.status === 'done') expect(result.state).toBe(keeper.getState())
  })

  it('should take the method from the only submit button when the values leave it out', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    kratos.reply(200, { session: kratosSession() })

    await flow.submit({ password: PASSWORD })

    expect(sent(kratos, 2).json.method).toBe('password')
  })

  it('should take a new session id (a social refresh makes a new session)', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    kratos.reply(200, { session: kratosSession({ id: 'session-2' }) })

    await flow.submit({ method: 'password', password: PASSWORD })

    expect(keeper.getState().session?.id).toBe('session-2')
    expect(keeper.getState().status).toBe('authenticated')
  })

  it("should return 'invalid' with Kratos's messages on a wrong password", async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    const wrong = { id: 4000006, text: 'The provided credentials are invalid.', type: 'error' }
    kratos.reply(400, loginFlow({ messages: [wrong] }))

    const result = await flow.submit({ method: 'password', password: 'wrong' })

    expect(result.status).toBe('invalid')
    if (result.status === 'invalid') expect(result.flow.messages).toEqual([wrong])
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(false)
  })

  it("should fetch the aal2 step in the page on Kratos's 422, and return it as 'next'", async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m', aal: 'aal2' })
    const aal2 = `${BASE}/self-service/login/browser?aal=aal2&return_to=${encodeURIComponent(PAGE)}`
    kratos
      .reply(422, {
        error: { id: 'browser_location_change_required', code: 422 },
        redirect_browser_to: aal2,
      })
      .reply(200, totpFlow())

    const result = await flow.submit({ method: 'password', password: PASSWORD })

    expect(result.status).toBe('next')
    expect(sent(kratos, 3).url).toBe(aal2)
    expect(sent(kratos, 3).headers.get('accept')).toBe('application/json')
    if (result.status !== 'next') return
    expect(result.flow.nodes.some((node) => node.group === 'totp')).toBe(true)
    expect(keeper.getState().secondFactorUnavailable).toBe(false)

    kratos.reply(200, { session: kratosSession({ aal: 'aal2' }) })
    expect((await result.flow.submit({ method: 'totp', totp_code: '123456' })).status).toBe('done')
    expect(keeper.isFresh({ maxAge: '5m', aal: 'aal2' })).toBe(true)
  })

  it('should record secondFactorUnavailable when the aal2 flow offers no second factor', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow({ nodes: [input('default', 'csrf_token', 'hidden', 'csrf-1')] }))

    await keeper.createReauthFlow({ aal: 'aal2' })

    expect(keeper.getState().secondFactorUnavailable).toBe(true)
  })

  it("should return 'redirect' for a method that needs the browser, sending nothing", async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })

    const result = await flow.submit({ method: 'webauthn' })

    expect(result).toEqual({ status: 'redirect', url: keeper.loginUrl({ refresh: true }) })
    expect(kratos.count).toBe(2)
  })

  it("should return 'redirect' when the 422 points away from Kratos's login (a social provider)", async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    kratos.reply(422, {
      error: { id: 'browser_location_change_required' },
      redirect_browser_to: 'https://idp.example/',
    })

    const result = await flow.submit({ method: 'password', password: PASSWORD })

    expect(result.status).toBe('redirect')
    expect(kratos.count).toBe(3)
  })

  it('should replace an expired flow once, transparently, through use_flow_id', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    const expired = { error: { id: 'self_service_flow_expired', code: 410 }, use_flow_id: 'flow-9' }
    kratos
      .reply(410, expired)
      .reply(200, loginFlow({ id: 'flow-9' }))
      .reply(200, { session: kratosSession() })

    const result = await flow.submit({ method: 'password', password: PASSWORD })

    expect(result.status).toBe('done')
    expect(sent(kratos, 3).url).toBe(`${BASE}/self-service/login/flows?id=flow-9`)
    expect(sent(kratos, 4).url).toBe(`${BASE}/self-service/login?flow=flow-9`)
    expect(sent(kratos, 4).json.password).toBe(PASSWORD)
  })

  it('should give up with ReauthFlowError when the replacement expires too', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    const expired = { error: { id: 'self_service_flow_expired', code: 410 }, use_flow_id: 'flow-9' }
    kratos
      .reply(410, expired)
      .reply(200, loginFlow({ id: 'flow-9' }))
      .reply(410, expired)

    await expect(flow.submit({ method: 'password', password: PASSWORD })).rejects.toMatchObject({
      name: 'ReauthFlowError',
      status: 410,
      id: 'self_service_flow_expired',
    })
  })

  it('should reject a CSRF violation as a typed ReauthFlowError with its id', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    kratos.reply(403, { error: { id: 'security_csrf_violation', code: 403, reason: 'CSRF token mismatch' } })

    const failure = flow.submit({ method: 'password', password: PASSWORD })

    await expect(failure).rejects.toBeInstanceOf(ReauthFlowError)
    await expect(failure).rejects.toMatchObject({ status: 403, id: 'security_csrf_violation' })
  })

  it('should refuse a second submit while one is in flight', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    const pending = kratos.pending()

    const first = flow.submit({ method: 'password', password: PASSWORD })
    await expect(flow.submit({ method: 'password', password: PASSWORD })).rejects.toThrow(
      /already being submitted/,
    )
    await pending.resolve({ status: 200, body: { session: kratosSession() } })

    expect((await first).status).toBe('done')
    expect(kratos.count).toBe(3)
  })

  it('should refuse a form action off the Kratos origin without sending the values', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, { ...loginFlow(), ui: { ...loginFlow().ui, action: 'https://evil.example/steal' } })
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })

    await expect(flow.submit({ method: 'password', password: PASSWORD })).rejects.toThrow(UnsafeReturnToError)
    expect(kratos.count).toBe(2)
  })

  it('should reject a flow body that is not a flow with InvalidResponseError', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(200, { id: 'flow-1' })

    await expect(keeper.createReauthFlow({ maxAge: '5m' })).rejects.toThrow(InvalidResponseError)
  })

  it('should reject aal2 without a session as Kratos does (session_aal1_required)', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(401, UNAUTHORIZED)
    await keeper.check()
    kratos.reply(401, { error: { id: 'session_aal1_required', code: 401 } })

    await expect(keeper.createReauthFlow({ aal: 'aal2' })).rejects.toMatchObject({
      name: 'ReauthFlowError',
      id: 'session_aal1_required',
    })
    // A signed-out user gets a plain login: its flow goes on to the second factor by itself.
    expect(new URL(sent(kratos, 1).url).searchParams.has('aal')).toBe(false)
  })

  it('should never log or keep the submitted values', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const { kratos, keeper } = setup({ debug: true })
    kratos.reply(200, kratosSession({ authenticatedAgo: 10 * MINUTE }))
    await keeper.check()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    kratos.reply(400, loginFlow())

    await flow.submit({ method: 'password', password: PASSWORD })

    expect(JSON.stringify(debug.mock.calls)).not.toContain(PASSWORD)
    expect(JSON.stringify(keeper.getState())).not.toContain(PASSWORD)
    expect(JSON.stringify({ ...sessionStorage })).not.toContain(PASSWORD)
  })
})

describe('createReauthFlow in token mode', () => {
  it('should use the API flow with X-Session-Token and no return_to', async () => {
    const { kratos, keeper } = await signedIn({ token: true })
    kratos.reply(200, loginFlow({ api: true }))

    await keeper.createReauthFlow({ maxAge: '5m' })

    const request = sent(kratos, 1)
    const url = new URL(request.url)
    expect(url.origin + url.pathname).toBe(`${BASE}/self-service/login/api`)
    expect(Object.fromEntries(url.searchParams)).toEqual({ refresh: 'true' })
    expect(request.headers.get('x-session-token')).toBe(TOKEN)
  })

  it('should submit with the token and take the session from the answer', async () => {
    const { kratos, keeper } = await signedIn({ token: true })
    kratos.reply(200, loginFlow({ api: true }))
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    kratos.reply(200, { session_token: TOKEN, session: kratosSession() })

    const result = await flow.submit({ method: 'password', password: PASSWORD })

    expect(result.status).toBe('done')
    expect(sent(kratos, 2).headers.get('x-session-token')).toBe(TOKEN)
    expect(sent(kratos, 2).json).toEqual({
      identifier: 'user@example.org',
      method: 'password',
      password: PASSWORD,
    })
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
  })

  it('should refuse an answer with another session token (a new session it cannot follow), keeping the state', async () => {
    const { kratos, keeper } = await signedIn({ token: true })
    kratos.reply(200, loginFlow({ api: true }))
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    const before = keeper.getState()
    kratos.reply(200, { session_token: 'ory_st_other', session: kratosSession({ authenticatedAgo: 0 }) })

    await expect(flow.submit({ method: 'password', password: PASSWORD })).rejects.toBeInstanceOf(
      ReauthFlowError,
    )
    expect(keeper.getState()).toBe(before)
    expect(kratos.requests).toHaveLength(3)
  })

  it('should refuse to start without a session: a sign-in would make a token the keeper does not have', async () => {
    const tab = setup({ sessionToken: TOKEN })
    tab.kratos.reply(401, UNAUTHORIZED)
    await tab.keeper.check()

    await expect(tab.keeper.createReauthFlow({ maxAge: '5m' })).rejects.toMatchObject({
      name: 'ReauthFlowError',
      status: 401,
    })
    expect(tab.kratos.requests).toHaveLength(1)
  })

  it("should fetch the API flow's aal2 step when the answer is still below aal2", async () => {
    const { kratos, keeper } = await signedIn({ token: true })
    kratos.reply(200, loginFlow({ api: true }))
    const flow = await keeper.createReauthFlow({ maxAge: '5m', aal: 'aal2' })
    const partial = { ...kratosSession(), identity: undefined }
    kratos.reply(200, { session_token: TOKEN, session: partial }).reply(200, totpFlow())

    const result = await flow.submit({ method: 'password', password: PASSWORD })

    expect(result.status).toBe('next')
    const url = new URL(sent(kratos, 3).url)
    expect(url.pathname).toBe('/self-service/login/api')
    expect(url.searchParams.get('aal')).toBe('aal2')
    // The answer without its identity did not replace the state.
    expect(keeper.getState().session?.identity?.id).toBe('identity-1')
  })
})
