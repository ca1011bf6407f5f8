'use client'
import { useExpiryCountdown, useSessionKeeper } from '@session-keeper/react'
import { useEffect, useId, useRef, useState } from 'react'
import { formatDuration } from './format'

/** Opens in the `expiring` phase: how long is left, stay signed in, or sign out. */
export function ExpiryDialog() {
  const keeper = useSessionKeeper()
  const { remaining, phase } = useExpiryCountdown()
  const dialog = useRef<HTMLDialogElement>(null)
  const title = useId()
  const [error, setError] = useState<string | null>(null)
  const open = phase === 'expiring'

  useEffect(() => {
    const element = dialog.current
    if (!element) return
    if (open && !element.open) element.showModal()
    else if (!open && element.open) element.close()
  }, [open])

  const staySignedIn = async () => {
    setError(null)
    try {
      // Inside Kratos's window the route handler extends the session; outside it (or when that
      // fails), sign in again in a window. maxAge 0: any sign-in is "too old", so Kratos runs a
      // refresh login, which extends the session too.
      if (!(await keeper.extend().catch(() => false)))
        await keeper.reauthenticate({ maxAge: 0, mode: 'popup' })
    } catch (reason) {
      setError((reason as Error).message)
    }
  }

  return (
    <dialog ref={dialog} aria-labelledby={title} className="dialog">
      <h2 id={title}>Your session is about to end</h2>
      <p>
        You will be signed out in{' '}
        <strong data-testid="dialog-remaining">{remaining === null ? '–' : formatDuration(remaining)}</strong>
        .
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="actions">
        {/* biome-ignore lint/a11y/noAutofocus: the dialog's main action takes focus when it opens */}
        <button type="button" autoFocus onClick={() => void staySignedIn()}>
          Stay signed in
        </button>
        <button type="button" className="secondary" onClick={() => keeper.logout().catch(() => {})}>
          Sign out
        </button>
      </div>
    </dialog>
  )
}
