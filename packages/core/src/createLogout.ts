import type { KyInstance } from 'ky'
import { checkReturnTo } from './checkReturnTo.js'
import type { WhoamiAnswer } from './requestWhoami.js'
import { settleResponse } from './settleResponse.js'

export interface LogoutDeps {
  http: KyInstance
  baseUrl: string
  sessionToken: string | undefined
  /** Origins a `returnTo` may point at. */
  allowed(): string[]
  /** Applies the sign-out over any answer still in flight, and tells the tabs. */
  conclude(answer: Pick<WhoamiAnswer, 'status'>): void
}

/**
 * Creates `logout`: Kratos's browser logout flow (cookie mode) or `DELETE
 * /self-service/logout/api` (token mode), then the signed-out state in every tab, then the
 * navigation to a checked `returnTo`. When Kratos cannot be reached it rejects and changes nothing.
 *
 * @example
 * const logout = createLogout({ http, baseUrl, sessionToken, allowed, conclude: checker.conclude })
 * await logout({ returnTo: 'https://app.example.com/' })
 */
/* @__NO_SIDE_EFFECTS__ */
export function createLogout(o: LogoutDeps): (options?: { returnTo?: string }) => Promise<void> {
  return async ({ returnTo } = {}) => {
    const target = returnTo && checkReturnTo(returnTo, o.allowed())
    // Kratos answers 204 to a JSON logout, and 401 to a logout flow without a session: nothing to end.
    const send = (request: Promise<Response>) => settleResponse('logout', request, 401)
    if (o.sessionToken) {
      await send(o.http.delete('self-service/logout/api', { json: { session_token: o.sessionToken } }))
    } else {
      const flow = await send(o.http.get('self-service/logout/browser'))
      if (flow.status === 200) {
        const { logout_url } = (await flow.json()) as { logout_url?: unknown }
        const url = checkReturnTo(logout_url, [new URL(o.baseUrl).origin], 'logout_url')
        await send(o.http.get(url, { prefixUrl: '' }))
      }
    }
    // As a 401 would: answers that started before the sign-out must not bring the session back.
    o.conclude({ status: 'unauthenticated' })
    if (target) location.assign(target)
  }
}
