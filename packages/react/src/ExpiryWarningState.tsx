'use client'
import type { SessionKeeper, SessionPhase, SessionState } from '@session-keeper/core'
import { isReauthCancelledError } from '@session-keeper/core'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useExpiryCountdown } from './useExpiryCountdown.js'
import { useSessionKeeper } from './useSessionKeeper.js'

/** What an {@link ExpiryWarning} render function receives. */
export interface ExpiryWarningState {
  /**
   * `'expiring'`: the session ends in `remaining`; `'ended'`: it ended while the warning was
   * up, or before a sleeping tab woke up (then `remaining` is 0 and `staySignedIn` signs in).
   */
  stage: 'expiring' | 'ended'
  /** Milliseconds left (server time), rounded up to the second; 0 once ended. */
  remaining: number
  phase: SessionPhase
  /**
   * Extends the session through the keeper's `extend` option; without one (or when the server
   * would not extend) signs in again: sets `reauth` for the in-page form, or opens the popup
   * or redirect (`reauth` prop). Never rejects: failures land in `error`.
   */
  staySignedIn(): Promise<void>
  /** Signs out through Kratos (every tab). Never rejects: a failure lands in `error`. */
  signOut(): Promise<void>
  /** Hides the warning until the next stage (it opens again if the session ends). */
  dismiss(): void
  /** True while `staySignedIn` or `signOut` is in flight. */
  busy: boolean
  error: Error | null
  /** `staySignedIn` needs a sign-in in the page: render `<ReauthForm maxAge={0} />` now. */
  reauth: boolean
}

/** How {@link ExpiryWarning} signs in again when the session cannot be extended. */
export type ExpiryWarningReauth = 'inline' | 'popup' | 'redirect'

interface Progress {
  busy: boolean
  error: Error | null
  reauth: boolean
}

const IDLE: Progress = { busy: false, error: null, reauth: false }

/**
 * Latches 'ended' when the phase reaches 'expired', until a session is back; else the phase's
 * stage. A listener, not a render: the confirming check drops the session at once, and React
 * may batch both changes into one render.
 */
function useStage(keeper: SessionKeeper, phase: SessionPhase): ExpiryWarningState['stage'] | null {
  const [ended, setEnded] = useState(() => keeper.getInitialState().phase === 'expired')
  useEffect(() => {
    const follow = (state: SessionState) => {
      if (state.phase === 'expired') setEnded(true)
      else if (state.status === 'authenticated') setEnded(false)
    }
    follow(keeper.getState())
    return keeper.subscribe(follow)
  }, [keeper])
  if (ended && phase !== 'active' && phase !== 'expiring') return 'ended'
  return phase === 'expiring' ? 'expiring' : null
}

/** Extends, or signs in again: the one "stay signed in" action. */
async function stay(
  keeper: SessionKeeper,
  stage: ExpiryWarningState['stage'],
  reauth: ExpiryWarningReauth,
): Promise<Progress> {
  let error: Error | null = null
  if (stage === 'expiring') {
    try {
      if (await keeper.extend()) return IDLE
    } catch (reason) {
      // A TypeError: the keeper has no `extend` option. Anything else is worth showing.
      if (!(reason instanceof TypeError)) error = reason as Error
    }
  }
  if (reauth === 'inline') return { busy: false, error, reauth: true }
  const authenticatedAt = keeper.getState().session?.authenticated_at
  try {
    // A login newer than this one: Kratos runs a refresh login, which extends the session too.
    await keeper.reauthenticate({ mode: reauth, authenticatedAfter: authenticatedAt ?? undefined })
    return IDLE
  } catch (reason) {
    return { ...IDLE, error: isReauthCancelledError(reason) ? null : (reason as Error) }
  }
}

/** What {@link useExpiryWarningState} returns: the state, and whether it is shown. */
export interface ExpiryWarningModel {
  state: ExpiryWarningState
  /** False once dismissed (the live region still speaks), and until the countdown is known. */
  open: boolean
  /** False until the countdown is known (server and hydration render): nothing to announce. */
  counted: boolean
}

/**
 * The state behind {@link ExpiryWarning}: its stage from the keeper's (tab-synced) state, the
 * countdown, and the actions with their progress. `null` while there is nothing to warn of.
 * Private to the package.
 */
export function useExpiryWarningState(reauth: ExpiryWarningReauth): ExpiryWarningModel | null {
  const keeper = useSessionKeeper()
  const { remaining, phase } = useExpiryCountdown()
  const stage = useStage(keeper, phase)
  const [progress, setProgress] = useState(IDLE)
  const [dismissed, setDismissed] = useState(false)
  const [last, setLast] = useState(stage)
  // Each stage starts afresh: no old error, form or dismissal.
  if (last !== stage) {
    setLast(stage)
    setProgress(IDLE)
    setDismissed(false)
  }
  const busy = useRef(false)
  const run = useCallback(async (action: () => Promise<Progress>) => {
    if (busy.current) return
    busy.current = true
    setProgress({ ...IDLE, busy: true })
    try {
      setProgress(await action())
    } finally {
      busy.current = false
    }
  }, [])
  const staySignedIn = useCallback(
    () => run(() => stay(keeper, stage ?? 'expiring', reauth)),
    [run, keeper, stage, reauth],
  )
  const signOut = useCallback(
    () =>
      run(() =>
        keeper.logout().then(
          () => IDLE,
          (error: Error) => ({ ...IDLE, error }),
        ),
      ),
    [run, keeper],
  )
  const dismiss = useCallback(() => setDismissed(true), [])
  if (!stage) return null
  const left = stage === 'ended' ? 0 : (remaining ?? 0)
  const state = { stage, remaining: left, phase, staySignedIn, signOut, dismiss, ...progress }
  const counted = remaining !== null || stage === 'ended'
  return { state, open: counted && !dismissed, counted }
}
