// HTTP helpers for the contract tests: real `fetch` with `redirect: 'manual'`, a minimal cookie jar,
// the response shapes the tests read, and flow helpers (csrf token, node values).

/** One parsed `Set-Cookie` line. Attribute names are lower-cased; flags map to `true`. */
export interface SetCookie {
  name: string
  value: string
  attributes: Record<string, string | true>
}

export function parseSetCookie(line: string): SetCookie {
  const [pair = '', ...rest] = line.split(';')
  const eq = pair.indexOf('=')
  const attributes: Record<string, string | true> = {}
  for (const part of rest) {
    const trimmed = part.trim()
    if (!trimmed) continue
    const at = trimmed.indexOf('=')
    if (at === -1) attributes[trimmed.toLowerCase()] = true
    else attributes[trimmed.slice(0, at).trim().toLowerCase()] = trimmed.slice(at + 1).trim()
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes }
}

/** True when the cookie line deletes the cookie (`Max-Age<=0` or an `Expires` in the past). */
export function isDeletion(cookie: SetCookie, now = Date.now()): boolean {
  const maxAge = cookie.attributes['max-age']
  if (typeof maxAge === 'string') return Number(maxAge) <= 0
  const expires = cookie.attributes.expires
  return typeof expires === 'string' && Date.parse(expires) <= now
}

/** Name → value, as a browser would send them back; ignores domain, path and expiry except deletions. */
export class CookieJar {
  readonly #cookies = new Map<string, string>()

  /** Adds a `name=value` pair (e.g. the control API's `cookie`). */
  add(pair: string): this {
    const { name, value } = parseSetCookie(pair)
    this.#cookies.set(name, value)
    return this
  }

  store(cookies: readonly SetCookie[]): void {
    for (const cookie of cookies) {
      // A cookie deleted with `Max-Age=0`/`-1` is gone; the fake's clock is not the jar's concern.
      const maxAge = cookie.attributes['max-age']
      if (typeof maxAge === 'string' && Number(maxAge) <= 0) this.#cookies.delete(cookie.name)
      else this.#cookies.set(cookie.name, cookie.value)
    }
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name)
  }

  has(name: string): boolean {
    return this.#cookies.has(name)
  }

  names(): string[] {
    return [...this.#cookies.keys()]
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  clone(): CookieJar {
    const copy = new CookieJar()
    for (const [name, value] of this.#cookies) copy.#cookies.set(name, value)
    return copy
  }
}

export interface Reply {
  status: number
  headers: Headers
  /** The raw body. */
  text: string
  /** The body parsed as JSON when it is JSON, else `undefined`. */
  body: unknown
  location: string | null
  setCookies: SetCookie[]
}

export interface RequestOptions {
  method?: string
  /** `'json'` sends `Accept: application/json` (a SPA); left out, fetch's default `Accept` of any type (a browser). */
  accept?: 'json'
  headers?: Record<string, string>
  /** Sent as `application/json`. */
  json?: unknown
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string>
  /** Cookies to send; `Set-Cookie`s of the reply are stored back into it. */
  jar?: CookieJar
}

export async function request(url: string, options: RequestOptions = {}): Promise<Reply> {
  const headers = new Headers(options.headers)
  if (options.accept === 'json') headers.set('Accept', 'application/json')
  let body: string | undefined
  if (options.json !== undefined) {
    headers.set('Content-Type', 'application/json')
    body = JSON.stringify(options.json)
  } else if (options.form) {
    headers.set('Content-Type', 'application/x-www-form-urlencoded')
    body = new URLSearchParams(options.form).toString()
  }
  if (options.jar && !headers.has('Cookie')) {
    const cookie = options.jar.header()
    if (cookie) headers.set('Cookie', cookie)
  }
  const res = await fetch(url, { method: options.method ?? 'GET', headers, body, redirect: 'manual' })
  const text = await res.text()
  const setCookies = res.headers.getSetCookie().map(parseSetCookie)
  options.jar?.store(setCookies)
  let parsed: unknown
  if (text && /\bjson\b/i.test(res.headers.get('content-type') ?? '')) {
    try {
      parsed = JSON.parse(text)
    } catch {
      throw new Error(`${options.method ?? 'GET'} ${url}: ${res.status} says JSON but is not:\n${text}`)
    }
  }
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: parsed,
    location: res.headers.get('location'),
    setCookies,
  }
}

/** Shapes the tests read; the schemas check the rest. */
export interface SessionJson {
  id: string
  active: boolean
  expires_at: string
  authenticated_at: string
  issued_at: string
  authenticator_assurance_level: string
  authentication_methods: { method: string; aal: string; completed_at: string }[]
  identity?: { id: string; traits: { email: string } } & Record<string, unknown>
  devices?: unknown[]
}

export interface ErrorJson {
  error: {
    id?: string
    code: number
    status: string
    reason?: string
    message: string
    details?: Record<string, unknown>
  }
  redirect_browser_to?: string
}

export interface UiText {
  id: number
  text: string
  type: string
}

export interface UiNode {
  type: string
  group: string
  attributes: { name?: string; value?: unknown; node_type: string; type?: string }
  messages: UiText[]
}

export interface FlowJson {
  id: string
  type: string
  refresh?: boolean
  requested_aal?: string
  return_to?: string
  request_url: string
  expires_at: string
  issued_at: string
  state: unknown
  identity?: { id: string }
  ui: { action: string; method: string; nodes: UiNode[]; messages?: UiText[] }
}

export interface LogoutFlowJson {
  logout_url: string
  logout_token: string
}

export interface NativeLoginJson {
  session: SessionJson
  session_token?: string
  continue_with?: { action: string; redirect_browser_to?: string }[]
}

/** The body as `T`, failing when there is none. */
export function bodyOf<T>(reply: Reply): T {
  if (reply.body === undefined) {
    throw new Error(
      `expected a JSON body, got ${reply.status} ${reply.headers.get('content-type')}: ${reply.text}`,
    )
  }
  return reply.body as T
}

/** The value of the ui node named `name` (e.g. `csrf_token`, `identifier`). */
export function nodeValue(flow: FlowJson, name: string): unknown {
  const node = flow.ui.nodes.find((n) => n.attributes.name === name)
  if (!node) {
    const names = flow.ui.nodes.map((n) => n.attributes.name).join(', ')
    throw new Error(`flow ${flow.id} has no ui node "${name}" (nodes: ${names})`)
  }
  return node.attributes.value
}

export function csrfToken(flow: FlowJson): string {
  const value = nodeValue(flow, 'csrf_token')
  if (typeof value !== 'string' || !value) throw new Error(`flow ${flow.id} has an empty csrf_token node`)
  return value
}

/** Message ids of the flow's `ui.messages`. */
export function messageIds(flow: FlowJson): number[] {
  return (flow.ui.messages ?? []).map((m) => m.id)
}

/** The `?flow=` (or other) query value of a Location or URL. */
export function queryParam(url: string | null, name: string): string | null {
  if (url === null) return null
  return new URL(url).searchParams.get(name)
}
