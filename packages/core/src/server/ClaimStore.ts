// The contract between the extend handler and whatever remembers which sessions were extended
// recently. Types only: the memory store and the Redis store (its own entry point) implement it.

/**
 * What {@link ClaimStore.claim} answers: the claim is this caller's, or someone holds it for
 * `retryAfter` more ms.
 *
 * @example
 * const result: ClaimResult = await store.claim(session.id, 300_000)
 * if (!result.claimed) console.info(`extended elsewhere; again in ${result.retryAfter} ms`)
 */
export type ClaimResult = { claimed: true } | { claimed: false; retryAfter: number }

/**
 * Where the extend handler keeps its `minInterval` claims: "session X may be extended by me
 * for the next `ttl` ms". The handler's default is {@link createMemoryClaimStore} (one process);
 * `createRedisClaimStore` from `@session-keeper/core/server/redis` shares claims between every
 * instance of an app. A store sees session ids only, never a session token, cookie or API key.
 *
 * A claim must be atomic (two callers at once: one wins) and expire by itself after `ttl` ms.
 * `signal` aborts when the handler stops waiting (its `claimTimeout`); a store should drop the
 * work then. A store that throws or does not answer in time makes the handler fall back to
 * per-process memory and report the error to its `onError`.
 *
 * @example
 * // A store over any shared "set if absent, with expiry" (here an imaginary `kv`):
 * const store: ClaimStore = {
 *   async claim(sessionId, ttl) {
 *     const won = await kv.setIfAbsent(`extend:${sessionId}`, '1', { ttlMs: ttl })
 *     return won ? { claimed: true } : { claimed: false, retryAfter: await kv.ttlMs(`extend:${sessionId}`) }
 *   },
 *   async release(sessionId) {
 *     await kv.delete(`extend:${sessionId}`)
 *   },
 * }
 */
export interface ClaimStore {
  /** Claims `sessionId` for `ttl` ms (a whole number), unless a claim on it is still running. */
  claim(sessionId: string, ttl: number, signal?: AbortSignal): Promise<ClaimResult>
  /** Gives this caller's claim on `sessionId` back (after a failed extension); others' claims stay. */
  release(sessionId: string, signal?: AbortSignal): Promise<void>
}
