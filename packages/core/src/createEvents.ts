import type { SessionStore } from './createSessionStore.js'
import type { SessionKeeperEvent } from './SessionKeeper.js'
import type { SessionState } from './types.js'

/**
 * Turns state changes into {@link SessionKeeperEvent}s, each once per real transition: the
 * first answer after loading is no sign-in or sign-out, a poll that changes nothing fires
 * nothing. Returns `on(event, listener)`, which returns the unsubscribe function.
 *
 * @example
 * const on = createEvents(store)
 * on('signed-out', () => router.push('/login'))
 */
/* @__NO_SIDE_EFFECTS__ */
export function createEvents(
  store: SessionStore,
): (event: SessionKeeperEvent, listener: (state: SessionState) => void) => () => void {
  const listeners = new Map<SessionKeeperEvent, Set<(state: SessionState) => void>>()
  store.subscribe((state, prev) => {
    const emit = (event: SessionKeeperEvent) => {
      for (const listener of listeners.get(event) ?? []) listener(state)
    }
    const { status, phase } = state
    if (status !== prev.status) {
      if (status === 'aal2-required') emit(status)
      else if (prev.status !== 'loading') emit(status === 'authenticated' ? 'signed-in' : 'signed-out')
    }
    if (state.session !== prev.session) emit('changed')
    if (phase !== prev.phase && phase && phase !== 'active') emit(phase)
    if (state.error && !prev.error) emit('error')
  })
  return (event, listener) => {
    const set = listeners.get(event) ?? new Set()
    listeners.set(event, set.add(listener))
    return () => void set.delete(listener)
  }
}
