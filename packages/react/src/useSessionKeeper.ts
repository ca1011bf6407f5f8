'use client'
import type { SessionKeeper } from '@session-keeper/core'
import { useContext } from 'react'
import { KeeperContext } from './SessionKeeperProvider.js'

/**
 * The keeper of the nearest {@link SessionKeeperProvider}, for its verbs (`check`, `logout`,
 * `reauthenticate`, `loginUrl`, `on`). Reading it never re-renders. Throws outside a provider.
 *
 * @example
 * const keeper = useSessionKeeper()
 * <button onClick={() => keeper.logout({ returnTo: '/' })}>Sign out</button>
 */
export function useSessionKeeper(): SessionKeeper {
  const keeper = useContext(KeeperContext)
  if (!keeper) throw new Error('[@session-keeper/react] no <SessionKeeperProvider> above')
  return keeper
}

/** Both unsubscribes as one. Private to the package. */
export const both =
  (a: () => void, b: () => void): (() => void) =>
  () => {
    a()
    b()
  }
