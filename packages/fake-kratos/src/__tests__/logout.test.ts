import { describe, expect, it } from 'vitest'
import { APP, Browser, JSON_HEADERS, start } from './helpers.js'

describe('logout', () => {
  it('should answer the logout URL and an ory_lo_ token as JSON', async () => {
    const kratos = await start()
    const browser = new Browser()
    await browser.signIn(kratos)
    const res = await browser.fetch(`${kratos.url}/self-service/logout/browser?return_to=/bye`)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(Object.keys(body)).toEqual(['logout_url', 'logout_token'])
    expect(body.logout_token).toMatch(/^ory_lo_/)
    expect(body.logout_url).toBe(
      `${kratos.url}/self-service/logout?return_to=%2Fbye&token=${body.logout_token}`,
    )
  })

  it('should answer 401 session_inactive without a session, or 303 to the error page for a browser', async () => {
    const kratos = await start()
    const json = await fetch(`${kratos.url}/self-service/logout/browser`, { headers: JSON_HEADERS })
    expect(json.status).toBe(401)
    expect(await json.json()).toEqual({
      error: {
        id: 'session_inactive',
        code: 401,
        status: 'Unauthorized',
        reason: 'No active session was found in this request.',
        message: 'request does not have a valid authentication session',
      },
    })
    const page = await fetch(`${kratos.url}/self-service/logout/browser`, { redirect: 'manual' })
    expect(page.status).toBe(303)
    expect(page.headers.get('location')).toMatch(new RegExp(`^${kratos.url}/ui/error\\?id=`))
  })

  it('should revoke the session and expire the cookie: 204 for JSON, 303 to return_to otherwise', async () => {
    const kratos = await start()
    const spa = new Browser()
    await spa.signIn(kratos)
    const { logout_url } = await (await spa.fetch(`${kratos.url}/self-service/logout/browser`)).json()
    const res = await spa.fetch(logout_url, { headers: JSON_HEADERS })
    expect(res.status).toBe(204)
    expect(res.headers.getSetCookie().find((c) => c.startsWith('ory_kratos_session='))).toMatch(
      /^ory_kratos_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; HttpOnly; SameSite=Lax$/,
    )
    expect(spa.cookies.has('ory_kratos_session')).toBe(false)

    const page = new Browser()
    await page.signIn(kratos)
    const flow = await (await page.fetch(`${kratos.url}/self-service/logout/browser?return_to=/bye`)).json()
    const cookie = page.cookies.get('ory_kratos_session')
    const redirect = await page.fetch(flow.logout_url)
    expect(redirect.status).toBe(303)
    expect(redirect.headers.get('location')).toBe(`${APP}/bye`)
    const whoami = await fetch(`${kratos.url}/sessions/whoami`, {
      headers: { cookie: `ory_kratos_session=${cookie}` },
    })
    expect(whoami.status).toBe(401)
  })

  it("should refuse a logout without a token (400), without a session (401) or with another session's token (403)", async () => {
    const kratos = await start()
    const browser = new Browser()
    await browser.signIn(kratos)
    const noToken = await browser.fetch(`${kratos.url}/self-service/logout`, { headers: JSON_HEADERS })
    expect(noToken.status).toBe(400)
    expect((await noToken.json()).error.reason).toBe('Please include a token in the URL query.')
    const noSession = await fetch(`${kratos.url}/self-service/logout?token=ory_lo_x`, {
      headers: JSON_HEADERS,
    })
    expect(noSession.status).toBe(401)
    const wrong = await browser.fetch(`${kratos.url}/self-service/logout?token=ory_lo_x`, {
      headers: JSON_HEADERS,
    })
    expect(wrong.status).toBe(403)
    expect((await wrong.json()).error.reason).toBe(
      'Unable to log out because the logout token in the URL query does not match the session cookie.',
    )
  })

  it('should revoke a session token with DELETE /self-service/logout/api, 204 even when already revoked', async () => {
    const kratos = await start()
    const { sessionToken } = kratos.createSession('user@example.com')
    const logout = (token: string) =>
      fetch(`${kratos.url}/self-service/logout/api`, {
        method: 'DELETE',
        headers: JSON_HEADERS,
        body: JSON.stringify({ session_token: token }),
      })
    expect((await logout(sessionToken)).status).toBe(204)
    expect((await logout(sessionToken)).status).toBe(204)
    const whoami = await fetch(`${kratos.url}/sessions/whoami`, {
      headers: { 'x-session-token': sessionToken },
    })
    expect(whoami.status).toBe(401)
    const unknown = await logout('ory_st_unknown')
    expect(unknown.status).toBe(403)
    expect((await unknown.json()).error.reason).toBe(
      'The provided Ory Session Token could not be found, is invalid, or otherwise malformed.',
    )
  })
})
