import { ExpiryWarning, useExpiryCountdown, useSession, useSessionKeeper } from '@session-keeper/react'
import { useEffect, useRef, useState } from 'react'
import { NavLink, Route, Routes, useLocation } from 'react-router'
import { AccountSecurity } from './AccountSecurity.js'
import { formatDuration, formatTime } from './format.js'
import { ApiKeys, Billing, Home, NotFound } from './pages.js'

/** Routes the signed-in user can visit; the keeper decides what shows instead of them. */
export function App({ kratosUrl }: { kratosUrl: string }) {
  const status = useSession((state) => state.status)
  // When the current session ends, in this browser's time (skew-corrected while it is known).
  const endsAt = useSession((state) =>
    state.status === 'authenticated' && state.session?.expires_at
      ? state.session.expires_at.getTime() - state.clockSkew
      : null,
  )
  // The end of the last session seen, so the signed-out screen can say it ended by itself. (A
  // tab may learn of the end from another tab's answer rather than from its own timer.)
  const lastEnd = useRef<number | null>(null)
  if (endsAt !== null) lastEnd.current = endsAt
  const expired = lastEnd.current !== null && lastEnd.current <= Date.now() + 1_000
  return (
    <div className="app">
      {status === 'authenticated' ? <SignedIn /> : <NotSignedIn kratosUrl={kratosUrl} expired={expired} />}
    </div>
  )
}

function SignedIn() {
  return (
    <>
      <Header />
      <div className="layout">
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/" end>
                Home
              </NavLink>
            </li>
            <li>
              <NavLink to="/account-security">Account security</NavLink>
            </li>
            <li>
              <NavLink to="/api-keys">API keys</NavLink>
            </li>
            <li>
              <NavLink to="/billing">Billing</NavLink>
            </li>
          </ul>
        </nav>
        <main>
          <StaleBanner />
          <Routes>
            <Route index element={<Home />} />
            <Route path="account-security" element={<AccountSecurity />} />
            <Route path="api-keys" element={<ApiKeys />} />
            <Route path="billing" element={<Billing />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </main>
      </div>
      {/* The warning before the end (WCAG 2.2.1): extends through /api/session/extend, else signs in again in the page. */}
      <ExpiryWarning />
    </>
  )
}

function Header() {
  const keeper = useSessionKeeper()
  const email = useSession((state) => state.session?.identity?.traits?.email)
  const aal = useSession((state) => state.session?.authenticator_assurance_level)
  const isLeader = useSession((state) => state.isLeader)
  const lastCheckedAt = useSession((state) => state.lastCheckedAt)
  const { remaining, phase, expiresAt } = useExpiryCountdown()
  const [signingOut, setSigningOut] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const signOut = () => {
    setSigningOut(true)
    setError(null)
    keeper
      .logout()
      .catch((reason: Error) => setError(`Sign-out failed: ${reason.message}`))
      .finally(() => setSigningOut(false))
  }

  return (
    <header className="header">
      <p className="brand">session-keeper demo</p>
      <dl className="facts">
        <div>
          <dt>Signed in as</dt>
          <dd>
            <span data-testid="session-email">{typeof email === 'string' ? email : '(no email)'}</span>{' '}
            <span className="badge" data-testid="session-aal" title="Authenticator assurance level">
              {aal ?? '?'}
            </span>
          </dd>
        </div>
        <div>
          <dt>Session ends in</dt>
          <dd className={phase === 'expiring' ? 'warn' : undefined}>
            <time
              data-testid="countdown"
              dateTime={expiresAt?.toISOString()}
              title={expiresAt ? `Ends ${expiresAt.toLocaleString()}` : undefined}
            >
              {remaining === null ? '–' : formatDuration(remaining)}
            </time>
          </dd>
        </div>
        <div>
          <dt>This tab</dt>
          <dd data-testid="tab-role">{isLeader ? 'leader (polls)' : 'follower'}</dd>
        </div>
        <div>
          <dt>Last checked</dt>
          <dd data-testid="last-checked">{lastCheckedAt === null ? 'not yet' : formatTime(lastCheckedAt)}</dd>
        </div>
      </dl>
      <button type="button" className="secondary" disabled={signingOut} onClick={signOut}>
        {signingOut ? 'Signing out…' : 'Sign out'}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </header>
  )
}

/** Checks failing (network, 5xx): the last session stays, and the user is told. */
function StaleBanner() {
  const stale = useSession((state) => state.stale)
  const message = useSession((state) => state.error?.message)
  if (!stale) return null
  return (
    <p role="alert" className="banner">
      Can’t reach the session server ({message ?? 'unknown error'}); showing what we last knew.
    </p>
  )
}

/** Loading, signed out (with the URL to come back to), second factor due, or the server failing. */
function NotSignedIn({ kratosUrl, expired }: { kratosUrl: string; expired: boolean }) {
  const keeper = useSessionKeeper()
  const state = useSession()
  // Re-rendered on navigation, so `return_to` is always the page the user is on.
  const { pathname } = useLocation()
  const heading = useRef<HTMLHeadingElement>(null)
  const kind = state.status === 'loading' ? (state.error ? 'error' : 'loading') : state.status
  useEffect(() => {
    if (kind !== 'loading') heading.current?.focus()
  }, [kind])

  if (kind === 'loading') {
    return (
      <main className="card">
        <p role="status">Checking session…</p>
      </main>
    )
  }
  if (kind === 'error') {
    return (
      <main className="card">
        <h1 ref={heading} tabIndex={-1}>
          Could not check the session
        </h1>
        <p role="alert" className="error" data-testid="session-error">
          {state.error?.message}
        </p>
        <p>
          Kratos: <code>{kratosUrl}</code>
        </p>
        <button type="button" onClick={() => void keeper.check({ force: true })}>
          Retry
        </button>
      </main>
    )
  }
  if (kind === 'aal2-required') {
    return (
      <main className="card">
        <h1 ref={heading} tabIndex={-1}>
          Second factor required
        </h1>
        <p>You signed in with your password; this account also needs its second factor.</p>
        {state.aal2RedirectTo && (
          <a className="button" href={state.aal2RedirectTo}>
            Complete the second factor
          </a>
        )}
      </main>
    )
  }
  return (
    <main className="card">
      <h1 ref={heading} tabIndex={-1}>
        {expired ? 'Your session has ended' : 'Signed out'}
      </h1>
      <p>
        {expired
          ? 'You were signed out because your session reached its end.'
          : 'There is no session in this browser.'}
        {pathname !== '/' && (
          <>
            {' '}
            Sign in to come back to <code>{pathname}</code>.
          </>
        )}
      </p>
      <p>
        <a className="button" href={keeper.loginUrl({ returnTo: window.location.href })}>
          Sign in
        </a>
      </p>
      <p className="hint">
        Demo accounts: <code>user@example.com</code> / <code>password</code> (no second factor), and{' '}
        <code>mfa@example.com</code> / <code>password</code> + code <code>123456</code>.
      </p>
    </main>
  )
}
