import ky, { type KyInstance } from 'ky'
import type { ResolvedOptions } from './resolveOptions.js'

/**
 * The keeper's one HTTP client: ky on `baseUrl`, JSON, the cookie (or `X-Session-Token` in
 * token mode), the `timeout`, no retries (the checker's backoff decides when to try again) and
 * no thrown HTTP errors (every status is an answer to map, never an exception).
 *
 * @example
 * const http = createHttp(resolveOptions({ baseUrl: 'https://auth.example.com' }))
 * const res = await http.get('sessions/whoami')
 */
export function createHttp({
  baseUrl,
  sessionToken,
  timeout,
  fetch,
}: Pick<ResolvedOptions, 'baseUrl' | 'sessionToken' | 'timeout' | 'fetch'>): KyInstance {
  return ky.create({
    prefixUrl: baseUrl,
    credentials: 'include',
    headers: { accept: 'application/json', ...(sessionToken && { 'x-session-token': sessionToken }) },
    timeout,
    retry: 0,
    throwHttpErrors: false,
    fetch,
  })
}
