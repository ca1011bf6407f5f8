// Public API of @session-keeper/core. Explicit named exports only: anything not listed here
// is private to the package and may change without notice.
export { checkReturnTo } from './checkReturnTo.js'
export { createSessionKeeper } from './createSessionKeeper.js'
export { lax, moderate, strict } from './freshnessPresets.js'
export { type FreshnessReason, freshnessReason } from './freshnessReason.js'
export type { CheckReason, InspectRecord } from './InspectRecord.js'
export { type FreshnessRequirement, isSessionFresh } from './isSessionFresh.js'
export { type Duration, parseDuration } from './parseDuration.js'
export { parseSession } from './parseSession.js'
export type {
  ReauthFlow,
  ReauthFlowResult,
  UiNode,
  UiNodeAttributes,
  UiText,
} from './ReauthFlow.js'
export { type ReauthErrorId, type ReauthRequired, reauthReason } from './reauthReason.js'
export type { AutoExtendOptions, KeeperClock, SessionKeeperOptions } from './resolveOptions.js'
export { type FreshActionOptions, runFreshAction } from './runFreshAction.js'
export type {
  LoginUrlOptions,
  ReauthenticateOptions,
  SessionKeeper,
  SessionKeeperEvent,
} from './SessionKeeper.js'
export {
  InvalidResponseError,
  isInvalidResponseError,
  isNetworkError,
  isRateLimitedError,
  isReauthCancelledError,
  isReauthFlowError,
  isReauthLoopError,
  isServerError,
  isSessionKeeperError,
  isUnsafeReturnToError,
  NetworkError,
  RateLimitedError,
  ReauthCancelledError,
  ReauthFlowError,
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
