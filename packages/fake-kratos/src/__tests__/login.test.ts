import { describe, expect, it } from 'vitest'
import { APP, Browser, csrfToken, HOUR, JSON_HEADERS, type LoginFlowBody, start } from './helpers.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

describe('GET /self-service/login/browser', () => {
  it('should 303 a browser to the login page and set an HttpOnly anti-CSRF cookie', async () => {
    const kratos = await start()
    const res = await fetch(`${kratos.url}/self-service/login/browser`, { redirect: 'manual' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(new RegExp(`^${kratos.url}/ui/login\\?flow=[0-9a-f-]{36}$`))
    expect(res.headers.getSetCookie()[0]).toMatch(/^csrf_token_[0-9a-f]{64}=[^;]+;.* HttpOnly; SameSite=Lax$/)
  })

  it('should answer the flow as JSON for Accept: application/json, silently dropping refresh without a session', async () => {
    const kratos = await start()
    const flow = await new Browser().loginFlow(kratos, '?refresh=true&return_to=/dashboard')
    expect(flow).toMatchObject({
      type: 'browser',
      refresh: false,
      requested_aal: 'aal1',
      return_to: '/dashboard',
      state: 'choose_method',
      expires_at: '2030-01-01T01:00:00Z',
      issued_at: '2030-01-01T00:00:00Z',
      request_url: `${kratos.url}/self-service/login/browser?refresh=true&return_to=/dashboard`,
      ui: { action: `${kratos.url}/self-service/login?flow=${flow.id}`, method: 'POST' },
    })
    expect(flow.ui.nodes.map((node) => node.attributes.name)).toEqual([
      'csrf_token',
      'identifier',
      'password',
      'method',
    ])
    expect(csrfToken(flow)).not.toBe('')
    expect(flow.ui.messages).toBeUndefined()
  })

  it('should parse refresh like Go ParseBool and reject anything else with 400', async () => {
    const kratos = await start()
    const browser = new Browser()
    await browser.signIn(kratos)
    for (const value of ['1', 't', 'T', 'TRUE', 'true', 'True']) {
      expect((await browser.loginFlow(kratos, `?refresh=${value}`)).refresh).toBe(true)
    }
    const res = await browser.fetch(`${kratos.url}/self-service/login/browser?refresh=yes`, {
      headers: JSON_HEADERS,
    })
    expect(res.status).toBe(400)
    const bad = await browser.fetch(`${kratos.url}/self-service/login/browser?refresh=0`, {
      headers: JSON_HEADERS,
    })
    expect((await bad.json()).error.id).toBe('session_already_available')
  })

  it('should make a refresh flow with message 1010003 and the identifier filled in', async () => {
    const kratos = await start()
    const browser = new Browser()
    await browser.signIn(kratos)
    const flow = await browser.loginFlow(kratos, '?refresh=true')
    expect(flow.refresh).toBe(true)
    expect(flow.ui.messages?.map((m) => m.id)).toEqual([1010003])
    expect(flow.ui.nodes.find((node) => node.attributes.name === 'identifier')?.attributes).toMatchObject({
      type: 'hidden',
      value: 'user@example.com',
    })
  })

  it('should add message 1010004 to a refresh flow asking an aal1 session for aal2', async () => {
    const kratos = await start()
    const browser = new Browser()
    const { cookie } = kratos.createSession('mfa@example.com')
    browser.cookies.set('ory_kratos_session', cookie.slice(cookie.indexOf('=') + 1))
    const flow = await browser.loginFlow(kratos, '?refresh=true&aal=aal2')
    expect(flow).toMatchObject({ refresh: true, requested_aal: 'aal2' })
    expect(flow.ui.messages?.map((m) => m.id)).toEqual([1010003, 1010004])
  })

  it('should reject an aal other than aal1 or aal2 with 400, lower-casing it first', async () => {
    const kratos = await start()
    const res = await fetch(`${kratos.url}/self-service/login/browser?aal=AAL0`, { headers: JSON_HEADERS })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: {
        code: 400,
        status: 'Bad Request',
        reason:
          'Unable to parse AuthenticationMethod Assurance Level (AAL): expected one of [aal1, aal2] but got aal0',
        message: 'The request was malformed or contained invalid parameters',
      },
    })
  })

  it('should answer 401 session_aal1_required for aal2 without a session, and send browsers to the error page', async () => {
    const kratos = await start()
    const json = await fetch(`${kratos.url}/self-service/login/browser?aal=aal2&refresh=true`, {
      headers: JSON_HEADERS,
    })
    expect(json.status).toBe(401)
    expect(json.headers.get('ory-error-id')).toBe('session_aal1_required')
    const expected = {
      id: 'session_aal1_required',
      code: 401,
      status: 'Unauthorized',
      reason: 'You can not requested a higher AAL (AAL2/AAL3) without an active session.',
      message: 'aal2 and aal3 can only be requested if a session exists already',
    }
    expect(await json.json()).toEqual({ error: expected })

    const browser = await fetch(`${kratos.url}/self-service/login/browser?aal=aal2`, { redirect: 'manual' })
    expect(browser.status).toBe(303)
    const location = new URL(browser.headers.get('location') ?? '')
    expect(location.pathname).toBe('/ui/error')
    const stored = await fetch(`${kratos.url}/self-service/errors?id=${location.searchParams.get('id')}`)
    expect(await stored.json()).toMatchObject({ id: location.searchParams.get('id'), error: expected })
  })

  it('should refuse a second login: JSON 400 session_already_available, browsers 303 to return_to', async () => {
    const kratos = await start({ allowedReturnUrls: ['https://app.example/'] })
    const browser = new Browser()
    await browser.signIn(kratos)
    const json = await browser.fetch(`${kratos.url}/self-service/login/browser`, { headers: JSON_HEADERS })
    expect(json.status).toBe(400)
    expect(await json.json()).toEqual({
      error: {
        id: 'session_already_available',
        code: 400,
        status: 'Bad Request',
        reason:
          'A valid session was detected and thus login is not possible. Did you forget to set `?refresh=true`?',
        message: 'you are already logged in',
      },
    })
    const page = await browser.fetch(
      `${kratos.url}/self-service/login/browser?return_to=https://app.example/home`,
    )
    expect(page.status).toBe(303)
    expect(page.headers.get('location')).toBe('https://app.example/home')
  })

  it('should allow return_to only under allowedReturnUrls and the public /self-service paths, not CORS origins', async () => {
    const kratos = await start({
      allowedReturnUrls: ['https://app.example/app', 'https://*.example.org'],
      cors: { origins: ['http://spa.test:5173'] },
    })
    const status = (returnTo: string) =>
      fetch(`${kratos.url}/self-service/login/browser?return_to=${encodeURIComponent(returnTo)}`, {
        headers: JSON_HEADERS,
      }).then((res) => res.status)
    expect(await status('/app/relative')).toBe(200)
    expect(await status('/relative/path')).toBe(400)
    expect(await status(`${kratos.url}/self-service/settings/browser`)).toBe(200)
    expect(await status(`${kratos.url}/anything`)).toBe(400)
    expect(await status('https://app.example/app/settings')).toBe(200)
    expect(await status('https://tenant.example.org/x')).toBe(200)
    expect(await status('http://spa.test:5173/page')).toBe(400)
    expect(await status('https://app.example/other')).toBe(400)
    expect(await status('http://app.example/app')).toBe(400)
    expect(await status('javascript:alert(1)')).toBe(400)

    const res = await fetch(`${kratos.url}/self-service/login/browser?return_to=https://evil.example`, {
      headers: JSON_HEADERS,
    })
    expect(res.headers.get('ory-error-id')).toBe('self_service_flow_return_to_forbidden')
    expect(await res.text()).toBe(
      '{"error":{"id":"self_service_flow_return_to_forbidden","code":400,"status":"Bad Request","reason":"Requested return_to URL \\"https://evil.example\\" is not allowed.","message":"The request was malformed or contained invalid parameters"}}\n',
    )
  })
})

describe('GET /self-service/login/flows', () => {
  it('should answer 404 for an unknown flow, 403 without the CSRF cookie, 410 once expired', async () => {
    const kratos = await start()
    const missing = await fetch(
      `${kratos.url}/self-service/login/flows?id=00000000-0000-0000-0000-000000000000`,
    )
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({
      error: { code: 404, status: 'Not Found', message: 'Unable to locate the resource' },
    })

    const browser = new Browser()
    const flow = await browser.loginFlow(kratos)
    const url = `${kratos.url}/self-service/login/flows?id=${flow.id}`
    expect((await browser.fetch(url)).status).toBe(200)
    const stranger = await fetch(url)
    expect(stranger.status).toBe(403)
    expect((await stranger.json()).error.id).toBe('security_csrf_violation')

    kratos.clock.advance(HOUR + 1)
    const expired = await browser.fetch(url)
    expect(expired.status).toBe(410)
    expect((await expired.json()).error).toMatchObject({
      id: 'self_service_flow_expired',
      details: { redirect_to: `${kratos.url}/self-service/login/browser`, return_to: '' },
    })
  })
})

describe('POST /self-service/login', () => {
  it('should sign in with a password as JSON: 200 {session, continue_with} and the session cookie', async () => {
    const kratos = await start()
    const browser = new Browser()
    const flow = await browser.loginFlow(kratos, `?return_to=${encodeURIComponent(`${APP}/after`)}`)
    const res = await browser.submit(flow, {
      method: 'password',
      identifier: 'USER@example.com',
      password: 'password',
    })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(Object.keys(body)).toEqual(['session', 'continue_with'])
    expect(body.continue_with).toEqual([
      { action: 'redirect_browser_to', redirect_browser_to: `${APP}/after` },
    ])
    expect(body.session).toMatchObject({ active: true, authenticator_assurance_level: 'aal1' })
    expect(body.session.devices).toHaveLength(1)
    expect(browser.cookies.has('ory_kratos_session')).toBe(true)
    const whoami = await browser.fetch(`${kratos.url}/sessions/whoami`)
    expect((await whoami.json()).id).toBe(body.session.id)
  })

  it('should sign a form-posting browser in and 303 it to the default return URL', async () => {
    const kratos = await start({ defaultReturnUrl: 'http://app.test/home' })
    const browser = new Browser()
    const flow = await browser.loginFlow(kratos)
    const res = await browser.fetch(flow.ui.action, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({
        csrf_token: csrfToken(flow),
        method: 'password',
        identifier: 'user@example.com',
        password: 'password',
      }),
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('http://app.test/home')
    expect(res.headers.getSetCookie().some((c) => c.startsWith('ory_kratos_session='))).toBe(true)
  })

  it('should answer 400 with the flow and message 4000006 for wrong credentials', async () => {
    const kratos = await start()
    const browser = new Browser()
    const flow = await browser.loginFlow(kratos)
    const res = await browser.submit(flow, {
      method: 'password',
      identifier: 'user@example.com',
      password: 'nope',
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as LoginFlowBody
    expect(body.id).toBe(flow.id)
    expect(body.ui.messages).toEqual([
      {
        id: 4000006,
        text: 'The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.',
        type: 'error',
      },
    ])
    expect(browser.cookies.has('ory_kratos_session')).toBe(false)
  })

  it('should answer 403 security_csrf_violation when a browser flow is submitted without its token', async () => {
    const kratos = await start()
    const browser = new Browser()
    const flow = await browser.loginFlow(kratos)
    const res = await browser.submit(flow, {
      csrf_token: '',
      method: 'password',
      identifier: 'user@example.com',
      password: 'password',
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('ory-error-id')).toBe('security_csrf_violation')
    const stranger = await fetch(flow.ui.action, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({
        csrf_token: csrfToken(flow),
        method: 'password',
        identifier: 'x',
        password: 'y',
      }),
    })
    expect((await stranger.json()).error.details.reject_reason).toBe(
      'The HTTP Cookie Header is empty or not set.',
    )
  })

  it('should set the aal1 cookie then answer 422 browser_location_change_required when a second factor is due', async () => {
    const kratos = await start()
    const browser = new Browser()
    const flow = await browser.loginFlow(kratos, '?return_to=/back')
    const res = await browser.submit(flow, {
      method: 'password',
      identifier: 'mfa@example.com',
      password: 'password',
    })
    const to = `${kratos.url}/self-service/login/browser?aal=aal2&return_to=%2Fback`
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({
      error: {
        id: 'browser_location_change_required',
        code: 422,
        status: 'Unprocessable Entity',
        reason: `In order to complete this flow please redirect the browser to: ${to}`,
        message: 'browser location change required',
      },
      redirect_browser_to: to,
    })
    expect((await browser.fetch(`${kratos.url}/sessions/whoami`)).status).toBe(403)
  })

  it('should step up to aal2 with TOTP, keeping the session id and token', async () => {
    const kratos = await start()
    const browser = new Browser()
    const first = await browser.loginFlow(kratos)
    await browser.submit(first, { method: 'password', identifier: 'mfa@example.com', password: 'password' })
    const aal1Cookie = browser.cookies.get('ory_kratos_session')
    const flow = await browser.loginFlow(kratos, '?aal=aal2')
    expect(flow.requested_aal).toBe('aal2')
    expect(flow.ui.messages?.map((m) => m.id)).toEqual([1010004])
    expect(flow.ui.nodes.map((node) => node.attributes.name)).toEqual(['csrf_token', 'totp_code', 'method'])

    const wrong = await browser.submit(flow, { method: 'totp', totp_code: '000000' })
    expect(wrong.status).toBe(400)
    const ok = await browser.submit(flow, { method: 'totp', totp_code: '123456' })
    expect(ok.status).toBe(200)
    const { session } = await ok.json()
    expect(session.authenticator_assurance_level).toBe('aal2')
    expect(session.authentication_methods.map((m: { method: string }) => m.method)).toEqual([
      'password',
      'totp',
    ])
    expect(browser.cookies.get('ory_kratos_session')).not.toBe(aal1Cookie)
    const whoami = await browser.fetch(`${kratos.url}/sessions/whoami`)
    expect(whoami.status).toBe(200)
    expect((await whoami.json()).id).toBe(session.id)
  })

  it('should refresh the same session: new authenticated_at and expires_at, original issued_at in later whoamis', async () => {
    const kratos = await start({ lifespan: '2h' })
    const browser = new Browser()
    const login = await (await browser.signIn(kratos)).json()
    kratos.clock.advance(HOUR)
    const flow = await browser.loginFlow(kratos, '?refresh=true')
    const res = await browser.submit(flow, {
      method: 'password',
      identifier: 'user@example.com',
      password: 'password',
    })
    const { session } = await res.json()
    expect(session.id).toBe(login.session.id)
    expect(session.authenticated_at).toBe('2030-01-01T01:00:00Z')
    expect(session.expires_at).toBe('2030-01-01T03:00:00Z')
    expect(session.issued_at).toBe('2030-01-01T01:00:00Z')
    expect(session.authentication_methods).toHaveLength(2)
    const later = await (await browser.fetch(`${kratos.url}/sessions/whoami`)).json()
    expect(later).toMatchObject({ id: login.session.id, issued_at: '2030-01-01T00:00:00Z' })
  })

  it('should make a new session on refresh when refreshCreatesNewSession is set, as OIDC does', async () => {
    const kratos = await start({ refreshCreatesNewSession: true })
    const browser = new Browser()
    const login = await (await browser.signIn(kratos)).json()
    const flow = await browser.loginFlow(kratos, '?refresh=true')
    const res = await browser.submit(flow, {
      method: 'password',
      identifier: 'user@example.com',
      password: 'password',
    })
    expect((await res.json()).session.id).not.toBe(login.session.id)
  })

  it('should answer API flows with {session_token, session} and no cookie', async () => {
    const kratos = await start()
    const flow = (await (await fetch(`${kratos.url}/self-service/login/api`)).json()) as LoginFlowBody
    expect(flow.type).toBe('api')
    expect(csrfToken(flow)).toBe('')
    const res = await fetch(flow.ui.action, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ method: 'password', identifier: 'user@example.com', password: 'password' }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.getSetCookie()).toEqual([])
    const body = await res.json()
    expect(body.session_token).toMatch(/^ory_st_/)
    expect(body.session.identity.traits.email).toBe('user@example.com')
    const whoami = await fetch(`${kratos.url}/sessions/whoami`, {
      headers: { 'x-session-token': body.session_token },
    })
    expect(whoami.status).toBe(200)
  })

  it('should answer 410 self_service_flow_expired with a replacement flow once the flow is an hour old', async () => {
    const kratos = await start()
    const browser = new Browser()
    const flow = await browser.loginFlow(kratos)
    kratos.clock.advance(HOUR + 60_000)
    const res = await browser.submit(flow, {
      method: 'password',
      identifier: 'user@example.com',
      password: 'password',
    })
    expect(res.status).toBe(410)
    const body = await res.json()
    expect(body.error).toMatchObject({
      id: 'self_service_flow_expired',
      code: 410,
      message: 'self-service flow expired',
    })
    expect(body.use_flow_id).not.toBe(flow.id)
    const replacement = await browser.fetch(`${kratos.url}/self-service/login/flows?id=${body.use_flow_id}`)
    expect(replacement.status).toBe(200)
  })
})
