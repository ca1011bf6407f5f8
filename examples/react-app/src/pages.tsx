import {
  type FreshAuthFallbackProps,
  isReauthCancelledError,
  RequireFreshAuth,
  useFreshAction,
  useSession,
  useSessionKeeper,
} from '@session-keeper/react'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { Link } from 'react-router'

/** A page's heading takes focus on arrival, so screen readers announce the new page. */
function PageHeading({ children }: { children: string }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  )
}

export function Home() {
  const authenticatedAt = useSession((state) => state.session?.authenticated_at)
  return (
    <>
      <PageHeading>Signed in</PageHeading>
      <p>
        You last proved who you are at{' '}
        <time dateTime={authenticatedAt?.toISOString()}>{authenticatedAt?.toLocaleTimeString() ?? '–'}</time>.
        Open this page in a second tab: only one tab (the leader) asks Kratos, and every tab agrees.
      </p>
      <ul className="tour">
        <li>
          <Link to="/account-security">Account security</Link>: changing the password needs a sign-in from the
          last 5 minutes (<code>&lt;RequireFreshAuth maxAge="5m"&gt;</code>).
        </li>
        <li>
          <Link to="/api-keys">API keys</Link>: deleting a key asks you to sign in again in a popup (
          <code>useFreshAction</code>), and what you typed stays.
        </li>
        <li>
          <Link to="/billing">Billing</Link>: needs a second factor (<code>aal="aal2"</code>).
        </li>
      </ul>
    </>
  )
}

export function AccountSecurity() {
  return (
    <>
      <PageHeading>Account security</PageHeading>
      <RequireFreshAuth maxAge="5m">
        <ChangePassword />
      </RequireFreshAuth>
    </>
  )
}

function ChangePassword() {
  const id = useId()
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [message, setMessage] = useState('')
  const mismatch = confirm !== '' && password !== confirm

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (mismatch || password.length < 8) return
    // The demo keeps nothing: a real app would submit Kratos's settings flow here.
    setPassword('')
    setConfirm('')
    setMessage('Password changed (demo: nothing was sent).')
  }

  return (
    <form className="form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Change password</h2>
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
      <button type="submit">Change password</button>
      <p role="status">{message}</p>
    </form>
  )
}

interface ApiKey {
  id: string
  name: string
  scope: string
}

const INITIAL_KEYS: ApiKey[] = [
  { id: 'k1', name: 'CI deploy', scope: 'write' },
  { id: 'k2', name: 'Local development', scope: 'read' },
  { id: 'k3', name: 'Metrics exporter', scope: 'read' },
]

export function ApiKeys() {
  const id = useId()
  const [keys, setKeys] = useState(INITIAL_KEYS)
  const [name, setName] = useState('')
  const [scope, setScope] = useState('read')
  const [message, setMessage] = useState('')

  // Runs behind a sign-in from the last 5 minutes; the login happens in a popup, so this page
  // (and the half-filled form below) stays as it is.
  const deleteKey = useFreshAction(
    (key: ApiKey) => {
      setKeys((list) => list.filter((item) => item.id !== key.id))
      return key
    },
    { maxAge: '5m', mode: 'popup' },
  )

  const onDelete = (key: ApiKey) => {
    setMessage(`Confirming it’s you before deleting “${key.name}”…`)
    deleteKey(key).then(
      () => setMessage(`Deleted “${key.name}”.`),
      (error: Error) =>
        setMessage(
          isReauthCancelledError(error)
            ? `“${key.name}” was not deleted: the sign-in window was closed.`
            : `“${key.name}” was not deleted: ${error.message}`,
        ),
    )
  }

  const create = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (!trimmed) return
    setKeys((list) => [...list, { id: `k${Date.now()}`, name: trimmed, scope }])
    setName('')
    setMessage(`Created “${trimmed}”.`)
  }

  return (
    <>
      <PageHeading>API keys</PageHeading>
      <table>
        <caption className="visually-hidden">Your API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scope</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id}>
              <td>{key.name}</td>
              <td>{key.scope}</td>
              <td>
                <button
                  type="button"
                  className="danger"
                  aria-label={`Delete ${key.name}`}
                  onClick={() => onDelete(key)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p role="status" data-testid="keys-status">
        {message}
      </p>
      <form className="form" onSubmit={create} aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>New key</h2>
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} value={name} onChange={(event) => setName(event.target.value)} />
        <label htmlFor={`${id}-scope`}>Scope</label>
        <select id={`${id}-scope`} value={scope} onChange={(event) => setScope(event.target.value)}>
          <option value="read">read</option>
          <option value="write">write</option>
        </select>
        <button type="submit">Create key</button>
      </form>
    </>
  )
}

export function Billing() {
  return (
    <>
      <PageHeading>Billing</PageHeading>
      <RequireFreshAuth aal="aal2" fallback={(props) => <SecondFactorNeeded {...props} />}>
        <section aria-label="Billing details" className="form">
          <p>
            Plan: <strong>Team</strong>, renews on the 1st. Card ending in 4242.
          </p>
          <p className="hint">You see this because you signed in with your second factor.</p>
        </section>
      </RequireFreshAuth>
    </>
  )
}

/**
 * Billing's fallback. An aal1 session that Kratos did not send to its second factor
 * (`required_aal: highest_available`, the default) belongs to an identity without one: asking
 * for aal2 would lead to a login nobody can finish, so say so and offer the ways on.
 */
function SecondFactorNeeded({ reason, reauthenticate }: FreshAuthFallbackProps) {
  const keeper = useSessionKeeper()
  const status = useSession((state) => state.status)
  const [error, setError] = useState('')
  const noSecondFactor =
    reason === 'second-factor-unavailable' || (reason === 'needs-aal2' && status === 'authenticated')

  const switchAccount = () => {
    keeper
      .logout()
      .then(() => window.location.assign(keeper.loginUrl({ returnTo: window.location.href })))
      .catch((failure: Error) => setError(failure.message))
  }

  if (reason === 'signed-out') return <p>Sign in to see billing.</p>
  return (
    <section className="notice" aria-labelledby="second-factor-title">
      <h2 id="second-factor-title">Billing needs a second factor</h2>
      {noSecondFactor ? (
        <>
          <p data-testid="no-second-factor">
            Your account signs in with a password only: it has no second factor (such as an authenticator app)
            yet, so it cannot open billing. Set one up, or ask an account owner who has one.
          </p>
          <p className="hint">
            In this demo, <code>mfa@example.com</code> (password <code>password</code>, code{' '}
            <code>123456</code>) has a second factor.
          </p>
          <div className="actions">
            <button type="button" onClick={switchAccount}>
              Sign in with another account
            </button>
            <Link className="button secondary" to="/">
              Back to Home
            </Link>
          </div>
        </>
      ) : (
        <>
          <p>Confirm it’s you with your second factor to see billing.</p>
          <button
            type="button"
            onClick={() => reauthenticate().catch((failure: Error) => setError(failure.message))}
          >
            Use my second factor
          </button>
        </>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  )
}

export function NotFound() {
  return (
    <>
      <PageHeading>Not found</PageHeading>
      <p>
        There is no such page. <Link to="/">Go home</Link>.
      </p>
    </>
  )
}
