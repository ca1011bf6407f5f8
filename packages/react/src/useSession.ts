'use client'
import type { SessionState } from '@session-keeper/core'
import { useRef, useSyncExternalStore } from 'react'
import { useSessionKeeper } from './useSessionKeeper.js'

const whole = (state: SessionState) => state

/**
 * The keeper's state, or the part `selector` picks. The component re-renders only when that
 * part changes by `equal` (`Object.is` by default; pass a shallow compare for selectors that
 * build objects). A poll that changes nothing renders nothing. The server and hydration render
 * with the keeper's initial state.
 *
 * @example
 * const { status, session } = useSession()
 * const email = useSession((state) => state.session?.identity?.traits.email)
 * const names = useSession((s) => [s.status, s.phase], (a, b) => a.every((v, i) => v === b[i]))
 */
export function useSession(): SessionState
export function useSession<T>(selector: (state: SessionState) => T, equal?: (a: T, b: T) => boolean): T
export function useSession<T>(
  selector: (state: SessionState) => T = whole as (state: SessionState) => T,
  equal: (a: T, b: T) => boolean = Object.is,
): T {
  const keeper = useSessionKeeper()
  // The last selection: handed out again while the state is the same or the result is equal,
  // so React sees a stable snapshot even for inline selectors.
  const last = useRef<{ state: SessionState; selector: unknown; value: T } | undefined>(undefined)
  const select = (state: SessionState) => {
    const memo = last.current
    if (memo?.state === state && memo.selector === selector) return memo.value
    const picked = selector(state)
    const value = memo && equal(memo.value, picked) ? memo.value : picked
    last.current = { state, selector, value }
    return value
  }
  return useSyncExternalStore(
    keeper.subscribe,
    () => select(keeper.getState()),
    () => select(keeper.getInitialState()),
  )
}
