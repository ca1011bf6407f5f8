'use client'
import { createSessionKeeper, type SessionKeeper, type SessionKeeperOptions } from '@session-keeper/core'
import { createContext, type ReactNode, useEffect, useState } from 'react'

/** The nearest provider's keeper. Private to the package: read it with `useSessionKeeper()`. */
export const KeeperContext = createContext<SessionKeeper | null>(null)

/** Props of {@link SessionKeeperProvider}: a keeper, or the options to create one. */
export type SessionKeeperProviderProps = { children?: ReactNode } & (
  | { keeper: SessionKeeper; options?: never }
  | { options: SessionKeeperOptions; keeper?: never }
)

// How many mounted providers hold each keeper. StrictMode unmounts and mounts again within one
// commit, so a stop is deferred to a microtask and skipped when a mount came back meanwhile.
const mounts = new WeakMap<SessionKeeper, number>()
const count = (keeper: SessionKeeper, by: number) => {
  mounts.set(keeper, (mounts.get(keeper) ?? 0) + by)
}

/**
 * Gives its subtree a keeper. With `options` it creates one per provider on first render (one
 * per request when server rendering; never a module global). It starts the keeper on mount and
 * stops it when the last provider holding it unmounts; StrictMode's double mount starts it once
 * and never stops it in between. Nothing runs on the server.
 *
 * @example
 * <SessionKeeperProvider options={{ baseUrl: 'https://auth.example.com' }}>
 *   <App />
 * </SessionKeeperProvider>
 *
 * @example
 * const keeper = createSessionKeeper({ baseUrl: 'https://auth.example.com' })
 * <SessionKeeperProvider keeper={keeper}><App /></SessionKeeperProvider>
 */
export function SessionKeeperProvider({ keeper, options, children }: SessionKeeperProviderProps): ReactNode {
  const [own] = useState(() => (keeper ? null : createSessionKeeper(options as SessionKeeperOptions)))
  const value = (keeper ?? own) as SessionKeeper
  useEffect(() => {
    count(value, 1)
    value.start()
    return () => {
      count(value, -1)
      queueMicrotask(() => mounts.get(value) || value.stop())
    }
  }, [value])
  return <KeeperContext.Provider value={value}>{children}</KeeperContext.Provider>
}
