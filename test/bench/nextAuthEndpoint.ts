// A small stand-in for next-auth 4's server routes that `next-auth/react` calls, for the peer
// benchmark (peers.bench.ts): it answers what next-auth's `/api/auth/*` handler answers with the
// database session strategy (an opaque token in the `next-auth.session-token` cookie, looked up
// server-side, so a sign-out revokes it), and counts every request by route. Shapes read from
// next-auth 4.24's `src/core/routes/session.ts`, `routes/signout.ts`, `lib/csrf-token.ts`,
// `core/index.ts` and `next/index.ts` (`json: "true"` turns a redirect into `{ url }`).
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

const SESSION_COOKIE = 'next-auth.session-token'
const CSRF_COOKIE = 'next-auth.csrf-token'
/** next-auth's default `session.maxAge`: 30 days. */
const MAX_AGE_S = 30 * 24 * 60 * 60
const SECRET = randomBytes(16).toString('hex')
/** As next-auth's session and csrf routes send them. */
const NO_CACHE = { 'Cache-Control': 'private, no-cache, no-store', Pragma: 'no-cache', Expires: '0' }

export interface NextAuthEndpoint {
  /** Where it listens, e.g. `http://127.0.0.1:41234` (the page's server proxies `/api/auth` to it). */
  url: string
  /** Requests since the last reset, by `METHOD /path`, e.g. `GET /api/auth/session`. */
  requests(): Record<string, number>
  resetRequests(): void
  /** A new session for `email`; returns the cookie value the browser should hold. */
  createSession(email: string): string
  close(): Promise<void>
}

interface StoredSession {
  email: string
  expires: Date
}

function cookies(request: IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>()
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name) jar.set(name, decodeURIComponent(value.join('=')))
  }
  return jar
}

/** A `Set-Cookie` value as next-auth sets it on http (no `Secure`); without `expires`, a session cookie. */
const cookie = (name: string, value: string, expires?: Date) =>
  `${name}=${encodeURIComponent(value)}; Path=/${expires ? `; Expires=${expires.toUTCString()}` : ''}; HttpOnly; SameSite=Lax`
const cleared = (name: string) => cookie(name, '', new Date(0))
const csrfHash = (token: string) => createHash('sha256').update(`${token}${SECRET}`).digest('hex')

/** The token of a valid csrf cookie (next-auth's double-submit check), or undefined. */
function csrfFromCookie(jar: Map<string, string>): string | undefined {
  const [token, hash] = (jar.get(CSRF_COOKIE) ?? '').split('|')
  return token && hash === csrfHash(token) ? token : undefined
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]>,
) {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers })
  response.end(JSON.stringify(body))
}

async function formBody(request: IncomingMessage): Promise<URLSearchParams> {
  let text = ''
  for await (const chunk of request) text += chunk
  return new URLSearchParams(text)
}

/** Starts the endpoint on 127.0.0.1 and a free port. */
export async function startNextAuthEndpoint(): Promise<NextAuthEndpoint> {
  const sessions = new Map<string, StoredSession>()
  let counts: Record<string, number> = {}

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://endpoint')
    const route = `${request.method} ${url.pathname}`
    counts[route] = (counts[route] ?? 0) + 1
    const jar = cookies(request)
    if (route === 'GET /api/auth/session') {
      // Database strategy: the stored expiry is answered, and the cookie is re-sent every time.
      const token = jar.get(SESSION_COOKIE)
      const session = token === undefined ? undefined : sessions.get(token)
      if (token === undefined) return send(response, 200, {}, NO_CACHE)
      if (!session || session.expires.getTime() < Date.now()) {
        sessions.delete(token)
        return send(response, 200, {}, { ...NO_CACHE, 'Set-Cookie': cleared(SESSION_COOKIE) })
      }
      const user = { name: null, email: session.email, image: null }
      const renewed = new Date(Date.now() + MAX_AGE_S * 1000)
      return send(
        response,
        200,
        { user, expires: session.expires.toISOString() },
        { ...NO_CACHE, 'Set-Cookie': cookie(SESSION_COOKIE, token, renewed) },
      )
    }
    if (route === 'GET /api/auth/csrf') {
      const known = csrfFromCookie(jar)
      const token = known ?? randomBytes(32).toString('hex')
      const headers: Record<string, string> = { ...NO_CACHE }
      if (!known) headers['Set-Cookie'] = cookie(CSRF_COOKIE, `${token}|${csrfHash(token)}`)
      return send(response, 200, { csrfToken: token }, headers)
    }
    if (route === 'POST /api/auth/signout') {
      const body = await formBody(request)
      const origin = `http://${request.headers.host}`
      const callbackUrl = body.get('callbackUrl') ?? origin
      // next-auth's default redirect callback: same origin only.
      const safe = callbackUrl.startsWith(origin) ? callbackUrl : origin
      const csrf = csrfFromCookie(jar)
      if (csrf === undefined || csrf !== body.get('csrfToken')) {
        return send(response, 200, { url: `${origin}/api/auth/signout?csrf=true` }, {})
      }
      const token = jar.get(SESSION_COOKIE)
      if (token === undefined) return send(response, 200, { url: safe }, {})
      sessions.delete(token)
      return send(response, 200, { url: safe }, { 'Set-Cookie': cleared(SESSION_COOKIE) })
    }
    send(response, 404, { error: `no route ${route} in this stand-in` }, {})
  })
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('no port assigned')
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests: () => ({ ...counts }),
    resetRequests: () => {
      counts = {}
    },
    createSession(email) {
      const token = randomBytes(32).toString('hex')
      sessions.set(token, { email, expires: new Date(Date.now() + MAX_AGE_S * 1000) })
      return token
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
