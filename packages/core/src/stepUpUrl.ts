import { checkReturnTo } from './checkReturnTo.js'
import type { Log } from './InspectRecord.js'

/**
 * The URL that takes the user to the second factor after whoami's 403 `session_aal2_required`:
 * Kratos's `redirect_browser_to` when it is on `baseUrl`'s origin (anything else is refused
 * and logged), else the aal2 login, with `return_to` set to the page when Kratos left it out.
 *
 * @example
 * stepUpUrl(body.redirect_browser_to, 'https://auth.example.com', location.href, inspector.log)
 */
export function stepUpUrl(
  redirectTo: unknown,
  baseUrl: string,
  pageHref: string | undefined,
  log: Log,
): string {
  let url = `${baseUrl}/self-service/login/browser?aal=aal2`
  try {
    url = checkReturnTo(redirectTo, [new URL(baseUrl).origin], 'redirect_browser_to')
  } catch (error) {
    log('error', { error })
  }
  const parsed = new URL(url)
  if (pageHref && !parsed.searchParams.has('return_to')) parsed.searchParams.set('return_to', pageHref)
  return parsed.href
}
