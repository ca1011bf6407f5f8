import type { ReauthFlowResult } from './ReauthFlow.js'
import type { SessionKeeperError } from './SessionKeeperError.js'
import type { SessionState, SessionStatus } from './types.js'

/**
 * Why a check asked the server: `'poll'` (the leader's cadence, or a backoff retry), `'start'`,
 * `'wake'` (focus, visibility, `online`), `'expiry'` (confirming a local expiry), `'tabs'` (this
 * tab became the leader, a follower asked, or nobody answered), `'hint'` (another tab saw a
 * change that could not travel), `'extend'`, `'reauth'`, or `'app'` (`keeper.check()`).
 *
 * @example
 * keeper.inspect((record) => record.type === 'check' && record.why === 'wake' && countWakeChecks())
 */
export type CheckReason = 'poll' | 'start' | 'wake' | 'expiry' | 'tabs' | 'hint' | 'extend' | 'reauth' | 'app'

/**
 * One record of the keeper's inspection stream ({@link SessionKeeper.inspect}), the stream
 * `debug: true` writes to the console. `at` is the keeper's local time (ms). Records never hold
 * a token, a cookie or a submitted value; `state` holds the session as whoami returned it.
 *
 * @example
 * keeper.inspect((record) => {
 *   if (record.type === 'check' && record.error) console.warn(record.error.name, record.ms)
 * })
 */
export type InspectRecord = { at: number } & (
  | /**
   * A whoami request answered: a `status`, or an `error`
   * (its class tells which failure); `dropped` when a newer answer was already applied.
   */ {
      type: 'check'
      why: CheckReason
      status: SessionStatus | undefined
      error: SessionKeeperError | undefined
      /** How long the request took. */
      ms: number
      dropped: boolean
    }
  | /** The state changed (role changes included: `isLeader`). */ {
      type: 'state'
      state: SessionState
      previous: SessionState
    }
  | /** A valid message from another tab (`from` is its id; `visible` for visibility messages). */ {
      type: 'message'
      from: string
      kind: 'state' | 'hint' | 'ask' | 'visible' | 'roll-call' | 'active'
      visible: boolean | undefined
    }
  | /**
   * Another tab's server answer: `applied`, or dropped as no newer than this tab's; `error` when
   * that tab's last check failed (this tab is then stale too, unless it holds a newer answer).
   */ {
      type: 'heard'
      answeredAt: number
      applied: boolean
      error: SessionKeeperError | undefined
    }
  | /** A message ignored as malformed; `count` since the tab joined. */ { type: 'malformed'; count: number }
  | /** The one timer was set: it fires in `in` ms; `deadlines` are every watcher's, local time. */ {
      type: 'timer'
      in: number
      deadlines: Array<{ name: string; at: number }>
    }
  | /** `extend()` (`result`: whether `expires_at` moved) or `reauthenticate()` settled; `error` if it failed. */ {
      type: 'extend' | 'reauth'
      result?: unknown
      error?: unknown
    }
  | /**
   * In-page re-authentication: `keeper.createReauthFlow()` (`step: 'create'`) or a flow's
   * `submit()` (`step: 'submit'`) settled. `flow` is the id made or submitted (none when creating
   * failed), `status` the submit's outcome; `error` if it failed (`ReauthFlowError`,
   * `NetworkError`, …). Never the flow's nodes (they hold the CSRF token) nor the values submitted.
   */ {
      type: 'reauth-flow'
      step: 'create' | 'submit'
      flow?: string
      status?: ReauthFlowResult['status']
      error?: unknown
    }
  | /** A refused step-up URL, or a failure of the channel between tabs. */ {
      type: 'error'
      error: unknown
    }
  | /** `start()` without a window: nothing started. */ { type: 'no-window' }
)

/** Writes one record: the keeper's parts call it; with nobody listening it returns at once. */
export type Log = <T extends InspectRecord['type']>(
  type: T,
  data?: Omit<Extract<InspectRecord, { type: T }>, 'type' | 'at'>,
) => void
