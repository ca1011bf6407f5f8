import { describe, expect, it } from 'vitest'
import { Browser, HOUR, JSON_HEADERS, start } from './helpers.js'

interface SettingsFlowBody {
  id: string
  state: string
  ui: { action: string; nodes: { attributes: { name: string; value?: string } }[] }
}

async function settingsFlow(browser: Browser, url: string): Promise<SettingsFlowBody> {
  const res = await browser.fetch(`${url}/self-service/settings/browser`, { headers: JSON_HEADERS })
  expect(res.status).toBe(200)
  return (await res.json()) as SettingsFlowBody
}

function submit(
  browser: Browser,
  flow: SettingsFlowBody,
  password: string,
  headers: Record<string, string> = JSON_HEADERS,
) {
  const csrf = flow.ui.nodes.find((node) => node.attributes.name === 'csrf_token')?.attributes.value ?? ''
  const fields = { csrf_token: csrf, method: 'password', password }
  const json = headers['content-type'] === 'application/json'
  return browser.fetch(flow.ui.action, {
    method: 'POST',
    headers,
    body: json ? JSON.stringify(fields) : new URLSearchParams(fields),
  })
}

describe('settings', () => {
  it('should answer 401 session_inactive with the stray CredentialsMissing field without a session', async () => {
    const kratos = await start()
    const res = await fetch(`${kratos.url}/self-service/settings/browser`, { headers: JSON_HEADERS })
    expect(res.status).toBe(401)
    expect(await res.text()).toBe(
      '{"error":{"id":"session_inactive","code":401,"status":"Unauthorized","reason":"No active session was found in this request.","message":"request does not have a valid authentication session"},"CredentialsMissing":false}\n',
    )
  })

  it('should change the password while the session is privileged', async () => {
    const kratos = await start()
    const browser = new Browser()
    await browser.signIn(kratos)
    const flow = await settingsFlow(browser, kratos.url)
    expect(flow.state).toBe('show_form')
    const res = await submit(browser, flow, 'new secret')
    expect(res.status).toBe(200)
    expect((await res.json()).state).toBe('success')
    const fresh = new Browser()
    expect((await fresh.signIn(kratos, 'user@example.com', 'password')).status).toBe(400)
    expect((await fresh.signIn(kratos, 'user@example.com', 'new secret')).status).toBe(200)
  })

  it('should answer 403 session_refresh_required once the session is older than privilegedSessionMaxAge', async () => {
    const kratos = await start()
    const browser = new Browser()
    await browser.signIn(kratos)
    const flow = await settingsFlow(browser, kratos.url)
    kratos.clock.advance(HOUR)
    const res = await submit(browser, flow, 'new secret')
    expect(res.status).toBe(403)
    const returnTo = encodeURIComponent(`${kratos.url}/self-service/settings?flow=${flow.id}`)
    const to = `${kratos.url}/self-service/login/browser?refresh=true&return_to=${returnTo}`
    expect(await res.json()).toEqual({
      error: {
        id: 'session_refresh_required',
        code: 403,
        status: 'Forbidden',
        reason:
          'The login session is too old and thus not allowed to update these fields. Please re-authenticate.',
        message: 'The requested action was forbidden',
      },
      redirect_browser_to: to,
    })
    const page = await submit(browser, flow, 'new secret', {
      'content-type': 'application/x-www-form-urlencoded',
    })
    expect(page.status).toBe(303)
    expect(page.headers.get('location')).toBe(to)
  })

  it('should treat every session as privileged when privilegedSessionMaxAge is 0', async () => {
    const kratos = await start({ privilegedSessionMaxAge: 0 })
    const browser = new Browser()
    await browser.signIn(kratos)
    kratos.clock.advance(20 * HOUR)
    const flow = await settingsFlow(browser, kratos.url)
    expect((await submit(browser, flow, 'new secret')).status).toBe(200)
  })

  it("should fetch a settings flow only for its own identity's session", async () => {
    const kratos = await start()
    const owner = new Browser()
    await owner.signIn(kratos)
    const flow = await settingsFlow(owner, kratos.url)
    const url = `${kratos.url}/self-service/settings/flows?id=${flow.id}`
    expect((await owner.fetch(url)).status).toBe(200)
    const other = kratos.createSession('mfa@example.com', { aal: 'aal2' })
    const res = await fetch(url, { headers: { cookie: other.cookie } })
    expect(res.status).toBe(403)
    expect((await res.json()).error.id).toBe('security_identity_mismatch')
  })
})
