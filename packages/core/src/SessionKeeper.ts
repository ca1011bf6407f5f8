import type { InspectRecord } from './InspectRecord.js'
import type { FreshnessRequirement } from './isSessionFresh.js'
import type { Duration } from './parseDuration.js'
import type { ReauthFlow } from './ReauthFlow.js'
import type { SessionState } from './types.js'

/**
 * Events of {@link SessionKeeper.on}; each fires once per real transition.
 *
 * @example
 * keeper.on('expiring', () => showBanner('Your session ends soon'))
 */
export type SessionKeeperEvent =
  | 'signed-in'
  | 'signed-out'
  | 'changed'
  | 'expiring'
  | 'expired'
  | 'aal2-required'
  | 'error'

/**
 * Options of {@link SessionKeeper.loginUrl}.
 *
 * @example
 * keeper.loginUrl({ aal: 'aal2', returnTo: 'https://app.example.com/billing' })
 */
export interface LoginUrlOptions {
  /** Ask Kratos for a fresh login although a session exists. @default true */
  refresh?: boolean
  /** `'aal2'` asks for the second factor. @default 'aal2' after whoami said session_aal2_required, else none */
  aal?: 'aal1' | 'aal2'
  /** Where Kratos sends the user back; same origin or `returnToAllowList` only. @default location.href */
  returnTo?: string
}

/**
 * Options of {@link SessionKeeper.reauthenticate}: the requirement to meet, and how.
 *
 * @example
 * await keeper.reauthenticate({ maxAge: '5m', mode: 'popup' })
 */
export interface ReauthenticateOptions extends FreshnessRequirement {
  returnTo?: string
  /**
   * `'popup'` opens the login in a window and keeps this page as it is (an unsaved form
   * survives); it resolves when a session meeting the requirement arrives and rejects with
   * `ReauthCancelledError` when the window closes first. A blocked popup falls back to a redirect.
   * @default 'redirect'
   */
  mode?: 'redirect' | 'popup'
}

/**
 * The keeper: a read-only store of {@link SessionState} plus the verbs that act on the session.
 *
 * @example
 * const keeper: SessionKeeper = createSessionKeeper({ baseUrl: 'https://auth.example.com' })
 * keeper.subscribe((state) => render(state.session))
 */
export interface SessionKeeper {
  /** Starts polling and listening to the page. Idempotent; returns `stop`. Nothing runs before it. */
  start(): () => void
  /** Stops timers and listeners. In-flight answers still apply. */
  stop(): void
  getState(): SessionState
  /** The state at creation: what server rendering and hydration use. */
  getInitialState(): SessionState
  /** Calls `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: (state: SessionState, previous: SessionState) => void): () => void
  /** Asks whoami now. Concurrent calls share one request; `force` never reuses an older one. Never rejects. */
  check(options?: { force?: boolean }): Promise<SessionState>
  /** Whether the session meets `requirement`, against skew-corrected time. Pure. */
  isFresh(requirement?: FreshnessRequirement): boolean
  /**
   * Calls `listener` when `isFresh(requirement)` flips: on state changes, and by itself when
   * `maxAge` passes (a deadline on the keeper's timer, so a gate re-locks on screen). Returns
   * the unsubscribe function. Needs `start()` for the time-based flip.
   */
  subscribeFreshness(requirement: FreshnessRequirement, listener: (fresh: boolean) => void): () => void
  /**
   * Calls `listener` every `every` while the page is visible and there is a session, on the
   * keeper's one timer (a hidden tab gets no wake-ups). For countdowns; read `timeLeft()`.
   */
  subscribeCountdown(every: Duration, listener: () => void): () => void
  /** Milliseconds until `expires_at` against server time, 0 once past; `null` without a session. */
  timeLeft(): number | null
  /** The Kratos login URL for a fresh or stronger login. Throws `UnsafeReturnToError` for an unsafe `returnTo`. */
  loginUrl(options?: LoginUrlOptions): string
  /** Sends the user through Kratos's login unless `requirement` is already met. Rejects with `ReauthLoopError` on a loop. */
  reauthenticate(options?: ReauthenticateOptions): Promise<void>
  /**
   * Starts a re-authentication in the page over Kratos's login flow for the requirement (`mode`
   * is ignored): the browser flow as JSON in cookie mode, the API flow in token mode. Render its
   * `nodes`, then `submit` the values. Rejects with `ReauthFlowError`, `NetworkError` or
   * `InvalidResponseError` when Kratos cannot make the flow, and in token mode with
   * `ReauthFlowError` (401) when the token has no session left: a sign-in would make a new
   * token, so sign in and create a keeper with it.
   */
  createReauthFlow(options?: ReauthenticateOptions): Promise<ReauthFlow>
  /**
   * Extends the session through the `extend` option, then checks, so every tab gets the new
   * `expires_at`. Resolves whether `expires_at` moved later; with `autoExtend`, resolves `false`
   * without a request outside the extension window. Rejects with `NetworkError` or `ServerError`
   * when the extension fails, and with a `TypeError` without the `extend` option.
   */
  extend(): Promise<boolean>
  /** Signs out through Kratos; then navigates to `returnTo` if given. Rejects (state unchanged) when Kratos cannot be reached. */
  logout(options?: { returnTo?: string }): Promise<void>
  /** Listens to one event; returns the unsubscribe function. */
  on(event: SessionKeeperEvent, listener: (state: SessionState) => void): () => void
  /**
   * Calls `listener` with every {@link InspectRecord} from now on: checks (why, answer,
   * duration), other tabs' messages and answers (applied or dropped), malformed messages, the
   * timer's deadlines, extend and re-auth attempts, in-page re-auth flows (created, submitted:
   * the flow id and result status only), errors. The stream `debug` writes; costs
   * nothing while nobody listens. Returns the unsubscribe function. For tools such as
   * `@session-keeper/devtools`.
   */
  inspect(listener: (record: InspectRecord) => void): () => void
}
