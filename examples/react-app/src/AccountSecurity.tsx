import {
  type FreshAuthFallbackProps,
  ReauthForm,
  RequireFreshAuth,
  useFreshAction,
  useSession,
} from '@session-keeper/react'
import { type FormEvent, type RefObject, useEffect, useId, useRef, useState } from 'react'
import { changePassword } from './kratos.js'
import { PageHeading } from './PageHeading.js'

/** How recent the sign-in behind this page must be. */
const MAX_AGE = '5m'

/**
 * Changing the password needs a sign-in from the last 5 minutes, with the second factor for an
 * account that signed in with one. While that is missing, Kratos's own login form shows in
 * place of the content (`<ReauthForm>`, over a `refresh=true` login flow): the password, or the
 * authentication code, is confirmed in the page, which keeps its state, and the content unlocks
 * where it stands, in every tab. Kratos's own login page stays one click away.
 */
export function AccountSecurity() {
  // What the user signed in with: an account with a second factor confirms with it again.
  const aal = useSession((state) =>
    state.session?.authenticator_assurance_level === 'aal2' ? ('aal2' as const) : undefined,
  )
  // Whether the lock showed on this page: once it opens, focus moves to the content that
  // replaced the form (its field had focus), and is left alone on arrival.
  const wasLocked = useRef(false)
  return (
    <>
      <PageHeading>Account security</PageHeading>
      <RequireFreshAuth
        maxAge={MAX_AGE}
        aal={aal}
        fallback={(props) => <ConfirmInPage {...props} aal={aal} shown={wasLocked} />}
      >
        <ChangePassword focusTitle={wasLocked} />
      </RequireFreshAuth>
    </>
  )
}

/**
 * The lock: Kratos's login form in the page. A method that needs Kratos's page (a security key,
 * a social sign-in) opens it in a popup, so this page still keeps its state; "Sign in again"
 * goes to Kratos's login page and comes back here.
 */
function ConfirmInPage({
  reauthenticate,
  aal,
  shown,
}: FreshAuthFallbackProps & { aal: 'aal2' | undefined; shown: RefObject<boolean> }) {
  const id = useId()
  useEffect(() => {
    shown.current = true
  }, [shown])
  const [error, setError] = useState('')
  const redirect = () => reauthenticate().catch((failure: Error) => setError(failure.message))
  return (
    <section className="notice reauth" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Confirm it’s you</h2>
      <p>
        Changing your password needs a sign-in from the last 5 minutes
        {aal === 'aal2' ? ', with your second factor' : ''}. Confirm it here: this page stays as it is, and
        every open tab unlocks.
      </p>
      <ReauthForm
        maxAge={MAX_AGE}
        aal={aal}
        fallback="popup"
        loading={<p role="status">Asking Kratos for a sign-in form…</p>}
      />
      <p className="hint">
        Or{' '}
        <button type="button" className="secondary" onClick={redirect}>
          Sign in again
        </button>{' '}
        on Kratos’s own page, and come back here.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  )
}

/** The gated content: Kratos's settings flow. Its title takes focus on mount while `focusTitle` holds. */
function ChangePassword({ focusTitle }: { focusTitle: RefObject<boolean> }) {
  const id = useId()
  const title = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (focusTitle.current) title.current?.focus()
  }, [focusTitle])
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [pending, setPending] = useState(false)
  const [message, setMessage] = useState('')
  const [error, setError] = useState('')
  const mismatch = confirm !== '' && password !== confirm

  // Kratos's settings flow, behind a sign-in from the last 5 minutes. Should Kratos still find
  // the sign-in too old (403 session_refresh_required), the keeper sends the user to log in again.
  const submitToKratos = useFreshAction((newPassword: string) => changePassword(newPassword), {
    maxAge: MAX_AGE,
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (mismatch || password.length < 8 || pending) return
    setPending(true)
    setMessage('Changing your password…')
    setError('')
    submitToKratos(password)
      .then(
        (saved) => {
          setPassword('')
          setConfirm('')
          setMessage(`Password changed. ${saved}`)
        },
        (failure: Error) => {
          setMessage('')
          setError(`The password was not changed: ${failure.message}`)
        },
      )
      .finally(() => setPending(false))
  }

  return (
    <form className="form" onSubmit={submit} aria-labelledby={`${id}-title`} aria-busy={pending}>
      <h2 id={`${id}-title`} ref={title} tabIndex={-1}>
        Change password
      </h2>
      <p className="hint">You signed in recently, so this form is unlocked. It locks again by itself.</p>
      <label htmlFor={`${id}-new`}>New password</label>
      <input
        id={`${id}-new`}
        type="password"
        autoComplete="new-password"
        minLength={8}
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <label htmlFor={`${id}-confirm`}>Repeat the new password</label>
      <input
        id={`${id}-confirm`}
        type="password"
        autoComplete="new-password"
        required
        aria-invalid={mismatch}
        aria-describedby={mismatch ? `${id}-mismatch` : undefined}
        value={confirm}
        onChange={(event) => setConfirm(event.target.value)}
      />
      {mismatch && (
        <p id={`${id}-mismatch`} className="error">
          The passwords differ.
        </p>
      )}
      <button type="submit" disabled={pending}>
        {pending ? 'Changing…' : 'Change password'}
      </button>
      <p role="status" data-testid="password-status">
        {message}
      </p>
      {error && (
        <p role="alert" className="error" data-testid="password-error">
          {error}
        </p>
      )}
    </form>
  )
}
