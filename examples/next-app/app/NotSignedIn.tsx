'use client'
import { useSession, useSessionKeeper } from '@session-keeper/react'
import { usePathname } from 'next/navigation'
import { useEffect, useRef, useSyncExternalStore } from 'react'

const never = () => () => {}

/**
 * This page's URL once the page is live, `null` on the server and while hydrating (so both
 * render the same); re-read on each render, which navigation causes through `usePathname`.
 */
const useHref = () =>
  useSyncExternalStore(
    never,
    () => window.location.href,
    () => null,
  )

/** Checking, signed out (with the page to come back to), second factor due, or the server failing. */
export function NotSignedIn() {
  const keeper = useSessionKeeper()
  const state = useSession()
  const pathname = usePathname()
  const href = useHref()
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
        <p role="alert" className="error">
          {state.error?.message}
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
        Signed out
      </h1>
      <p>
        There is no session in this browser.
        {pathname !== '/' && (
          <>
            {' '}
            Sign in to come back to <code>{pathname}</code>.
          </>
        )}
      </p>
      {href && (
        <p>
          <a className="button" href={keeper.loginUrl({ returnTo: href })}>
            Sign in
          </a>
        </p>
      )}
      <p className="hint">
        Demo accounts: <code>user@example.com</code> / <code>password</code> (no second factor), and{' '}
        <code>mfa@example.com</code> / <code>password</code> + code <code>123456</code>.
      </p>
    </main>
  )
}
