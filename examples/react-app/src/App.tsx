import { useCallback, useEffect, useState } from 'react'
import { loginUrl, logoutUrl, type Session, type Whoami, whoami } from './kratos.js'

type State = Whoami | { status: 'loading' }

export function App({ kratosUrl }: { kratosUrl: string }) {
  const [state, setState] = useState<State>({ status: 'loading' })

  const check = useCallback(
    async (signal?: AbortSignal) => {
      setState({ status: 'loading' })
      try {
        setState(await whoami(kratosUrl, window.location.href, signal))
      } catch {
        // Aborted: the component unmounted or a newer check started.
      }
    },
    [kratosUrl],
  )

  useEffect(() => {
    const controller = new AbortController()
    void check(controller.signal)
    return () => controller.abort()
  }, [check])

  const signOut = useCallback(async () => {
    try {
      const url = await logoutUrl(kratosUrl, window.location.href)
      if (url) window.location.assign(url)
      else setState({ status: 'unauthenticated' })
    } catch (error) {
      setState({ status: 'error', message: `Sign-out failed: ${(error as Error).message}` })
    }
  }, [kratosUrl])

  return (
    <main>
      <h1>session-keeper demo</h1>
      <p>
        Kratos: <code>{kratosUrl}</code>
      </p>
      <SessionView state={state} kratosUrl={kratosUrl} onSignOut={signOut} onRetry={() => check()} />
    </main>
  )
}

interface ViewProps {
  state: State
  kratosUrl: string
  onSignOut: () => Promise<void>
  onRetry: () => void
}

function SessionView({ state, kratosUrl, onSignOut, onRetry }: ViewProps) {
  switch (state.status) {
    case 'loading':
      return <p role="status">Checking session…</p>
    case 'authenticated':
      return <SignedIn session={state.session} onSignOut={onSignOut} />
    case 'unauthenticated':
      return (
        <section aria-labelledby="signed-out">
          <h2 id="signed-out">Signed out</h2>
          <p>There is no session in this browser.</p>
          <a href={loginUrl(kratosUrl, window.location.href)}>Sign in</a>
        </section>
      )
    case 'aal2-required':
      return (
        <section aria-labelledby="aal2-required">
          <h2 id="aal2-required">Second factor required</h2>
          <p>You signed in with your password; this account also needs its second factor.</p>
          <a href={state.redirectTo}>Complete the second factor</a>
        </section>
      )
    case 'error':
      return (
        <section aria-labelledby="check-failed">
          <h2 id="check-failed">Could not check the session</h2>
          <p role="alert" data-testid="session-error">
            {state.message}
          </p>
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        </section>
      )
  }
}

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: () => Promise<void> }) {
  const [signingOut, setSigningOut] = useState(false)
  const email = session.identity?.traits?.email
  return (
    <section aria-labelledby="signed-in">
      <h2 id="signed-in">Signed in</h2>
      <dl>
        <dt>Email</dt>
        <dd data-testid="session-email">{typeof email === 'string' ? email : '(no email trait)'}</dd>
        <dt>Assurance level</dt>
        <dd data-testid="session-aal">{session.authenticator_assurance_level ?? 'unknown'}</dd>
        <dt>Authenticated at</dt>
        <dd>
          <Time iso={session.authenticated_at} />
        </dd>
        <dt>Expires at</dt>
        <dd>
          <Time iso={session.expires_at} />
        </dd>
      </dl>
      <button
        type="button"
        disabled={signingOut}
        onClick={() => {
          setSigningOut(true)
          void onSignOut().finally(() => setSigningOut(false))
        }}
      >
        {signingOut ? 'Signing out…' : 'Sign out'}
      </button>
    </section>
  )
}

function Time({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={iso}>
      {new Date(iso).toLocaleString()}
    </time>
  )
}
