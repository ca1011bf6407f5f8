import type { Duration } from '../parseDuration.js'
import type { ClaimStore } from './ClaimStore.js'

/**
 * Options of {@link createExtendHandler}.
 *
 * @example
 * const options: ExtendHandlerOptions = {
 *   baseUrl: 'https://auth.example.com',
 *   adminUrl: 'http://kratos:4434',
 *   earliestPossibleExtend: '1h',
 *   minInterval: '5m',
 * }
 */
export interface ExtendHandlerOptions {
  /** Kratos's public URL, for whoami: the session (and its id) always comes from Kratos. */
  baseUrl: string
  /** The Kratos admin API URL; never reachable from browsers. */
  adminUrl: string
  /** The Ory API key (`Authorization: Bearer`); leave out for a self-hosted admin port. Never in any answer. */
  apiKey?: string
  /**
   * Kratos's `session.earliest_possible_extend`, as ms or an Ory duration (`'1h'`). When set,
   * a session with more time left than this is answered `outside_window` without calling the
   * admin API. Left out, every request goes to Kratos, which no-ops outside its window (detected
   * afterwards because `expires_at` does not move).
   */
  earliestPossibleExtend?: Duration
  /**
   * At most one extension per session per `minInterval`; a sooner request gets 200
   * `too_soon` (with `retry_after` in seconds), and one that comes while an extension of the
   * same session is in flight in this process waits for it and gets its answer. Kept in
   * `claimStore`; Kratos's window still bounds what the extensions can do. `0` turns the limit off.
   * @default '5m'
   */
  minInterval?: Duration
  /**
   * Where the `minInterval` claims live. The default, `createMemoryClaimStore()`, is per
   * process: with N instances a session can be extended up to N times per interval. Pass
   * `createRedisClaimStore({ client })` from `@session-keeper/core/server/redis` to share them
   * between every instance (one extension per interval whatever N).
   * @default createMemoryClaimStore()
   */
  claimStore?: ClaimStore
  /**
   * How long to wait for `claimStore` on each request (only for a store passed in): ms or an Ory
   * duration. Past it, or when the store fails, the handler answers from per-process memory.
   * @default 1_000
   */
  claimTimeout?: Duration
  /**
   * Told when `claimStore` fails or times out: a `NetworkError` whose `cause` is the store's
   * error, once per outage (the first failure after a success), not once per request.
   * @default (error) => console.warn(error.message)
   */
  onError?: (error: Error) => void
  /**
   * Origins besides the request URL's own that may call the handler, checked only when the
   * browser sends no `Sec-Fetch-Site` (e.g. behind a proxy that rewrites the URL's host).
   * @default []
   */
  allowedOrigins?: string[]
  /** The `fetch` for Kratos. @default globalThis.fetch */
  fetch?: typeof fetch
  /** The local clock in epoch ms, for `minInterval` and when Kratos sends no `Date`. @default Date.now */
  now?: () => number
  /** How long to wait for each Kratos request: ms or an Ory duration. @default 10_000 */
  timeout?: Duration
}
