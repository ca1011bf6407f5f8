'use client'
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react'
import type { ExpiryWarningReauth, ExpiryWarningState } from './ExpiryWarningState.js'
import type { ExpiryWarningMessages } from './expiryWarningMessages.js'
import { ReauthForm } from './ReauthForm.js'
import type { ReauthFormMessages } from './reauthFormMessages.js'

/** Seconds on a clock face: `3:59`, `1:02:03`. */
export function clockFace(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60]
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`
}

/** Moves focus to `target` on mount and back to where it was on unmount, if that is still in the page. */
function useFocusInAndBack(target: { current: HTMLElement | null }) {
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    target.current?.focus()
    return () => {
      if (previous?.isConnected && previous !== document.body) previous.focus()
    }
  }, [target])
}

/**
 * The default, unstyled warning: a non-modal `alertdialog` (the page stays usable: no focus
 * trap) labelled by its heading and described by its text, with the countdown (shown, never
 * announced), progress, errors and the in-page sign-in. Escape dismisses it. The buttons carry
 * `data-action` (`stay`, `sign-out`, `close`) for styling. Its texts come from `messages`.
 * Private to the package.
 */
export function ExpiryWarningDialog({
  state,
  reauth: mode,
  messages: m,
  formMessages,
}: {
  state: ExpiryWarningState
  reauth: ExpiryWarningReauth
  messages: ExpiryWarningMessages
  formMessages: ReauthFormMessages
}): ReactNode {
  const { stage, remaining, staySignedIn, signOut, dismiss, busy, error, reauth } = state
  const [title, text, action] =
    stage === 'expiring'
      ? [m.expiringTitle, m.expiringText, m.staySignedIn]
      : [m.endedTitle, m.endedText, m.signInAgain]
  const ids = useId()
  const dialog = useRef<HTMLDivElement>(null)
  const primary = useRef<HTMLButtonElement>(null)
  useFocusInAndBack(primary)
  // The main action gives way to the form: focus waits on the dialog until the form takes it.
  useEffect(() => {
    if (reauth) dialog.current?.focus()
  }, [reauth])
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return
    event.stopPropagation()
    dismiss()
  }
  const seconds = Math.ceil(remaining / 1000)
  return (
    <div
      ref={dialog}
      role="alertdialog"
      aria-labelledby={`${ids}-title`}
      aria-describedby={`${ids}-text`}
      aria-busy={busy}
      tabIndex={-1}
      className="session-keeper-expiry-warning"
      onKeyDown={onKeyDown}
    >
      <h2 id={`${ids}-title`}>{title}</h2>
      <p id={`${ids}-text`}>{text}</p>
      {stage === 'expiring' && (
        <p>
          {m.timeLeft} <time dateTime={`PT${seconds}S`}>{clockFace(seconds)}</time>
        </p>
      )}
      {error && <p role="alert">{error.message}</p>}
      {reauth && (
        <ReauthForm
          maxAge={stage === 'expiring' ? 0 : undefined}
          fallback={mode === 'redirect' ? 'redirect' : 'popup'}
          loading={<p>{m.loading}</p>}
          messages={formMessages}
        />
      )}
      <div>
        {!reauth && (
          <button
            ref={primary}
            type="button"
            data-action="stay"
            aria-disabled={busy || undefined}
            onClick={() => void staySignedIn()}
          >
            {busy ? `${action}…` : action}
          </button>
        )}
        {stage === 'expiring' ? (
          <button
            type="button"
            data-action="sign-out"
            aria-disabled={busy || undefined}
            onClick={() => void signOut()}
          >
            {m.signOut}
          </button>
        ) : (
          <button type="button" data-action="close" onClick={dismiss}>
            {m.close}
          </button>
        )}
      </div>
    </div>
  )
}
