// Test page for @session-keeper/react in real Chromium (../react.test.ts): one provider with the
// default options (tab sync on) against fake-kratos on another origin of the same site, a
// "Change password" panel behind `<RequireFreshAuth maxAge="5m">` with the default fallback, the
// status from `useSession`, and the keeper on `window` so the test can call its verbs.
// `?mode=popup` makes the gates log in through a popup; `?short=<duration>` adds a second gate
// with that `maxAge` (re-lock on screen); `?debug` turns on the keeper's debug log.
import {
  RequireFreshAuth,
  type SessionKeeper,
  SessionKeeperProvider,
  useSession,
  useSessionKeeper,
} from '@session-keeper/react'
import { StrictMode, useEffect } from 'react'
import { createRoot } from 'react-dom/client'

declare const __KRATOS_URL__: string

declare global {
  interface Window {
    keeper: SessionKeeper
    /** Set by the test to tell a page that kept its JavaScript state from one that reloaded. */
    marker?: number
  }
}

const params = new URLSearchParams(location.search)
const short = params.get('short')
const mode = params.get('mode') === 'popup' ? 'popup' : 'redirect'

/** The provider's keeper on `window`, for `window.keeper.check()` from the test. */
function ExposeKeeper() {
  const keeper = useSessionKeeper()
  useEffect(() => {
    window.keeper = keeper
  }, [keeper])
  return null
}

function Status() {
  const status = useSession((state) => state.status)
  const email = useSession((state) => String(state.session?.identity?.traits?.email ?? ''))
  return (
    <dl>
      <dt>status</dt>
      <dd data-testid="status">{status}</dd>
      <dt>email</dt>
      <dd data-testid="email">{email}</dd>
    </dl>
  )
}

function App() {
  return (
    <SessionKeeperProvider options={{ baseUrl: __KRATOS_URL__, debug: params.has('debug') }}>
      <ExposeKeeper />
      <h1>@session-keeper/react</h1>
      <Status />
      <section data-testid="gate">
        <RequireFreshAuth maxAge="5m" mode={mode} loading={<p data-testid="loading">Loading…</p>}>
          <div data-testid="secret">
            <h2>Change password</h2>
            <label>
              New password <input type="password" name="new-password" />
            </label>
          </div>
        </RequireFreshAuth>
      </section>
      {short && (
        <section data-testid="short-gate">
          <RequireFreshAuth maxAge={short} mode={mode}>
            <p data-testid="short-secret">Fresh for {short}</p>
          </RequireFreshAuth>
        </section>
      )}
    </SessionKeeperProvider>
  )
}

const root = document.getElementById('root')
if (!root) throw new Error('no #root')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
