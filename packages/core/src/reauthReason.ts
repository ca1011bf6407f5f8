// Recognises Kratos's "log in again" answers wherever an app's request failed: a `Response`,
// an error carrying one (ky's `HTTPError`, @ory/client-fetch's `ResponseError`), or a parsed body.

/** Kratos error ids that an action can cure by logging in again (FACTS §2, §4). */
export type ReauthErrorId =
  | 'session_refresh_required'
  | 'session_aal2_required'
  | 'browser_location_change_required'

/** What {@link reauthReason} found: the Kratos error id and its `redirect_browser_to`, if any. */
export interface ReauthRequired {
  id: ReauthErrorId
  /** Kratos's own next step; `null` when the body was not readable or had none. */
  redirectTo: string | null
}

// Each id with the status Kratos sends it with: 403 from settings and whoami, 422 from a
// login submitted over JSON that still needs the second factor.
const STATUS: Record<string, number> = {
  session_refresh_required: 403,
  session_aal2_required: 403,
  browser_location_change_required: 422,
}

interface KratosBody {
  error?: { id?: unknown; details?: { redirect_browser_to?: unknown } }
  redirect_browser_to?: unknown
}

const isResponse = (value: unknown): value is Response =>
  typeof (value as Response | null)?.status === 'number' && typeof (value as Response).clone === 'function'

/**
 * Whether `failure` is Kratos asking for a fresh or stronger login: 403
 * `session_refresh_required` or `session_aal2_required`, or 422
 * `browser_location_change_required`. Accepts a `Response`, an error with a `response` (ky's
 * `HTTPError`, @ory/client-fetch's `ResponseError`) or a parsed Kratos body. A response body
 * is read from a clone, so the caller can still read it; when it is already used, the
 * `Ory-Error-Id` header decides. Anything else resolves to `null`.
 *
 * @example
 * try {
 *   await api.patch('settings', { json })
 * } catch (error) {
 *   const required = await reauthReason(error) // { id: 'session_refresh_required', redirectTo: '…' }
 *   if (required) await keeper.reauthenticate({ maxAge: '1m', mode: 'popup' })
 *   else throw error
 * }
 */
export async function reauthReason(failure: unknown): Promise<ReauthRequired | null> {
  const response = isResponse(failure)
    ? failure
    : isResponse((failure as { response?: unknown } | null)?.response)
      ? (failure as { response: Response }).response
      : undefined
  let body = (response ? undefined : failure) as KratosBody | undefined
  if (response) {
    if (response.status !== 403 && response.status !== 422) return null
    try {
      body = (await response.clone().json()) as KratosBody
    } catch {
      body = { error: { id: response.headers?.get('ory-error-id') } }
    }
  }
  const id = body?.error?.id
  if (typeof id !== 'string' || !STATUS[id] || (response && response.status !== STATUS[id])) return null
  const redirectTo = body?.redirect_browser_to ?? body?.error?.details?.redirect_browser_to
  return { id: id as ReauthErrorId, redirectTo: typeof redirectTo === 'string' ? redirectTo : null }
}
