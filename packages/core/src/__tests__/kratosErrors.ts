// Kratos's "log in again" answers (FACTS §2, §4) in the shapes an app's failed request takes:
// a parsed body, a `Response`, and ky's `HTTPError` (what `ky` throws with `throwHttpErrors`).
import { HTTPError } from 'ky'

const PUBLIC = 'https://auth.example'

/** 403 from a settings flow whose login is older than `privileged_session_max_age` (FACTS §4). */
export const REFRESH_REQUIRED = {
  error: {
    id: 'session_refresh_required',
    code: 403,
    status: 'Forbidden',
    reason:
      'The login session is too old and thus not allowed to update these fields. Please re-authenticate.',
    message: 'The requested action was forbidden',
  },
  redirect_browser_to: `${PUBLIC}/self-service/login/browser?refresh=true&return_to=${encodeURIComponent(`${PUBLIC}/self-service/settings?flow=f1`)}`,
}

/** 403 from settings under `required_aal: highest_available` for an aal1 session (FACTS §4). */
export const AAL2_REQUIRED = {
  error: {
    id: 'session_aal2_required',
    code: 403,
    status: 'Forbidden',
    reason:
      'An active session was found but it does not fulfill the requested Authenticator Assurance Level.',
    details: { redirect_browser_to: `${PUBLIC}/self-service/login/browser?aal=aal2` },
    message: 'Session does not fulfill the requested Authenticator Assurance Level',
  },
  redirect_browser_to: `${PUBLIC}/self-service/login/browser?aal=aal2`,
}

/** 422 from a login submitted over JSON while the second factor is still due (FACTS §2). */
export const LOCATION_CHANGE_REQUIRED = {
  error: {
    id: 'browser_location_change_required',
    code: 422,
    status: 'Unprocessable Entity',
    reason: `In order to complete this flow please redirect the browser to: ${PUBLIC}/self-service/login/browser?aal=aal2`,
    message: 'browser location change required',
  },
  redirect_browser_to: `${PUBLIC}/self-service/login/browser?aal=aal2&return_to=https%3A%2F%2Fapp.example%2F`,
}

/** The JSON error response Kratos writes: herodot's `Ory-Error-Id` header, no charset. */
export function kratosResponse(body: { error: { id: string; code: number } }): Response {
  return new Response(JSON.stringify(body), {
    status: body.error.code,
    headers: { 'content-type': 'application/json', 'ory-error-id': body.error.id },
  })
}

/** What ky throws for that response. */
export function kyHttpError(body: { error: { id: string; code: number } }): HTTPError {
  const request = new Request(`${PUBLIC}/self-service/settings?flow=f1`, { method: 'POST' })
  return new HTTPError(kratosResponse(body), request, {} as ConstructorParameters<typeof HTTPError>[2])
}
