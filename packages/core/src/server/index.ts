// Public API of @session-keeper/core/server: the server half of extending sessions. Explicit
// named exports only; anything not listed is private. Nothing here imports the keeper, zustand,
// ky or broadcast-channel, or touches a DOM global, so it runs in Node and edge runtimes.

// Re-exported so a server needs no import of the browser entry (which loads the keeper).
export { type Duration, parseDuration } from '../parseDuration.js'
export {
  InvalidResponseError,
  isInvalidResponseError,
  isNetworkError,
  isServerError,
  isSessionKeeperError,
  NetworkError,
  ServerError,
  SessionKeeperError,
} from '../SessionKeeperError.js'
export type { Session } from '../types.js'
export {
  createExtendHandler,
  type ExtendHandlerOptions,
  type ExtendResponseBody,
  type NotExtendedReason,
} from './createExtendHandler.js'
export { type ExtendSessionOptions, extendSession } from './extendSession.js'
export { type GetSessionFromRequestOptions, getSessionFromRequest } from './getSessionFromRequest.js'
