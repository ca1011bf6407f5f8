'use client'
import { type Duration, parseDuration, type SessionPhase } from '@session-keeper/core'
import { useCallback, useRef, useState, useSyncExternalStore } from 'react'
import { both, useSessionKeeper } from './useSessionKeeper.js'

/** What {@link useExpiryCountdown} returns. */
export interface ExpiryCountdown {
  /** Milliseconds until the session ends (server time), rounded up to `every`; `null` without a session and on the server. */
  remaining: number | null
  phase: SessionPhase
  /** The session's `expires_at` as Kratos sent it; `null` without a session. */
  expiresAt: Date | null
}

/**
 * A countdown to the end of the session that ticks every `every` while the component is
 * mounted and the page is visible (on the keeper's one timer: a hidden tab gets no wake-ups).
 * Only components that call it re-render on a tick.
 *
 * @example
 * const { remaining, phase } = useExpiryCountdown({ every: '1s' })
 * if (phase === 'expiring') return <p role="status">Signing you out in {Math.round(remaining! / 1000)} s</p>
 */
export function useExpiryCountdown({
  every = 1_000,
}: {
  /** @default 1000 */ every?: Duration
} = {}): ExpiryCountdown {
  const keeper = useSessionKeeper()
  const last = useRef<ExpiryCountdown | undefined>(undefined)
  // Read the clock only when the keeper ticks or its state changes, never in getSnapshot:
  // two renders either side of a second would otherwise see two snapshots (React warns).
  const refresh = useCallback(() => {
    const { phase, session } = keeper.getState()
    const left = keeper.timeLeft()
    const step = parseDuration(every) || 1
    const remaining = left === null ? null : Math.ceil(left / step) * step
    const expiresAt = session?.expires_at ?? null
    const prev = last.current
    // A new object only when a field changed: between ticks the snapshot stays the same.
    if (prev?.remaining !== remaining || prev.phase !== phase || prev.expiresAt !== expiresAt) {
      last.current = { remaining, phase, expiresAt }
    }
    return last.current as ExpiryCountdown
  }, [keeper, every])
  const subscribe = useCallback(
    (onChange: () => void) => {
      const changed = () => {
        refresh()
        onChange()
      }
      return both(keeper.subscribeCountdown(every, changed), keeper.subscribe(changed))
    },
    [keeper, every, refresh],
  )
  // The server and hydration render: no clock, so no `remaining`.
  const [server] = useState<ExpiryCountdown>(() => {
    const { phase, session } = keeper.getInitialState()
    return { remaining: null, phase, expiresAt: session?.expires_at ?? null }
  })
  return useSyncExternalStore(
    subscribe,
    () => last.current ?? refresh(),
    () => server,
  )
}
