// Public API of @session-keeper/core. Explicit named exports only: anything not listed here
// is private to the package and may change without notice.
export { checkReturnTo } from './checkReturnTo.js'
export {
  createSessionKeeper,
  type LoginUrlOptions,
  type ReauthenticateOptions,
  type SessionKeeper,
  type SessionKeeperEvent,
} from './createSessionKeeper.js'
export { lax, moderate, strict } from './freshnessPresets.js'
export { type FreshnessReason, freshnessReason } from './freshnessReason.js'
export { type FreshnessRequirement, isSessionFresh } from './isSessionFresh.js'
export { type Duration, parseDuration } from './parseDuration.js'
export { parseSession } from './parseSession.js'
export { type ReauthErrorId, type ReauthRequired, reauthReason } from './reauthReason.js'
export type { AutoExtendOptions, KeeperClock, SessionKeeperOptions } from './resolveOptions.js'
export { type FreshActionOptions, runFreshAction } from './runFreshAction.js'
export {
  InvalidResponseError,
  isInvalidResponseError,
  isNetworkError,
  isRateLimitedError,
  isReauthCancelledError,
  isReauthLoopError,
  isServerError,
  isSessionKeeperError,
  isUnsafeReturnToError,
  NetworkError,
  RateLimitedError,
  ReauthCancelledError,
  ReauthLoopError,
  ServerError,
  SessionKeeperError,
  UnsafeReturnToError,
} from './SessionKeeperError.js'
export type {
  AuthenticationMethod,
  AuthenticatorAssuranceLevel,
  Session,
  SessionPhase,
  SessionState,
  SessionStatus,
  UnknownEnumValue,
} from './types.js'
