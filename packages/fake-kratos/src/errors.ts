/** herodot's `DefaultError` fields, declared in its JSON field order (FACTS §0). */
export interface HerodotError {
  id?: string
  code: number
  status: string
  reason?: string
  details?: Record<string, unknown>
  message: string
}

/**
 * An error answered the way Kratos's herodot writer does: `{"error": …}` plus, for errors that
 * implement Go's `EnhanceJSONError`, extra top-level fields such as `redirect_browser_to`.
 */
export class KratosError extends Error {
  readonly error: HerodotError
  readonly extra: Record<string, unknown>

  constructor(error: HerodotError, extra: Record<string, unknown> = {}) {
    super(error.reason ?? error.message)
    this.error = error
    this.extra = extra
  }

  /** A copy with more top-level fields beside `error`. */
  with(extra: Record<string, unknown>): KratosError {
    return new KratosError(this.error, { ...this.extra, ...extra })
  }

  /** The response body; `request` echoes `X-Request-ID` as herodot does. */
  body(requestId?: string): Record<string, unknown> {
    const { id, code, status, reason, details, message } = this.error
    const fields = { id, code, status, request: requestId || undefined, reason, details, message }
    // Every field but `message` is omitempty in herodot.
    const error = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))
    return { error, ...this.extra }
  }
}

// herodot's stock errors (herodot error_default.go).
const stock =
  (code: number, status: string, message: string) =>
  (fields: Partial<HerodotError> = {}) =>
    new KratosError({ code, status, message, ...fields })
export const badRequest = stock(
  400,
  'Bad Request',
  'The request was malformed or contained invalid parameters',
)
export const unauthorized = stock(401, 'Unauthorized', 'The request could not be authorized')
export const forbidden = stock(403, 'Forbidden', 'The requested action was forbidden')
export const notFound = stock(404, 'Not Found', 'The requested resource could not be found')
export const gone = stock(
  410,
  'Gone',
  'The requested resource is no longer available because it has expired or is otherwise invalid.',
)
export const internalServerError = stock(
  500,
  'Internal Server Error',
  'An internal server error occurred, please contact the system administrator',
)

/** whoami's 401: wrapped so that herodot finds no id (FACTS §1, ory/kratos#4129). */
export const noSessionFound = () =>
  unauthorized({ reason: 'No valid session credentials found in the request.' })

/** `ErrNoActiveSessionFound`; settings serializes its exported `CredentialsMissing` field (FACTS §4). */
export const sessionInactive = (extra: Record<string, unknown> = {}) =>
  new KratosError(
    {
      id: 'session_inactive',
      code: 401,
      status: 'Unauthorized',
      reason: 'No active session was found in this request.',
      message: 'request does not have a valid authentication session',
    },
    extra,
  )

/** sqlcon's `ErrNoRows` (FACTS §3). */
export const resourceNotFound = () =>
  new KratosError({ code: 404, status: 'Not Found', message: 'Unable to locate the resource' })

export const aal2Required = (redirectTo: string) =>
  forbidden({
    id: 'session_aal2_required',
    reason:
      'An active session was found but it does not fulfill the requested Authenticator Assurance Level. Please verify yourself with a second factor to resolve this issue.',
    details: { redirect_browser_to: redirectTo },
    message: 'Session does not fulfill the requested Authenticator Assurance Level',
  }).with({ redirect_browser_to: redirectTo })

export const aal1Required = () =>
  unauthorized({
    id: 'session_aal1_required',
    reason: 'You can not requested a higher AAL (AAL2/AAL3) without an active session.',
    message: 'aal2 and aal3 can only be requested if a session exists already',
  })

export const alreadyLoggedIn = () =>
  badRequest({
    id: 'session_already_available',
    reason:
      'A valid session was detected and thus login is not possible. Did you forget to set `?refresh=true`?',
    message: 'you are already logged in',
  })

export const returnToForbidden = (url: string) =>
  badRequest({
    id: 'self_service_flow_return_to_forbidden',
    reason: `Requested return_to URL ${JSON.stringify(url)} is not allowed.`,
  })

export const browserLocationChangeRequired = (redirectTo: string) =>
  new KratosError(
    {
      id: 'browser_location_change_required',
      code: 422,
      status: 'Unprocessable Entity',
      reason: `In order to complete this flow please redirect the browser to: ${redirectTo}`,
      message: 'browser location change required',
    },
    { redirect_browser_to: redirectTo },
  )

/** `FlowNeedsReAuth`: unlike aal2 it has no `details` (FACTS §4). */
export const refreshRequired = (redirectTo: string) =>
  forbidden({
    id: 'session_refresh_required',
    reason:
      'The login session is too old and thus not allowed to update these fields. Please re-authenticate.',
  }).with({ redirect_browser_to: redirectTo })

/** `flow.ExpiredError` (selfservice/flow/error.go): `since` is a Go duration in nanoseconds. */
export const flowExpired = (expiredAt: string, agoMs: number, useFlowId: string) =>
  gone({
    id: 'self_service_flow_expired',
    reason: `The self-service flow expired ${(agoMs / 60_000).toFixed(2)} minutes ago, initialize a new one.`,
    message: 'self-service flow expired',
  }).with({ expired_at: expiredAt, since: agoMs * 1_000_000, use_flow_id: useFlowId })

export const identityMismatch = () =>
  forbidden({
    id: 'security_identity_mismatch',
    reason: 'The request was made for another identity and has been blocked for security reasons.',
  })
