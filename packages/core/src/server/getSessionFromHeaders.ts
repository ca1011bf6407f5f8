import type { Session } from '../types.js'
import { forwardWhoami } from './forwardWhoami.js'
import type { GetSessionFromRequestOptions } from './getSessionFromRequest.js'
import { DEFAULT_TIMEOUT, globalFetch, validate } from './validate.js'

/**
 * What {@link getSessionFromHeaders} reads: a Fetch `Headers`, or anything with its `get`, such
 * as the `ReadonlyHeaders` of Next.js's `headers()`.
 *
 * @example
 * const incoming: HeadersLike = new Headers({ cookie: 'ory_kratos_session=…' })
 */
export interface HeadersLike {
  get(name: string): string | null
}

/** The incoming headers Kratos reads a session from (FACTS §1); nothing else is forwarded. */
const FORWARDED = ['cookie', 'x-session-token'] as const

/**
 * {@link getSessionFromRequest} for code that holds the request's headers but no `Request`:
 * a Next.js server component or server action (`await headers()` from `next/headers`), or a
 * framework that hands out `Headers`. Only `Cookie` and `X-Session-Token` are sent to Kratos's
 * whoami; the answers are the same: the Session, `null` on 401 or without either header (no
 * request is then sent), and a rejection with `ServerError` (403 such as
 * `session_aal2_required`, other statuses), `NetworkError` or `InvalidResponseError`.
 *
 * @example
 * // app/layout.tsx (Next.js App Router, a server component)
 * import { getSessionFromHeaders } from '@session-keeper/core/server'
 * import { headers } from 'next/headers'
 *
 * export default async function RootLayout({ children }: { children: React.ReactNode }) {
 *   const session = await getSessionFromHeaders(await headers(), { baseUrl: process.env.KRATOS_URL! })
 *   return <SessionProvider initialSession={session}>{children}</SessionProvider>
 * }
 */
export async function getSessionFromHeaders(
  headers: HeadersLike,
  options: GetSessionFromRequestOptions,
): Promise<Session | null> {
  const where = 'getSessionFromHeaders'
  if (typeof (headers as HeadersLike | null)?.get !== 'function') {
    throw new TypeError(
      `[@session-keeper/core/server] ${where}: "headers" must be a Headers (e.g. \`await headers()\` in Next.js)`,
    )
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`[@session-keeper/core/server] ${where}: options must be an object`)
  }
  const resolved = {
    baseUrl: validate.httpUrl(where, 'baseUrl', options.baseUrl),
    fetch: validate.func(where, 'fetch', options.fetch, globalFetch),
    timeout: validate.duration(where, 'timeout', options.timeout, DEFAULT_TIMEOUT, true),
  }
  // A Request carrying the two headers only: whoami is asked exactly as for a whole request.
  const forwarded = new Headers()
  for (const name of FORWARDED) {
    const value = headers.get(name)
    if (value) forwarded.set(name, value)
  }
  const outcome = await forwardWhoami(new Request('http://localhost/', { headers: forwarded }), resolved)
  if ('error' in outcome) throw outcome.error
  return outcome.session
}
