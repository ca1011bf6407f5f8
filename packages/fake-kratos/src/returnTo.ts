import type { Config } from './config.js'
import { returnToForbidden } from './errors.js'

/** A checked `return_to`: `raw` as the flow keeps it, `url` where the browser is sent. */
export interface ReturnTo {
  raw: string
  url: string
}

// `*` and `*.tld` would allow everything (config.go:1061-1085), so Kratos drops them.
const isUnsafeWildcard = (host: string) =>
  host === '*' || (host.startsWith('*.') && !host.slice(2).includes('.'))

function isAllowed(entry: string, target: URL): boolean {
  if (!URL.canParse(entry)) return false
  const allowed = new URL(entry)
  if (allowed.protocol !== target.protocol || isUnsafeWildcard(allowed.hostname)) return false
  const hostMatches = allowed.hostname.startsWith('*.')
    ? target.host.endsWith(allowed.host.slice(1))
    : allowed.host === target.host
  return hostMatches && target.pathname.startsWith(allowed.pathname)
}

/**
 * `redir.SecureRedirectTo` (x/redir/secure_redirect.go:112): relative URLs take the default return
 * URL's scheme and host; the result must match an allowed entry by scheme, host (wildcards
 * suffix-matched) and path prefix. Allowed: `allowedReturnUrls` and the public URL's `/self-service`
 * paths; CORS origins are not (FACTS §2).
 * Throws 400 `self_service_flow_return_to_forbidden` (FACTS §2).
 */
export function checkReturnTo(config: Config, raw: string | null): ReturnTo | undefined {
  if (!raw) return undefined
  const target = URL.canParse(raw, config.defaultReturnUrl) ? new URL(raw, config.defaultReturnUrl) : null
  // Go quotes the URL as it parsed it: an absolute one unchanged, a relative one resolved.
  const shown = target && !URL.canParse(raw) ? target.href : raw
  const entries = [`${config.publicUrl}/self-service`, ...config.allowedReturnUrls]
  if (!target || !entries.some((entry) => isAllowed(entry, target))) throw returnToForbidden(shown)
  return { raw, url: target.href }
}
