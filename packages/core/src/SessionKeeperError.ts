// One base class and a subclass per failure the keeper reports. Guards compare `name` rather
// than `instanceof`, so they hold across realms (iframes, popups, duplicated bundles).

/**
 * Base class of every error the keeper reports, in `state.error`, to `onError` or as a rejection.
 *
 * @example
 * keeper.on('error', ({ error }) => {
 *   if (isSessionKeeperError(error)) console.warn(error.name, error.message)
 * })
 */
export class SessionKeeperError extends Error {
  override name: string = 'SessionKeeperError'
}

/**
 * The server could not be reached, or did not answer within `timeout`. Never a sign-out.
 *
 * @example
 * if (isNetworkError(keeper.getState().error)) showBanner('Offline: showing your last session')
 */
export class NetworkError extends SessionKeeperError {
  override name = 'NetworkError' as const
}

/**
 * The server answered with an unexpected status (5xx, or a 4xx other than 401, 403 aal2 and 429).
 *
 * @example
 * const { error } = keeper.getState()
 * if (isServerError(error)) console.warn(`Kratos answered ${error.status}`)
 */
export class ServerError extends SessionKeeperError {
  override name: string = 'ServerError'
  constructor(
    message: string,
    /** The HTTP status. */
    readonly status: number,
  ) {
    super(message)
  }
}

/**
 * HTTP 429. `retryAfter` is the server's `Retry-After` in ms, or `null` when it sent none.
 *
 * @example
 * if (isRateLimitedError(error)) console.warn(`retrying in ${error.retryAfter ?? 'a while'} ms`)
 */
export class RateLimitedError extends ServerError {
  override name = 'RateLimitedError' as const
  constructor(
    message: string,
    readonly retryAfter: number | null,
  ) {
    super(message, 429)
  }
}

/**
 * A body that is not what Kratos sends (not JSON, or a session without `id`, `expires_at`,
 * `authenticated_at`). Treated like an outage: the last session stays.
 *
 * @example
 * if (isInvalidResponseError(error)) reportToSentry(error)
 */
export class InvalidResponseError extends SessionKeeperError {
  override name = 'InvalidResponseError' as const
}

/**
 * A `returnTo` (or a URL from the server) that would send the user somewhere unsafe: once
 * resolved against the page, not http(s), unparseable, or on an origin that is neither the
 * page's nor allow-listed. The message names the reason and the allowed origins.
 *
 * @example
 * try { keeper.loginUrl({ returnTo: input }) } catch (error) { if (isUnsafeReturnToError(error)) ... }
 */
export class UnsafeReturnToError extends SessionKeeperError {
  override name = 'UnsafeReturnToError' as const
}

/**
 * A re-authentication for the same requirement was started less than 60 s ago and the user came
 * back without meeting it: redirecting again would loop, so the keeper stops and reports this.
 *
 * @example
 * keeper.reauthenticate({ maxAge: '5m' }).catch((error) => {
 *   if (isReauthLoopError(error)) showMessage('Sign-in did not complete. Try again?')
 * })
 */
export class ReauthLoopError extends SessionKeeperError {
  override name = 'ReauthLoopError' as const
}

/**
 * A popup re-authentication ended without a session meeting the requirement: the user closed
 * the window, or an action's re-authentication was cancelled.
 *
 * @example
 * keeper.reauthenticate({ maxAge: '5m', mode: 'popup' }).catch((error) => {
 *   if (isReauthCancelledError(error)) return // the user changed their mind
 * })
 */
export class ReauthCancelledError extends SessionKeeperError {
  override name = 'ReauthCancelledError' as const
}

/**
 * Kratos refused a step of an in-page re-authentication (`createReauthFlow`, `submit`): `id` is
 * Kratos's error id (`security_csrf_violation`, `session_aal1_required`, …) or `null` when the
 * body had none, `status` the HTTP status.
 *
 * @example
 * flow.submit(values).catch((error) => {
 *   if (isReauthFlowError(error) && error.id === 'security_csrf_violation') location.reload()
 * })
 */
export class ReauthFlowError extends ServerError {
  override name = 'ReauthFlowError' as const
  constructor(
    message: string,
    status: number,
    /** Kratos's error id, when its body had one. */
    readonly id: string | null,
  ) {
    super(message, status)
  }
}

// Plain functions, not factory results, so bundlers drop the ones an app does not import.
const named = (value: unknown, ...names: string[]) =>
  typeof value === 'object' && value !== null && names.includes((value as Error).name)

/** @example if (isSessionKeeperError(error)) console.warn(error.name) */
export function isSessionKeeperError(value: unknown): value is SessionKeeperError {
  return named(
    value,
    'SessionKeeperError',
    'NetworkError',
    'ServerError',
    'RateLimitedError',
    'InvalidResponseError',
    'UnsafeReturnToError',
    'ReauthLoopError',
    'ReauthCancelledError',
    'ReauthFlowError',
  )
}
/** @example if (isNetworkError(state.error)) showOfflineBanner() */
export function isNetworkError(value: unknown): value is NetworkError {
  return named(value, 'NetworkError')
}
/** True for {@link ServerError} and its subclasses {@link RateLimitedError} and {@link ReauthFlowError}. @example if (isServerError(e)) e.status */
export function isServerError(value: unknown): value is ServerError {
  return named(value, 'ServerError', 'RateLimitedError', 'ReauthFlowError')
}
/** @example if (isRateLimitedError(e)) e.retryAfter */
export function isRateLimitedError(value: unknown): value is RateLimitedError {
  return named(value, 'RateLimitedError')
}
/** @example if (isInvalidResponseError(e)) report(e) */
export function isInvalidResponseError(value: unknown): value is InvalidResponseError {
  return named(value, 'InvalidResponseError')
}
/** @example if (isUnsafeReturnToError(e)) showError('That link is not allowed') */
export function isUnsafeReturnToError(value: unknown): value is UnsafeReturnToError {
  return named(value, 'UnsafeReturnToError')
}
/** @example if (isReauthLoopError(e)) showError('Sign-in did not complete') */
export function isReauthLoopError(value: unknown): value is ReauthLoopError {
  return named(value, 'ReauthLoopError')
}
/** @example if (isReauthCancelledError(e)) return */
export function isReauthCancelledError(value: unknown): value is ReauthCancelledError {
  return named(value, 'ReauthCancelledError')
}
/** @example if (isReauthFlowError(e)) console.warn(e.id, e.status) */
export function isReauthFlowError(value: unknown): value is ReauthFlowError {
  return named(value, 'ReauthFlowError')
}
