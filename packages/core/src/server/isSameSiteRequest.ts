/**
 * Whether a request may come from the app's own pages (a CSRF guard). Browsers send
 * `Sec-Fetch-Site` on every request since 2023: only `same-origin` and `same-site` pass. Without
 * it, an `Origin` (even `null`, from sandboxed frames) must be the request URL's origin or one of
 * `allowedOrigins`. With neither header the caller is not a browser, so there is no ambient
 * cookie to abuse and the request passes. Private to the package.
 *
 * @example
 * if (!isSameSiteRequest(request, new Set(['https://app.example.com']))) return forbidden()
 */
export function isSameSiteRequest(request: Request, allowedOrigins: ReadonlySet<string>): boolean {
  const site = request.headers.get('sec-fetch-site')
  if (site !== null) return site === 'same-origin' || site === 'same-site'
  const origin = request.headers.get('origin')
  if (origin === null) return true
  return origin === new URL(request.url).origin || allowedOrigins.has(origin)
}
