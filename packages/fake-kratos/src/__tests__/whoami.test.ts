import { describe, expect, it } from 'vitest'
import { Browser, HOUR, start } from './helpers.js'

const UNAUTHORIZED =
  '{"error":{"code":401,"status":"Unauthorized","reason":"No valid session credentials found in the request.","message":"The request could not be authorized"}}\n'

describe('GET /sessions/whoami', () => {
  it('should answer 401 without error.id, with an empty Ory-Error-Id, when there are no credentials', async () => {
    const kratos = await start()
    const res = await fetch(`${kratos.url}/sessions/whoami`)
    expect(res.status).toBe(401)
    expect(await res.text()).toBe(UNAUTHORIZED)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.headers.get('ory-error-id')).toBe('')
    expect(res.headers.get('cache-control')).toBe('private, no-cache, no-store, must-revalidate')
    expect(res.headers.get('x-kratos-authenticated-identity-id')).toBeNull()
  })

  it('should echo X-Request-ID as error.request', async () => {
    const kratos = await start()
    const res = await fetch(`${kratos.url}/sessions/whoami`, { headers: { 'x-request-id': 'req-1' } })
    expect(await res.json()).toEqual({
      error: {
        code: 401,
        status: 'Unauthorized',
        request: 'req-1',
        reason: 'No valid session credentials found in the request.',
        message: 'The request could not be authorized',
      },
    })
  })

  it('should answer the session in Go field order, without credentials or metadata_admin', async () => {
    const kratos = await start()
    const { cookie, session } = kratos.createSession('user@example.com')
    const res = await fetch(`${kratos.url}/sessions/whoami`, { headers: { cookie } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('date')).toBe('Tue, 01 Jan 2030 00:00:00 GMT')
    expect(res.headers.get('ory-error-id')).toBeNull()
    const body = await res.json()
    expect(Object.keys(body)).toEqual([
      'id',
      'active',
      'expires_at',
      'authenticated_at',
      'authenticator_assurance_level',
      'authentication_methods',
      'issued_at',
      'identity',
      'devices',
    ])
    expect(body).toMatchObject({
      id: session.id,
      active: true,
      expires_at: '2030-01-02T00:00:00Z',
      authenticated_at: '2030-01-01T00:00:00Z',
      authenticator_assurance_level: 'aal1',
      authentication_methods: [{ method: 'password', aal: 'aal1', completed_at: '2030-01-01T00:00:00Z' }],
      identity: { traits: { email: 'user@example.com' }, metadata_public: null },
    })
    expect(body.identity).not.toHaveProperty('credentials')
    expect(body.identity).not.toHaveProperty('metadata_admin')
    expect(res.headers.get('x-kratos-authenticated-identity-id')).toBe(body.identity.id)
  })

  it('should accept X-Session-Token and Authorization Bearer in any case, but only with exactly 2 parts', async () => {
    const kratos = await start()
    const { sessionToken } = kratos.createSession('user@example.com')
    const whoami = (headers: Record<string, string>) =>
      fetch(`${kratos.url}/sessions/whoami`, { headers }).then((res) => res.status)
    expect(sessionToken).toMatch(/^ory_st_/)
    expect(await whoami({ 'x-session-token': sessionToken })).toBe(200)
    expect(await whoami({ authorization: `Bearer ${sessionToken}` })).toBe(200)
    expect(await whoami({ authorization: `bEaReR ${sessionToken}` })).toBe(200)
    expect(await whoami({ authorization: `Bearer ${sessionToken} x` })).toBe(401)
    expect(await whoami({ authorization: `Basic ${sessionToken}` })).toBe(401)
  })

  it('should take X-Session-Token before the cookie', async () => {
    const kratos = await start()
    const { cookie } = kratos.createSession('user@example.com')
    const res = await fetch(`${kratos.url}/sessions/whoami`, {
      headers: { cookie, 'x-session-token': 'ory_st_nope' },
    })
    expect(res.status).toBe(401)
  })

  it('should answer the same 401 for expired, revoked and unknown sessions', async () => {
    const kratos = await start({ lifespan: '1h' })
    const expired = kratos.createSession('user@example.com')
    const revoked = kratos.createSession('user@example.com')
    kratos.revokeSession(revoked.session.id)
    kratos.clock.advance(HOUR)
    for (const cookie of [expired.cookie, revoked.cookie, 'ory_kratos_session=garbage']) {
      const res = await fetch(`${kratos.url}/sessions/whoami`, { headers: { cookie } })
      expect(res.status).toBe(401)
      expect(await res.text()).toBe(UNAUTHORIZED)
    }
  })

  it('should answer 403 session_aal2_required for an aal1 session of an identity with a second factor', async () => {
    const kratos = await start()
    const { cookie } = kratos.createSession('mfa@example.com')
    const res = await fetch(`${kratos.url}/sessions/whoami`, { headers: { cookie } })
    const redirect = `${kratos.url}/self-service/login/browser?aal=aal2`
    expect(res.status).toBe(403)
    expect(res.headers.get('ory-error-id')).toBe('session_aal2_required')
    expect(await res.json()).toEqual({
      error: {
        id: 'session_aal2_required',
        code: 403,
        status: 'Forbidden',
        reason:
          'An active session was found but it does not fulfill the requested Authenticator Assurance Level. Please verify yourself with a second factor to resolve this issue.',
        details: { redirect_browser_to: redirect },
        message: 'Session does not fulfill the requested Authenticator Assurance Level',
      },
      redirect_browser_to: redirect,
    })
  })

  it('should let aal2 sessions through, and aal1 ones when requiredAal is aal1', async () => {
    const strict = await start()
    const aal2 = strict.createSession('mfa@example.com', { aal: 'aal2' })
    const res = await fetch(`${strict.url}/sessions/whoami`, { headers: { cookie: aal2.cookie } })
    expect(res.status).toBe(200)
    expect((await res.json()).authenticator_assurance_level).toBe('aal2')
    const lax = await start({ requiredAal: 'aal1' })
    const aal1 = lax.createSession('mfa@example.com')
    expect((await fetch(`${lax.url}/sessions/whoami`, { headers: { cookie: aal1.cookie } })).status).toBe(200)
  })

  it('should send Ory-Session-Cache-For only with cacheableSessions: capped seconds on 200, 60 without credentials', async () => {
    const off = await start()
    const plain = off.createSession('user@example.com')
    const offRes = await fetch(`${off.url}/sessions/whoami`, { headers: { cookie: plain.cookie } })
    expect(offRes.headers.get('ory-session-cache-for')).toBeNull()

    const kratos = await start({ cacheableSessions: true, lifespan: '100s' })
    const { cookie } = kratos.createSession('user@example.com')
    const header = (headers: Record<string, string>) =>
      fetch(`${kratos.url}/sessions/whoami`, { headers }).then((res) =>
        res.headers.get('ory-session-cache-for'),
      )
    expect(await header({ cookie })).toBe('100')
    kratos.clock.advance(99_500) // 0.5 s left: Go's %0.f rounds half to even
    expect(await header({ cookie })).toBe('0')
    expect(await header({})).toBe('60')
    expect(await header({ 'x-session-token': 'ory_st_unknown' })).toBeNull()

    const capped = await start({ cacheableSessions: true })
    const session = capped.createSession('user@example.com')
    const res = await fetch(`${capped.url}/sessions/whoami`, { headers: { cookie: session.cookie } })
    expect(res.headers.get('ory-session-cache-for')).toBe('150')
  })

  it('should re-issue the cookie only when it lags the session, as after an admin extend', async () => {
    const kratos = await start({ lifespan: '1h' })
    const { cookie, session, sessionToken } = kratos.createSession('user@example.com')
    const whoami = (headers: Record<string, string>) => fetch(`${kratos.url}/sessions/whoami`, { headers })
    expect((await whoami({ cookie })).headers.getSetCookie()).toEqual([])
    kratos.clock.advance(HOUR / 2)
    await fetch(`${kratos.url}/admin/sessions/${session.id}/extend`, { method: 'PATCH' })
    const reissued = (await whoami({ cookie })).headers.getSetCookie()
    expect(reissued).toHaveLength(1)
    expect(reissued[0]).toMatch(
      /^ory_kratos_session=[^;]+; Path=\/; Expires=.+; Max-Age=3600; HttpOnly; SameSite=Lax$/,
    )
    expect(reissued[0]?.split(';')[0]).not.toBe(cookie)
    expect((await whoami({ 'x-session-token': sessionToken })).headers.getSetCookie()).toEqual([])
  })

  it('should write JSON like Go, HTML-escaping & < > and ending with a newline', async () => {
    const kratos = await start({
      identities: [{ email: 'a@example.com', password: 'p', traits: { name: '<Tom & Jerry>' } }],
    })
    const { cookie } = kratos.createSession('a@example.com')
    const text = await (await fetch(`${kratos.url}/sessions/whoami`, { headers: { cookie } })).text()
    expect(text).toContain('"name":"\\u003cTom \\u0026 Jerry\\u003e"')
    expect(text.endsWith('}\n')).toBe(true)
  })

  it('should answer the other methods Kratos registers, and 400 for an unknown tokenize_as template', async () => {
    const kratos = await start()
    const { cookie } = kratos.createSession('user@example.com')
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']) {
      expect((await fetch(`${kratos.url}/sessions/whoami`, { method, headers: { cookie } })).status).toBe(200)
    }
    const res = await fetch(`${kratos.url}/sessions/whoami?tokenize_as=jwt`, { headers: { cookie } })
    expect(res.status).toBe(400)
    expect((await res.json()).error.reason).toBe('Unable to find tokenizer template "jwt".')
  })

  it('should read the session cookie under a configured name', async () => {
    const kratos = await start({ cookieName: 'ory_session_playground' })
    const { cookie } = kratos.createSession('user@example.com')
    expect(cookie).toMatch(/^ory_session_playground=/)
    expect((await new Browser().fetch(`${kratos.url}/sessions/whoami`, { headers: { cookie } })).status).toBe(
      200,
    )
  })
})
