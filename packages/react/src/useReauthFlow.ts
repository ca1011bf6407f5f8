'use client'
import type {
  ReauthenticateOptions,
  ReauthFlow,
  SessionKeeperError,
  SessionState,
} from '@session-keeper/core'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useSessionKeeper } from './useSessionKeeper.js'

/** What {@link useReauthFlow} returns. */
export interface ReauthFlowState {
  /**
   * `'loading'` while Kratos makes the flow; `'ready'` to fill in (again, after a wrong
   * password: the flow then carries Kratos's messages); `'submitting'`; `'done'` once the
   * requirement is met; `'redirect'` when the method needs the browser (`redirectTo`);
   * `'error'` when Kratos refused (`error`).
   */
  status: 'loading' | 'ready' | 'submitting' | 'done' | 'redirect' | 'error'
  /** The current step: the first factor, or the second after `next`. */
  flow: ReauthFlow | null
  error: SessionKeeperError | Error | null
  /** The login to open (popup or redirect) when `status` is `'redirect'`. */
  redirectTo: string | null
  /** Submits `values` (with `method`) to the current step; a no-op unless `'ready'`. */
  submit(values: Record<string, string>): Promise<void>
  /** Starts over with a new flow (after an error, or to try again). */
  restart(): void
}

interface Progress {
  status: ReauthFlowState['status']
  flow: ReauthFlow | null
  error: Error | null
  redirectTo: string | null
}

/** The requirement of {@link useReauthFlow}, and what to do once it is met. */
export interface ReauthFlowOptions extends Omit<ReauthenticateOptions, 'mode' | 'authenticatedAfter'> {
  /**
   * Called once the requirement is met, with the keeper's state (already holding the fresh
   * session). Called from the submit itself, so it runs even when the form has gone meanwhile
   * (a gate that opened on the new session unmounts it).
   */
  onDone?: (state: SessionState) => void
}

const LOADING: Progress = { status: 'loading', flow: null, error: null, redirectTo: null }

/**
 * An in-page re-authentication for `requirement` over Kratos's own login flow
 * (`keeper.createReauthFlow`), as React state: the flow is made on mount and again on
 * `restart()`, each `submit` moves to the next step. Values are handed to the core and kept
 * nowhere else. When done, the keeper's state already holds the fresh session (in every tab).
 *
 * @example
 * const { status, flow, submit } = useReauthFlow({ maxAge: '5m', onDone: () => toast('Thanks') })
 * if (status === 'ready') return <PasswordForm nodes={flow.nodes} onSubmit={(password) => submit({ method: 'password', password })} />
 */
export function useReauthFlow({ maxAge, aal, returnTo, onDone }: ReauthFlowOptions = {}): ReauthFlowState {
  const keeper = useSessionKeeper()
  const done = useRef(onDone)
  done.current = onDone
  const [progress, setProgress] = useState(LOADING)
  const [round, setRound] = useState(0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the restart signal
  useEffect(() => {
    let current = true // StrictMode mounts twice: only the last flow counts
    setProgress(LOADING)
    keeper.createReauthFlow({ maxAge, aal, returnTo }).then(
      (flow) => current && setProgress({ ...LOADING, status: 'ready', flow }),
      (error: Error) => current && setProgress({ ...LOADING, status: 'error', error }),
    )
    return () => {
      current = false
    }
  }, [keeper, maxAge, aal, returnTo, round])

  const { flow, status } = progress
  const submit = useCallback(
    async (values: Record<string, string>) => {
      if (!flow || status !== 'ready') return
      setProgress((last) => ({ ...last, status: 'submitting', error: null }))
      try {
        const result = await flow.submit(values)
        if (result.status === 'done') {
          setProgress({ ...LOADING, status: 'done' })
          done.current?.(result.state)
        } else if (result.status === 'redirect')
          setProgress({ ...LOADING, status: 'redirect', redirectTo: result.url })
        else setProgress({ ...LOADING, status: 'ready', flow: result.flow })
      } catch (error) {
        setProgress({ ...LOADING, status: 'error', flow, error: error as Error })
      }
    },
    [flow, status],
  )
  const restart = useCallback(() => setRound((n) => n + 1), [])
  return { ...progress, submit, restart }
}
