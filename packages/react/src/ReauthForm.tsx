'use client'
import type { ReauthenticateOptions, SessionState, UiNode, UiText } from '@session-keeper/core'
import { type FormEvent, type ReactNode, useEffect, useId, useRef } from 'react'
import { type ReauthFormMessages, reauthFormMessages } from './reauthFormMessages.js'
import { resolveMessages } from './resolveMessages.js'
import { useReauthFlow } from './useReauthFlow.js'
import { useSessionKeeper } from './useSessionKeeper.js'

export { type ReauthFormMessages, reauthFormMessages } from './reauthFormMessages.js'

/** Props of {@link ReauthForm}. */
export interface ReauthFormProps extends Omit<ReauthenticateOptions, 'mode' | 'authenticatedAfter'> {
  /** Called once the requirement is met; the keeper's state already holds the session. */
  onDone?: (state: SessionState) => void
  /** How the form falls back for a method that needs the browser (webauthn, passkey, social). @default 'popup' */
  fallback?: 'popup' | 'redirect'
  /** Shown while Kratos makes the flow. @default null */
  loading?: ReactNode
  /**
   * Replaces its own texts, key by key (a key left out stays English): the buttons, the
   * redirect step's, what an error says. Kratos's labels and messages stay Kratos's. A value
   * that is not an object, an unknown key or one of the wrong type throws a TypeError.
   * @default reauthFormMessages (English)
   */
  messages?: Partial<ReauthFormMessages>
}

// Fields the form can fill in the page; other groups (webauthn, passkey, oidc) need the browser.
const GROUPS = ['default', 'password', 'totp', 'lookup_secret', 'code', 'identifier_first']
const FIELDS = ['text', 'email', 'password', 'number', 'tel']
const ignore = () => {}

const isError = (messages: UiText[]) => messages.some((message) => message.type === 'error')

function Messages({ id, messages }: { id?: string; messages: UiText[] }) {
  if (!messages.length) return null
  return (
    <div id={id}>
      {messages.map((message) => (
        <p key={message.id} data-type={message.type}>
          {message.text}
        </p>
      ))}
    </div>
  )
}

/** One node the form knows how to show: a labelled field, or a submit button; others render nothing. */
function Node({ node, id, busy }: { node: UiNode; id: string; busy: boolean }) {
  const { attributes: a, messages, meta } = node
  if (a.node_type !== 'input' || !GROUPS.includes(node.group) || !a.name) return null
  const label = meta.label?.text ?? a.label?.text ?? a.name
  if (a.type === 'submit' || a.type === 'button') {
    return (
      <button type="submit" name={a.name} value={String(a.value ?? '')} disabled={busy}>
        {label}
      </button>
    )
  }
  if (!FIELDS.includes(a.type ?? '')) return null // hidden fields travel with the flow itself
  const field = `${id}-${a.name}`
  return (
    <div>
      <label htmlFor={field}>{label}</label>
      <input
        id={field}
        name={a.name}
        type={a.type}
        required={a.required}
        autoComplete={a.autocomplete}
        aria-invalid={isError(messages) || undefined}
        aria-describedby={messages.length ? `${field}-messages` : undefined}
        disabled={busy}
      />
      <Messages id={`${field}-messages`} messages={messages} />
    </div>
  )
}

/**
 * An unstyled, accessible re-authentication form in the page, over Kratos's own login flow
 * (`useReauthFlow`): the password (with the hidden identifier), TOTP, lookup secret and code
 * fields with their labels and Kratos's messages, focus on the first field, submit disabled
 * while in flight. A method that needs the browser offers the popup or redirect instead.
 *
 * @example
 * <ReauthForm maxAge="5m" onDone={() => toast('Thanks, you can go on')} />
 *
 * @example
 * <ReauthForm maxAge="5m" messages={{ tryAgain: 'Erneut versuchen', continue: 'Weiter' }} />
 */
export function ReauthForm({
  onDone,
  fallback = 'popup',
  loading = null,
  messages,
  ...requirement
}: ReauthFormProps): ReactNode {
  const text = resolveMessages('<ReauthForm messages>', reauthFormMessages, messages)
  const keeper = useSessionKeeper()
  const { status, flow, error, submit, restart } = useReauthFlow({ ...requirement, onDone })
  const id = useId()
  const form = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (flow) form.current?.querySelector<HTMLInputElement>('input:not([disabled])')?.focus()
  }, [flow])

  const openLogin = () => void keeper.reauthenticate({ ...requirement, mode: fallback }).catch(ignore)
  if (status === 'done') return null
  if (status === 'redirect') {
    return (
      <fieldset>
        <legend>{text.redirectTitle}</legend>
        <p>{text.redirectText}</p>
        <button type="button" onClick={openLogin}>
          {text.continue}
        </button>
      </fieldset>
    )
  }
  if (!flow) {
    if (status !== 'error') return loading
    return (
      <div role="alert">
        <p>{error && text.error(error)}</p>
        <button type="button" onClick={restart}>
          {text.tryAgain}
        </button>
      </div>
    )
  }
  const busy = status === 'submitting'
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const values: Record<string, string> = {}
    new FormData(event.currentTarget).forEach((value, name) => {
      if (typeof value === 'string') values[name] = value
    })
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null
    if (submitter?.name) values[submitter.name] = submitter.value
    void submit(values)
  }
  const browserOnly = flow.nodes.some((node) => !GROUPS.includes(node.group))
  return (
    <form ref={form} onSubmit={onSubmit} aria-busy={busy} noValidate>
      <div aria-live="polite">
        <Messages messages={flow.messages} />
        {status === 'error' && error && <p role="alert">{text.error(error)}</p>}
      </div>
      {flow.nodes.map((node, index) => (
        <Node key={`${node.group}-${node.attributes.name ?? index}`} node={node} id={id} busy={busy} />
      ))}
      {browserOnly && (
        <button type="button" onClick={openLogin} disabled={busy}>
          {text.useAnotherMethod}
        </button>
      )}
    </form>
  )
}
