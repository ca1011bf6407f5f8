/** The body types an HTML form, `sendBeacon` or a `no-cors` fetch can send cross-site. */
const SIMPLE_BODIES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'])

/** The request's media type, lower case, without parameters (`text/plain;charset=UTF-8` → `text/plain`). */
const mediaType = (request: Request) =>
  (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''

/**
 * Whether a request may come from the app's own pages (a CSRF guard). Browsers send
 * `Sec-Fetch-Site` on every request since 2023: only `same-origin` and `same-site` pass. Without
 * it, an `Origin` (even `null`, from sandboxed frames) must be the request URL's origin or one of
 * `allowedOrigins`. With neither header the caller is not a browser, so there is no ambient
 * cookie to abuse and the request passes, unless it carries a body a cross-site page can send
 * without a preflight (form-encoded, multipart, text/plain): older browsers (Firefox before 70)
 * send such a form POST with the user's cookie and no `Origin`. Private to the package.
 *
 * @example
 * if (!isSameSiteRequest(request, new Set(['https://app.example.com']))) return forbidden()
 */
export function isSameSiteRequest(request: Request, allowedOrigins: ReadonlySet<string>): boolean {
  const site = request.headers.get('sec-fetch-site')
  if (site !== null) return site === 'same-origin' || site === 'same-site'
  const origin = request.headers.get('origin')
  if (origin === null) return !SIMPLE_BODIES.has(mediaType(request))
  return origin === new URL(request.url).origin || allowedOrigins.has(origin)
}
