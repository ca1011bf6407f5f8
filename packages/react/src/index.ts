'use client'
// Public API of @session-keeper/react: thin bindings over the core, which it re-exports so apps
// install one package. Explicit named exports; anything not listed here is private.
//
// The core is re-exported by name, not with `export *`: a bundler that keeps the core external
// (esbuild, size-limit) cannot tree-shake `export *` from an external module and would pull in
// every binding. `__tests__/index.test.ts` fails when a core export is missing here.
export {
  type AuthenticationMethod,
  type AuthenticatorAssuranceLevel,
  type AutoExtendOptions,
  type CheckReason,
  checkReturnTo,
  createSessionKeeper,
  type Duration,
  type FreshActionOptions,
  type FreshnessReason,
  type FreshnessRequirement,
  freshnessReason,
  type InspectRecord,
  InvalidResponseError,
  isInvalidResponseError,
  isNetworkError,
  isRateLimitedError,
  isReauthCancelledError,
  isReauthFlowError,
  isReauthLoopError,
  isServerError,
  isSessionFresh,
  isSessionKeeperError,
  isUnsafeReturnToError,
  type KeeperClock,
  type LoginUrlOptions,
  lax,
  moderate,
  NetworkError,
  parseDuration,
  parseSession,
  RateLimitedError,
  ReauthCancelledError,
  type ReauthErrorId,
  type ReauthenticateOptions,
  type ReauthFlow,
  ReauthFlowError,
  type ReauthFlowResult,
  ReauthLoopError,
  type ReauthRequired,
  reauthReason,
  runFreshAction,
  ServerError,
  type Session,
  type SessionKeeper,
  SessionKeeperError,
  type SessionKeeperEvent,
  type SessionKeeperOptions,
  type SessionPhase,
  type SessionState,
  type SessionStatus,
  strict,
  type UiNode,
  type UiNodeAttributes,
  type UiText,
  type UnknownEnumValue,
  UnsafeReturnToError,
} from '@session-keeper/core'
export {
  ExpiryWarning,
  type ExpiryWarningMessages,
  type ExpiryWarningProps,
  type ExpiryWarningReauth,
  type ExpiryWarningState,
  expiryWarningMessages,
} from './ExpiryWarning.js'
export {
  ReauthForm,
  type ReauthFormMessages,
  type ReauthFormProps,
  reauthFormMessages,
} from './ReauthForm.js'
export {
  type FreshAuthFallbackProps,
  RequireFreshAuth,
  type RequireFreshAuthMessages,
  type RequireFreshAuthProps,
  requireFreshAuthMessages,
} from './RequireFreshAuth.js'
export { SessionKeeperProvider, type SessionKeeperProviderProps } from './SessionKeeperProvider.js'
export { type ExpiryCountdown, useExpiryCountdown } from './useExpiryCountdown.js'
export { useFreshAction } from './useFreshAction.js'
export { type FreshAuth, type FreshAuthOptions, useFreshAuth } from './useFreshAuth.js'
export { type ReauthFlowOptions, type ReauthFlowState, useReauthFlow } from './useReauthFlow.js'
export { useSession } from './useSession.js'
export { useSessionKeeper } from './useSessionKeeper.js'
