import { NetworkError } from '../SessionKeeperError.js'
import type { ClaimResult, ClaimStore } from './ClaimStore.js'
import { createMemoryClaimStore } from './createMemoryClaimStore.js'

/**
 * How {@link createFailSafeClaimStore} bounds and reports a shared store.
 *
 * @example
 * const options: FailSafeOptions = { timeout: 500, onError: console.warn, now: Date.now }
 */
export interface FailSafeOptions {
  /** How long to wait for each call of the shared store, in ms. */
  timeout: number
  /** Told once per outage (the first failure after a success), never once per request. */
  onError: (error: Error) => void
  /** The clock of the fallback memory, in epoch ms. */
  now: () => number
}

const isClaimResult = (value: unknown): value is ClaimResult =>
  typeof value === 'object' &&
  value !== null &&
  ((value as ClaimResult).claimed === true ||
    ((value as ClaimResult).claimed === false &&
      Number.isFinite((value as { retryAfter?: unknown }).retryAfter)))

/**
 * Wraps a shared {@link ClaimStore} (Redis) so that the extend handler always gets an answer:
 * each call is bounded by `timeout` (and its signal aborted then), and a call that fails or times
 * out is answered from this process's memory instead. Every answer of the shared store is also
 * written to that memory, so a process that saw a claim still honours it while the store is down:
 * an outage costs at most one extra extension per session per process, never a storm. Reports
 * reach `onError` as a {@link NetworkError} (cause: the store's error) once per outage. Private
 * to the package.
 *
 * @example
 * const claims = createFailSafeClaimStore(redisStore, { timeout: 500, onError, now })
 * const result = await claims.claim(session.id, 300_000) // never rejects
 */
export function createFailSafeClaimStore(store: ClaimStore, options: FailSafeOptions): ClaimStore {
  const { timeout, onError, now } = options
  const memory = createMemoryClaimStore({ now })
  let failing = false

  const report = (action: string, cause: unknown) => {
    if (failing) return
    failing = true
    const why = cause instanceof Error ? cause.message : String(cause)
    const error = new NetworkError(
      `[@session-keeper/core/server] the claim store failed to ${action} (${why}): minInterval is kept in this instance's memory until it answers again`,
      { cause },
    )
    try {
      onError(error)
    } catch {
      // A throwing callback must not turn the user's request into a 500.
    }
  }

  /** `call` with a signal that aborts after `timeout`; rejects then even if `call` ignores it. */
  const bounded = <T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    // AbortSignal.timeout, not a timer of our own: it exists in every runtime the entry targets
    // and never keeps a Node process alive.
    const signal = AbortSignal.timeout(timeout)
    const expired = new Promise<never>((_, reject) => {
      const fail = () => reject(new Error(`no answer within ${timeout} ms`))
      // One more turn of the event loop before giving up: in a process starved of CPU the timer
      // and the store's reply become due together, and timers run before I/O. A reply that had
      // already arrived wins, rather than a needless fallback (and extra extension).
      const onAbort = () => AbortSignal.timeout(0).addEventListener('abort', fail, { once: true })
      signal.addEventListener('abort', onAbort, { once: true })
    })
    const work = Promise.resolve().then(() => call(signal))
    // Either may settle after the other won the race: neither may become an unhandled rejection.
    work.catch(() => {})
    expired.catch(() => {})
    return Promise.race([work, expired])
  }

  return {
    async claim(sessionId, ttl) {
      let result: ClaimResult
      try {
        result = await bounded((signal) => store.claim(sessionId, ttl, signal))
        if (!isClaimResult(result))
          throw new TypeError(`answered ${JSON.stringify(result)}, not a ClaimResult`)
      } catch (error) {
        report('claim', error)
        return memory.claim(sessionId, ttl)
      }
      failing = false
      await memory.release(sessionId)
      await memory.claim(sessionId, result.claimed ? ttl : Math.max(1, Math.ceil(result.retryAfter)))
      return result
    },
    async release(sessionId) {
      await memory.release(sessionId)
      try {
        await bounded((signal) => store.release(sessionId, signal))
      } catch (error) {
        report('release', error)
      }
    },
  }
}
