'use client'
import { useExpiryCountdown, useSession, useSessionKeeper } from '@session-keeper/react'
import { useState } from 'react'
import { formatDuration, formatTime } from '../../react-app/src/format'

/** Who is signed in, the countdown to the end, this tab's role, the last check, and Sign out. */
export function Header() {
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
      <p className="brand">session-keeper Next.js demo</p>
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
            {/* No clock on the server: the countdown appears once the page is live. */}
            <time data-testid="countdown" dateTime={expiresAt?.toISOString()}>
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
          <dd data-testid="last-checked">
            {lastCheckedAt === null ? 'by the server' : formatTime(lastCheckedAt)}
          </dd>
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
