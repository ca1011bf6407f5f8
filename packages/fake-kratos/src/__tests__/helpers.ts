import { afterEach } from 'vitest'
import { type FakeKratos, type FakeKratosOptions, startFakeKratos } from '../index.js'

const running: FakeKratos[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((kratos) => kratos.close()))
})

/** The app the fake sends browsers back to; relative `return_to`s resolve against it. */
export const APP = 'https://app.example'

/** A fake on a fixed clock (2030-01-01) with {@link APP} allowed as return URL, closed after the test. */
export async function start(options: FakeKratosOptions = {}): Promise<FakeKratos> {
  const kratos = await startFakeKratos({
    now: () => Date.UTC(2030, 0, 1),
    defaultReturnUrl: `${APP}/`,
    allowedReturnUrls: [`${APP}/`],
    ...options,
  })
  running.push(kratos)
  return kratos
}

export const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' }

/** A minimal browser: a cookie jar and no automatic redirects. */
export class Browser {
  readonly cookies = new Map<string, string>()

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size && !headers.has('cookie'))
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '))
    const res = await fetch(url, { redirect: 'manual', ...init, headers })
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';')
      const eq = pair.indexOf('=')
      if (/Max-Age=0(;|$)/.test(cookie)) this.cookies.delete(pair.slice(0, eq))
      else this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
    return res
  }

  /** Starts a browser login flow as an SPA does and returns it. */
  async loginFlow(kratos: FakeKratos, query = ''): Promise<LoginFlowBody> {
    const res = await this.fetch(`${kratos.url}/self-service/login/browser${query}`, {
      headers: JSON_HEADERS,
    })
    if (res.status !== 200) throw new Error(`login flow: ${res.status} ${await res.text()}`)
    return (await res.json()) as LoginFlowBody
  }

  /** Submits a flow as JSON with its CSRF token. */
  submit(flow: LoginFlowBody, body: Record<string, string>, headers: Record<string, string> = JSON_HEADERS) {
    return this.fetch(flow.ui.action, {
      method: 'POST',
      headers,
      body: JSON.stringify({ csrf_token: csrfToken(flow), ...body }),
    })
  }

  async signIn(kratos: FakeKratos, email = 'user@example.com', password = 'password'): Promise<Response> {
    return this.submit(await this.loginFlow(kratos), { method: 'password', identifier: email, password })
  }
}

export interface LoginFlowBody {
  id: string
  type: string
  refresh: boolean
  requested_aal: string
  return_to?: string
  ui: {
    action: string
    nodes: { group: string; attributes: { name: string; type: string; value?: string } }[]
    messages?: { id: number; text: string; type: string }[]
  }
}

export const csrfToken = (flow: LoginFlowBody) =>
  flow.ui.nodes.find((node) => node.attributes.name === 'csrf_token')?.attributes.value ?? ''

export const HOUR = 3_600_000
