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
export type { ClaimResult, ClaimStore } from './ClaimStore.js'
export { createExtendHandler } from './createExtendHandler.js'
export { createMemoryClaimStore, type MemoryClaimStoreOptions } from './createMemoryClaimStore.js'
export type { ExtendHandlerOptions } from './ExtendHandlerOptions.js'
export type { ExtendResponseBody, NotExtendedReason } from './ExtendResponseBody.js'
export { type ExtendSessionOptions, extendSession } from './extendSession.js'
export { getSessionFromHeaders, type HeadersLike } from './getSessionFromHeaders.js'
export { type GetSessionFromRequestOptions, getSessionFromRequest } from './getSessionFromRequest.js'
