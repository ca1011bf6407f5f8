import { describe, expect, it } from 'vitest'
import { startFakeKratos } from '../index.js'
import { Browser, start } from './helpers.js'

describe('cookieDomain (cookies.domain)', () => {
  it('should set host-only cookies by default', async () => {
    const kratos = await start()
    const browser = new Browser()
    const login = await browser.fetch(`${kratos.url}/self-service/login/browser`)
    expect(login.headers.getSetCookie()[0]).not.toMatch(/Domain=/i)
    const res = await browser.signIn(kratos)
    expect(res.headers.getSetCookie().find((c) => c.startsWith('ory_kratos_session='))).not.toMatch(
      /Domain=/i,
    )
  })

  it('should put Domain (leading dot dropped, as Go does) on the anti-CSRF, session and logout cookies', async () => {
    const kratos = await start({ cookieDomain: '.project.example' })
    const browser = new Browser()
    const login = await browser.fetch(`${kratos.url}/self-service/login/browser`)
    expect(login.headers.getSetCookie()[0]).toMatch(
      /^csrf_token_[0-9a-f]{64}=[^;]+; Path=\/; Domain=project\.example; Expires=/,
    )

    const signIn = await browser.signIn(kratos)
    expect(signIn.status).toBe(200)
    const session = signIn.headers.getSetCookie().find((c) => c.startsWith('ory_kratos_session='))
    expect(session).toMatch(
      /^ory_kratos_session=[^;]+; Path=\/; Domain=project\.example; Expires=.*; HttpOnly; SameSite=Lax$/,
    )

    const flow = await (await browser.fetch(`${kratos.url}/self-service/logout/browser`)).json()
    const logout = await browser.fetch(flow.logout_url)
    expect(logout.status).toBe(303)
    const cleared = logout.headers.getSetCookie().find((c) => c.startsWith('ory_kratos_session='))
    expect(cleared).toMatch(/^ory_kratos_session=; Path=\/; Domain=project\.example; .*Max-Age=0;/)
  })

  it('should reject a value that is not a host name', async () => {
    await expect(startFakeKratos({ cookieDomain: 'a.example; Secure' })).rejects.toThrow(
      /option "cookieDomain"/,
    )
    await expect(startFakeKratos({ cookieDomain: '' })).rejects.toThrow(TypeError)
  })
})
