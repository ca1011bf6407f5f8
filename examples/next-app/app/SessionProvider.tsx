'use client'
import { type Session, SessionKeeperProvider, useSessionKeeper } from '@session-keeper/react'
import { type ReactNode, useEffect } from 'react'
import type { BrowserSettings } from './settings'

declare global {
  interface Window {
    /** Only with `SESSION_KEEPER_E2E=1`: lets the tests force a check after moving the fake's clock. */
    sessionKeeper?: ReturnType<typeof useSessionKeeper>
  }
}

/**
 * The keeper for this page, created once per provider (one per request on the server, never a
 * module global) and seeded with the session the server read, so the server and the first
 * client render agree and the keeper starts without a whoami.
 */
export function SessionProvider({
  initialSession,
  settings,
  children,
}: {
  initialSession: Session | null | undefined
  settings: BrowserSettings
  children: ReactNode
}) {
  const { kratosUrl, expiringThreshold, pollInterval, earliestPossibleExtend } = settings
  return (
    <SessionKeeperProvider
      options={{
        baseUrl: kratosUrl,
        initialSession,
        expiringThreshold,
        pollInterval,
        // The app's route handler (app/api/session/extend/route.ts) extends through Kratos's admin API.
        extend: { url: '/api/session/extend' },
        // Activity in any tab inside Kratos's window extends the session, once for all tabs.
        autoExtend: earliestPossibleExtend ? { earliestPossibleExtend } : undefined,
      }}
    >
      {settings.exposeKeeper && <ExposeKeeper />}
      {children}
    </SessionKeeperProvider>
  )
}

function ExposeKeeper() {
  const keeper = useSessionKeeper()
  useEffect(() => {
    window.sessionKeeper = keeper
  }, [keeper])
  return null
}
