import { UnsafeReturnToError } from './SessionKeeperError.js'

// Browsers and servers read these differently (`/\evil` is `//evil` to a browser, a path to
// some servers), so they are refused before parsing, in paths as in absolute URLs.
const AMBIGUOUS = /[\\\s\p{Cc}]/u

/**
 * Refuses any URL that could send the user somewhere unsafe and returns it normalised and
 * absolute. An absolute URL or a path (`/account`, `/x?y#z`, `?q`, `x/y`) is resolved against
 * `base` (the page's `location.href` by default) with the WHATWG URL parser, as the browser
 * would on navigation; the result must be http(s) on one of `allowedOrigins`, without userinfo
 * (`https://good@evil`). Backslashes, whitespace and control characters are refused before
 * parsing, because browsers and servers disagree about them, and so is an empty string (a
 * missing value, not "this page"). The error names the reason
 * (unparseable, not http(s), off-origin and where to) and the allowed origins.
 *
 * @example
 * checkReturnTo('https://app.example/settings', ['https://app.example']) // 'https://app.example/settings'
 * checkReturnTo('/account', ['https://app.example'], 'returnTo', 'https://app.example/home') // 'https://app.example/account'
 * checkReturnTo('javascript:alert(1)', ['https://app.example']) // throws UnsafeReturnToError
 */
export function checkReturnTo(
  value: unknown,
  allowedOrigins: readonly string[],
  what = 'returnTo',
  // The page a path is resolved against, as the browser itself resolves it on navigation.
  base: string | undefined = globalThis.location?.href,
): string {
  let url: URL | undefined
  // An empty string would resolve to the page itself: it is a caller's missing value, not a URL.
  if (typeof value === 'string' && value !== '' && !AMBIGUOUS.test(value)) {
    try {
      url = new URL(value, base)
    } catch {}
  }
  const reason = !url
    ? value === ''
      ? 'empty'
      : 'unparseable'
    : !/^https?:$/.test(url.protocol)
      ? `not http(s): ${url.protocol}`
      : url.username + url.password
        ? 'off-origin: userinfo'
        : !allowedOrigins.includes(url.origin) && `off-origin: ${url.origin}`
  if (reason) {
    throw new UnsafeReturnToError(
      `Unsafe ${what} ${JSON.stringify(value)}: ${reason}; allowed: ${allowedOrigins}`,
    )
  }
  return (url as URL).href
}
