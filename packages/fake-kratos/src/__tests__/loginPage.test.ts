import { describe, expect, it } from 'vitest'
import { Browser, start } from './helpers.js'

/** Reads the hidden inputs and action of the page's form, as a browser would submit it. */
function form(html: string) {
  const action = /<form action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? ''
  const hidden = Object.fromEntries(
    [...html.matchAll(/<input name="([^"]+)" type="hidden" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  )
  return { action, hidden }
}

describe('login page', () => {
  it('should render an accessible password form that signs a real browser in', async () => {
    const kratos = await start({ defaultReturnUrl: 'http://app.test/' })
    const browser = new Browser()
    const start303 = await browser.fetch(`${kratos.url}/self-service/login/browser`)
    const page = await browser.fetch(start303.headers.get('location') ?? '')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await page.text()
    expect(html).toContain('<label for="field-identifier">ID</label>')
    expect(html).toContain('<label for="field-password">Password</label>')
    expect(html).toMatch(/<button type="submit" name="method" value="password">Sign in<\/button>/)
    expect(html).not.toContain('<script')

    const { action, hidden } = form(html)
    const res = await browser.fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...hidden,
        method: 'password',
        identifier: 'user@example.com',
        password: 'password',
      }),
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('http://app.test/')
  })

  it('should show the error and keep the identifier after wrong credentials', async () => {
    const kratos = await start()
    const browser = new Browser()
    const location =
      (await browser.fetch(`${kratos.url}/self-service/login/browser`)).headers.get('location') ?? ''
    const { action, hidden } = form(await (await browser.fetch(location)).text())
    const res = await browser.fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...hidden,
        method: 'password',
        identifier: 'user@example.com',
        password: 'x',
      }),
    })
    expect(res.headers.get('location')).toBe(location)
    const html = await (await browser.fetch(location)).text()
    expect(html).toContain('role="alert" data-message-id="4000006"')
    expect(html).toContain('value="user@example.com"')
  })

  it('should render a TOTP form with a Verify button for an aal2 flow', async () => {
    const kratos = await start()
    const browser = new Browser()
    const { cookie } = kratos.createSession('mfa@example.com')
    browser.cookies.set('ory_kratos_session', cookie.split('=')[1] ?? '')
    const location = (await browser.fetch(`${kratos.url}/self-service/login/browser?aal=aal2`)).headers.get(
      'location',
    )
    const html = await (await browser.fetch(location ?? '')).text()
    expect(html).toContain('<label for="field-totp_code">Authentication code</label>')
    expect(html).toContain('autocomplete="one-time-code"')
    expect(html).toMatch(/<button type="submit" name="method" value="totp">Verify<\/button>/)
  })

  it('should start a new flow when the page is opened with an unknown flow', async () => {
    const kratos = await start()
    const res = await fetch(`${kratos.url}/ui/login?flow=unknown`, { redirect: 'manual' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${kratos.url}/self-service/login/browser`)
  })

  it('should show a stored error on the error page', async () => {
    const kratos = await start()
    const res = await fetch(`${kratos.url}/self-service/login/browser?aal=aal2`, { redirect: 'manual' })
    const html = await (await fetch(res.headers.get('location') ?? '')).text()
    expect(html).toContain('You can not requested a higher AAL (AAL2/AAL3) without an active session.')
  })
})
