import { SessionKeeperDevtools } from '@session-keeper/devtools'
import { createSessionKeeper, type SessionKeeper, SessionKeeperProvider } from '@session-keeper/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter } from 'react-router'
import { App } from './App.js'
import { KRATOS_URL } from './kratos.js'
import './styles.css'

declare global {
  interface Window {
    /** Only in e2e builds (`VITE_E2E`): lets the tests force a check after moving the fake's clock. */
    sessionKeeper?: SessionKeeper
  }
}

const earliestPossibleExtend = import.meta.env.VITE_EARLIEST_POSSIBLE_EXTEND

const keeper = createSessionKeeper({
  baseUrl: KRATOS_URL,
  expiringThreshold: import.meta.env.VITE_EXPIRING_THRESHOLD || undefined,
  pollInterval: import.meta.env.VITE_POLL_INTERVAL || undefined,
  // The app's backend route (extendRoute.ts) extends through Kratos's admin API.
  extend: { url: '/api/session/extend' },
  // Activity in any tab inside Kratos's window extends the session, once for all tabs.
  autoExtend: earliestPossibleExtend ? { earliestPossibleExtend } : undefined,
})
if (import.meta.env.VITE_E2E) window.sessionKeeper = keeper

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    <SessionKeeperProvider keeper={keeper}>
      <BrowserRouter>
        <App kratosUrl={KRATOS_URL} />
      </BrowserRouter>
      {/* The devtools panel (bottom right); nothing in production builds. */}
      <SessionKeeperDevtools />
    </SessionKeeperProvider>
  </StrictMode>,
)
