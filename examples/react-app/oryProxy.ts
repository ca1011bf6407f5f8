import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ProxyOptions } from 'vite'

/** Where the dev server serves the Ory project, as Ory's tunnel does. */
export const ORY_PATH = '/.ory'

/** Bodies that may carry the project's URL (flows' `ui.action`, `logout_url`, HTML forms and links). */
const TEXT_BODY = /^(text\/html|application\/(?:[\w.+-]*\+)?json)\b/i

/**
 * A response cookie made first-party to the app: no `Domain` (so it is host-only on the app's
 * host, not the project's domain) and, when the app is served over plain http, no `Secure`,
 * with `SameSite=None` turned into `Lax`, since browsers drop `None` without `Secure`.
 */
export function rewriteSetCookie(cookie: string, secureApp: boolean): string {
  const [pair = '', ...attributes] = cookie.split(';')
  const kept: string[] = []
  for (const raw of attributes) {
    const attribute = raw.trim()
    const name = attribute.split('=', 1)[0]?.toLowerCase()
    if (!attribute || name === 'domain') continue
    if (!secureApp && name === 'secure') continue
    if (!secureApp && /^samesite\s*=\s*none$/i.test(attribute)) kept.push('SameSite=Lax')
    else kept.push(attribute)
  }
  return [pair, ...kept].join('; ')
}

/**
 * A `Location` from the project as the browser must follow it: project URLs (absolute, or
 * path-absolute on the project) come back through {@link ORY_PATH} on the app's origin; any other
 * URL (e.g. `return_to` on the app) is kept.
 */
export function rewriteLocation(location: string, projectOrigin: string, appBase: string): string {
  if (location.startsWith('/') && !location.startsWith('//')) return `${appBase}${location}`
  const url = URL.parse(location, `${projectOrigin}/`)
  if (url?.origin !== projectOrigin) return location
  return `${appBase}${url.pathname}${url.search}${url.hash}`
}

/** `<scheme>://<host>/.ory` of the request as the browser sent it. */
function appBase(request: IncomingMessage): { base: string; secure: boolean } {
  const secure = 'encrypted' in request.socket && request.socket.encrypted === true
  return { base: `${secure ? 'https' : 'http'}://${request.headers.host}${ORY_PATH}`, secure }
}

/**
 * Vite `server.proxy` entries that serve the Ory project at `target` (e.g.
 * `https://<project>.projects.oryapis.com`, only its origin is used) under `/.ory` on the dev
 * server, as `ory tunnel` does for local development:
 *
 * - the session and anti-CSRF cookies become first-party to the app ({@link rewriteSetCookie});
 * - redirects to the project come back through `/.ory` ({@link rewriteLocation});
 * - the project's URL in HTML and JSON bodies (the login form's action, flows' `ui.action`,
 *   `logout_url`) becomes `<app>/.ory`, so the browser never talks to the project directly:
 *   its cookies would not go there.
 *
 * The app then uses `<app origin>/.ory` as its Kratos URL (`VITE_KRATOS_URL=/.ory`, which
 * `pnpm demo` sets when `ORY_SDK_URL` is given). Tested by `test/e2e/proxy.test.ts`.
 *
 * @example
 * defineConfig({ server: { proxy: oryProxy('https://my-project.projects.oryapis.com') } })
 */
export function oryProxy(target: string): Record<string, ProxyOptions> {
  const projectOrigin = new URL(target).origin
  return {
    [ORY_PATH]: {
      target: projectOrigin,
      changeOrigin: true,
      rewrite: (path) => path.replace(/^\/\.ory(?=\/|\?|$)/, '').replace(/^(?!\/)/, '/'),
      // Uncompressed bodies, so the project's URL in them can be rewritten.
      headers: { 'accept-encoding': 'identity' },
      // This handler writes every response itself (below): status, headers and body.
      selfHandleResponse: true,
      configure(proxy) {
        proxy.on(
          'proxyRes',
          (upstream: IncomingMessage, request: IncomingMessage, response: ServerResponse) => {
            const { base, secure } = appBase(request)
            const headers = { ...upstream.headers }
            // Hop-by-hop: this server frames its own response.
            for (const name of ['connection', 'keep-alive', 'transfer-encoding']) delete headers[name]
            if (headers.location) headers.location = rewriteLocation(headers.location, projectOrigin, base)
            if (headers['set-cookie']) {
              headers['set-cookie'] = headers['set-cookie'].map((cookie) => rewriteSetCookie(cookie, secure))
            }
            const encoding = headers['content-encoding']
            const rewriteBody =
              request.method !== 'HEAD' &&
              TEXT_BODY.test(headers['content-type'] ?? '') &&
              (!encoding || encoding === 'identity')
            if (!rewriteBody) {
              response.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, headers)
              upstream.pipe(response)
              return
            }
            const chunks: Buffer[] = []
            upstream.on('data', (chunk: Buffer) => chunks.push(chunk))
            upstream.on('error', () => response.destroy())
            upstream.on('end', () => {
              const body = Buffer.from(Buffer.concat(chunks).toString('utf8').replaceAll(projectOrigin, base))
              headers['content-length'] = String(body.length)
              response.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, headers)
              response.end(body)
            })
          },
        )
      },
    },
  }
}
