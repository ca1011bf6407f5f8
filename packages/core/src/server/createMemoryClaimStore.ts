import type { ClaimStore } from './ClaimStore.js'
import { validate } from './validate.js'

/**
 * Options of {@link createMemoryClaimStore}.
 *
 * @example
 * const options: MemoryClaimStoreOptions = { now: () => Date.now() }
 */
export interface MemoryClaimStoreOptions {
  /** The clock in epoch ms. @default Date.now */
  now?: () => number
}

/**
 * A {@link ClaimStore} in this process's memory: the extend handler's default, and its fallback
 * while a shared store fails. Each process (each serverless instance) has its own, so with N
 * instances a session can be extended up to N times per `minInterval`.
 *
 * Claims are kept in the order they were made (re-inserted on renewal), so pruning looks only
 * at the oldest ones and stops at the first still running: the map holds little more than the
 * sessions claimed within the last `ttl`.
 *
 * @example
 * import { createExtendHandler, createMemoryClaimStore } from '@session-keeper/core/server'
 *
 * const claimStore = createMemoryClaimStore()
 * export const POST = createExtendHandler({ baseUrl, adminUrl, claimStore })
 */
/* @__NO_SIDE_EFFECTS__ */
export function createMemoryClaimStore(options: MemoryClaimStoreOptions = {}): ClaimStore & {
  /** How many claims are remembered (running ones, and expired ones not pruned yet). */
  readonly size: number
} {
  const now = validate.func('createMemoryClaimStore', 'now', options.now, () => Date.now())
  const until = new Map<string, number>()
  const prune = (at: number) => {
    for (const [id, end] of until) {
      if (end > at) break
      until.delete(id)
    }
  }
  return {
    async claim(sessionId, ttl) {
      const at = now()
      prune(at)
      const end = until.get(sessionId)
      if (end !== undefined && end > at) return { claimed: false, retryAfter: end - at }
      until.delete(sessionId)
      until.set(sessionId, at + ttl)
      return { claimed: true }
    },
    async release(sessionId) {
      until.delete(sessionId)
    },
    get size() {
      return until.size
    },
  }
}
