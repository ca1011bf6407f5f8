import {
  type FreshAuthFallbackProps,
  isReauthCancelledError,
  RequireFreshAuth,
  useFreshAction,
  useSession,
  useSessionKeeper,
} from '@session-keeper/react'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { Link } from 'react-router'
import { hasSecondFactor } from './kratos.js'
import { PageHeading } from './PageHeading.js'

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
          last 5 minutes (<code>&lt;RequireFreshAuth maxAge="5m"&gt;</code>); you confirm it in the page (
          <code>&lt;ReauthForm&gt;</code>), and the form unlocks where it stands, in every tab.
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
 * Whether the signed-in identity has a second factor, while `ask` holds: `null` until Kratos
 * answered. If it cannot be asked, `fallback`.
 */
function useHasSecondFactor(ask: boolean, fallback: boolean): boolean | null {
  const [answer, setAnswer] = useState<boolean | null>(null)
  useEffect(() => {
    if (!ask) return
    let current = true
    hasSecondFactor().then(
      (has) => current && setAnswer(has),
      () => current && setAnswer(fallback),
    )
    return () => {
      current = false
    }
  }, [ask, fallback])
  return ask ? answer : fallback
}

/**
 * Billing's fallback. An aal1 session that whoami accepts belongs, under Kratos's default
 * `required_aal: highest_available`, to an identity without a second factor; under
 * `required_aal: aal1` it may have one, so Kratos is asked (an `aal=aal2` login flow lists the
 * identity's second factors). Asking an identity without one for aal2 would lead to a login
 * nobody can finish, so say so and offer the ways on.
 */
function SecondFactorNeeded({ reason, reauthenticate }: FreshAuthFallbackProps) {
  const keeper = useSessionKeeper()
  const status = useSession((state) => state.status)
  const [error, setError] = useState('')
  const aal1Accepted = reason === 'needs-aal2' && status === 'authenticated'
  const hasFactor = useHasSecondFactor(aal1Accepted, false)
  const noSecondFactor = reason === 'second-factor-unavailable' || (aal1Accepted && hasFactor === false)

  const switchAccount = () => {
    keeper
      .logout()
      .then(() => window.location.assign(keeper.loginUrl({ returnTo: window.location.href })))
      .catch((failure: Error) => setError(failure.message))
  }

  if (reason === 'signed-out') return <p>Sign in to see billing.</p>
  if (aal1Accepted && hasFactor === null) return <p role="status">Checking your account’s second factors…</p>
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
