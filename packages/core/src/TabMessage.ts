import { parseSession } from './parseSession.js'
import { reviveError, type SentError } from './reviveError.js'
import type { SessionKeeperError } from './SessionKeeperError.js'
import type { Session, SessionState, SessionStatus } from './types.js'

// The protocol between tabs, apart from the channel that carries it (connectTabs): the
// messages, their validation, and the state message in both directions.

/**
 * The messages between tabs, version 1. `state` carries a server answer (never a token);
 * `hint` says "something changed, ask the server" where a session must not travel; `ask` wants
 * the leader's state no older than `maxAge`; `visible` and `roll-call` let the leader know
 * whether any tab is on screen; `active` tells the leader the user is active here (auto-extend).
 */
export type TabMessage = { v: 1; from: string } & TabMessageBody

export type TabMessageBody =
  | {
      type: 'state'
      at: number
      status: SessionStatus
      session: unknown
      aal2RedirectTo: string | null
      /** The sender's server clock correction: tabs of one device share the local clock. */
      clockSkew: number
      /** Added within version 1: older tabs leave it out, and it then reads as `false`. */
      secondFactorUnavailable?: boolean
      /**
       * Added within version 1: the sender's last check failed, so what it holds is stale. Only
       * with it, a `'loading'` state is a tab that never had an answer; without it, one that is
       * asking the server now and will send the answer (so a tab that asked waits for it).
       */
      failure?: SentError
    }
  | { type: 'hint'; at: number }
  | { type: 'ask'; maxAge: number }
  | { type: 'visible'; visible: boolean }
  | { type: 'roll-call' }
  | { type: 'active' }

/** A state another tab got from the server, validated. */
export interface RemoteState {
  at: number
  clockSkew: number
  status: SessionStatus
  session: Session | null
  aal2RedirectTo: string | null
  /** The answer proved the identity has no second factor (see `SessionState`). */
  secondFactorUnavailable?: boolean
  /** The sender's last check failed with this: its state (and any no newer) is stale. */
  error?: SessionKeeperError
}

const STATUSES = ['loading', 'authenticated', 'unauthenticated', 'aal2-required']

/**
 * Validates a message; anything else is ignored (and counted), never thrown.
 *
 * @example
 * readTabMessage({ v: 1, from: 'k3j2', type: 'ask', maxAge: 60_000 }) // the message
 * readTabMessage({ v: 2, from: 'k3j2', type: 'ask' }) // null
 */
export function readTabMessage(data: unknown): TabMessage | null {
  const m = data as TabMessage
  if (m?.v !== 1 || typeof m.from !== 'string') return null
  switch (m.type) {
    case 'state':
      return Number.isFinite(m.at) &&
        Number.isFinite(m.clockSkew) &&
        STATUSES.includes(m.status) &&
        (m.aal2RedirectTo === null || typeof m.aal2RedirectTo === 'string') &&
        (m.secondFactorUnavailable === undefined || typeof m.secondFactorUnavailable === 'boolean')
        ? m
        : null
    case 'hint':
      return typeof m.at === 'number' ? m : null
    case 'ask':
      return typeof m.maxAge === 'number' ? m : null
    case 'visible':
      return typeof m.visible === 'boolean' ? m : null
    case 'roll-call':
    case 'active':
      return m
  }
  return null
}

/** The state a `state` message carries, its session revived and validated; `null` when malformed. */
export function remoteState(message: Extract<TabMessageBody, { type: 'state' }>): RemoteState | null {
  let session: Session | null = null
  try {
    if (message.session) session = parseSession(message.session)
  } catch {
    return null
  }
  const { at, status, aal2RedirectTo, clockSkew, secondFactorUnavailable = false, failure } = message
  // A failure this version cannot revive is left out.
  const error = failure ? reviveError(failure) : null
  if (status === 'authenticated' ? !session : status === 'loading' && session) return null
  return { at, status, session, aal2RedirectTo, clockSkew, secondFactorUnavailable, ...(error && { error }) }
}

/**
 * The `state` message for this tab's state: the session as JSON (Dates become strings; every
 * tab revives and validates what it receives) and a failed check's error, so that every tab
 * learns it is stale too. A `loading` state without a failure says an answer is on its way.
 */
export function stateMessage(state: SessionState): Extract<TabMessageBody, { type: 'state' }> {
  const { lastCheckedAt, status, session, aal2RedirectTo, clockSkew, secondFactorUnavailable } = state
  // An error's class and own fields do not survive postMessage: they go as data.
  const { name, message, status: code, retryAfter } = (state.error ?? {}) as SentError
  const failure = state.stale && state.error ? { name, message, status: code, retryAfter } : undefined
  return {
    type: 'state',
    at: lastCheckedAt ?? 0,
    status,
    session: session && JSON.parse(JSON.stringify(session)),
    aal2RedirectTo,
    clockSkew,
    secondFactorUnavailable,
    failure,
  }
}
