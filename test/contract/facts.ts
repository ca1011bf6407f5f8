// Exact bodies and headers from /work/shared/kratos/FACTS.md (how Kratos answers, read from its source).
// Each constant names its FACTS section; where the OpenAPI spec disagrees, these win (FACTS §8).

/** FACTS §0: every public GET. */
export const NO_CACHE = 'private, no-cache, no-store, must-revalidate'
/** FACTS §0: herodot `WriteCode` (success) vs `WriteErrorCode` (errors). */
export const JSON_OK = 'application/json; charset=utf-8'
export const JSON_ERROR = 'application/json'

/**
 * FACTS §1 (spec mismatch §8.1): whoami's 401 for missing, unknown, expired or revoked credentials has NO
 * `error.id` (the swagger text says `session_inactive`), as observed in ory/kratos#4129.
 */
export const WHOAMI_401 = {
  error: {
    code: 401,
    status: 'Unauthorized',
    reason: 'No valid session credentials found in the request.',
    message: 'The request could not be authorized',
  },
}

/** FACTS §1: whoami's 403; the redirect has no `return_to` because whoami passes no request URL. */
export function aal2Required(
  publicUrl: string,
  redirect = `${publicUrl}/self-service/login/browser?aal=aal2`,
) {
  return {
    error: {
      id: 'session_aal2_required',
      code: 403,
      status: 'Forbidden',
      reason:
        'An active session was found but it does not fulfill the requested Authenticator Assurance Level. Please verify yourself with a second factor to resolve this issue.',
      details: { redirect_browser_to: redirect },
      message: 'Session does not fulfill the requested Authenticator Assurance Level',
    },
    redirect_browser_to: redirect,
  }
}

/** FACTS §2: login flow requested while already logged in, without `refresh` (JSON). */
export const SESSION_ALREADY_AVAILABLE = {
  error: {
    id: 'session_already_available',
    code: 400,
    status: 'Bad Request',
    reason:
      'A valid session was detected and thus login is not possible. Did you forget to set `?refresh=true`?',
    message: 'you are already logged in',
  },
}

/** FACTS §2: `aal=aal2` without a session (JSON). */
export const SESSION_AAL1_REQUIRED = {
  error: {
    id: 'session_aal1_required',
    code: 401,
    status: 'Unauthorized',
    reason: 'You can not requested a higher AAL (AAL2/AAL3) without an active session.',
    message: 'aal2 and aal3 can only be requested if a session exists already',
  },
}

/**
 * FACTS §2 (spec mismatch §8.2): a `return_to` outside the allow list. The id is
 * `self_service_flow_return_to_forbidden` (the swagger text says `security_identity_mismatch`); the reason
 * quotes the URL after relative URLs got the default return URL's scheme and host.
 */
export function returnToForbidden(url: string) {
  return {
    error: {
      id: 'self_service_flow_return_to_forbidden',
      code: 400,
      status: 'Bad Request',
      reason: `Requested return_to URL ${JSON.stringify(url)} is not allowed.`,
      message: 'The request was malformed or contained invalid parameters',
    },
  }
}

/** FACTS §2: `aal` other than aal1|aal2 (lower-cased first). */
export function badAalReason(got: string): string {
  return `Unable to parse AuthenticationMethod Assurance Level (AAL): expected one of [aal1, aal2] but got ${got}`
}

/**
 * FACTS §2 (spec mismatch §8.3): the SPA 422 after a password login of an identity with 2FA, with a
 * top-level `redirect_browser_to` and `error` a plain genericError (not double nested).
 */
export function browserLocationChangeRequired(redirect: string) {
  return {
    error: {
      id: 'browser_location_change_required',
      code: 422,
      status: 'Unprocessable Entity',
      reason: `In order to complete this flow please redirect the browser to: ${redirect}`,
      message: 'browser location change required',
    },
    redirect_browser_to: redirect,
  }
}

/** FACTS §4: settings submit with a non-privileged session (API flow or JSON); no `details`. */
export function sessionRefreshRequired(redirect: string) {
  return {
    error: {
      id: 'session_refresh_required',
      code: 403,
      status: 'Forbidden',
      reason:
        'The login session is too old and thus not allowed to update these fields. Please re-authenticate.',
      message: 'The requested action was forbidden',
    },
    redirect_browser_to: redirect,
  }
}

/** FACTS §6: logout flow requested without a session (JSON). */
export const SESSION_INACTIVE = {
  error: {
    id: 'session_inactive',
    code: 401,
    status: 'Unauthorized',
    reason: 'No active session was found in this request.',
    message: 'request does not have a valid authentication session',
  },
}

/** FACTS §3: admin extend (or get) of an unknown session id. */
export const NOT_FOUND = {
  error: { code: 404, status: 'Not Found', message: 'Unable to locate the resource' },
}

/** FACTS §6: logout reasons. */
export const LOGOUT_NO_TOKEN_REASON = 'Please include a token in the URL query.'
export const LOGOUT_TOKEN_MISMATCH_REASON =
  'Unable to log out because the logout token in the URL query does not match the session cookie.'
export const LOGOUT_API_UNKNOWN_TOKEN_REASON =
  'The provided Ory Session Token could not be found, is invalid, or otherwise malformed.'

/** FACTS §2: UI message ids on login flows. */
export const MSG_CONFIRM_ITS_YOU = 1010003
export const MSG_SECOND_FACTOR = 1010004

/**
 * settings/handler.go `createNativeSettingsFlow` without a session: `IsAuthenticated` with no
 * fallback writes `NewErrNoActiveSessionFound().WithReason(…)`, a plain DefaultError (so no stray
 * `CredentialsMissing`, unlike FACTS §4's browser flow).
 */
export const SETTINGS_API_NO_SESSION = {
  error: {
    id: 'session_inactive',
    code: 401,
    status: 'Unauthorized',
    reason: 'This endpoint can only be accessed with a valid session. Please log in and try again.',
    message: 'request does not have a valid authentication session',
  },
}

/** settings `OnUnauthenticated` (strategy_helper.go) for JSON requests: a herodot 401 without an id. */
export const SETTINGS_NO_SESSION = {
  error: {
    code: 401,
    status: 'Unauthorized',
    reason: 'A valid Ory Session Cookie or Ory Session Token is missing.',
    message: 'The request could not be authorized',
  },
}

/** `flow.EnsureCSRF` for API flows (selfservice/flow/request.go): a browser's request is refused. */
export const API_FLOW_FROM_BROWSER = (header: 'Origin' | 'Cookie') =>
  `The HTTP Request Header included the "${header}" key, indicating that this request was made ${
    header === 'Origin' ? 'as part of an AJAX request in a Browser' : 'by a Browser'
  }. The flow however was initiated as an API request. To prevent potential misuse and mitigate several attack vectors including CSRF, the request has been blocked. Please consult the documentation.`

/** text/id.go: `ErrorValidationSettingsFlowExpired`, on the flow that replaces an expired one. */
export const MSG_SETTINGS_EXPIRED = 4050001

/** text/id.go: `ErrorValidationGeneric`, a 400 error's reason as a flow message (container.ParseError). */
export const MSG_GENERIC = 4000001
