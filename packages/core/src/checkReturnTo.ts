import { UnsafeReturnToError } from './SessionKeeperError.js'

/**
 * Refuses any URL that could send the user somewhere unsafe and returns it normalised. It must
 * be an absolute http(s) URL on one of `allowedOrigins`; protocol-relative `//host`,
 * backslashes, whitespace or control characters, and userinfo (`https://good@evil`) are
 * refused before parsing, because browsers and servers disagree about them.
 *
 * @example
 * checkReturnTo('https://app.example/settings', ['https://app.example']) // 'https://app.example/settings'
 * checkReturnTo('javascript:alert(1)', ['https://app.example']) // throws UnsafeReturnToError
 */
export function checkReturnTo(value: unknown, allowedOrigins: readonly string[], what = 'returnTo'): string {
  let url: URL | undefined
  if (typeof value === 'string' && /^https?:\/\/[^\\\s\p{Cc}]*$/iu.test(value)) {
    try {
      url = new URL(value)
    } catch {}
  }
  if (!url || url.username || url.password || !allowedOrigins.includes(url.origin)) {
    throw new UnsafeReturnToError(
      `Unsafe ${what} ${JSON.stringify(value)}: not an http(s) URL on ${allowedOrigins}`,
    )
  }
  return url.href
}
