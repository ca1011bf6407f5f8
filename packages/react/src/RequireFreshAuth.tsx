'use client'
import type { FreshnessReason } from '@session-keeper/core'
import { type ReactNode, useEffect, useRef } from 'react'
import { ReauthForm } from './ReauthForm.js'
import { type ReauthFormMessages, reauthFormMessages } from './reauthFormMessages.js'
import { type RequireFreshAuthMessages, requireFreshAuthMessages } from './requireFreshAuthMessages.js'
import { resolveMessages } from './resolveMessages.js'
import { type FreshAuthOptions, useFreshAuth } from './useFreshAuth.js'

export {
  type RequireFreshAuthMessages,
  requireFreshAuthMessages,
} from './requireFreshAuthMessages.js'

/** What a {@link RequireFreshAuth} `fallback` function receives. */
export interface FreshAuthFallbackProps {
  reason: Exclude<FreshnessReason, 'fresh' | 'loading'>
  reauthenticate: () => Promise<void>
}

/** Props of {@link RequireFreshAuth}. */
export interface RequireFreshAuthProps extends Omit<FreshAuthOptions, 'mode'> {
  children?: ReactNode
  /**
   * How the user logs in again: `'redirect'` to Kratos's login, `'popup'` in a window, or
   * `'inline'`: a {@link ReauthForm} in place of the content, over Kratos's own flow, so the page
   * keeps its state and nothing is blocked. `'inline'` needs no `fallback`.
   * @default 'redirect'
   */
  mode?: FreshAuthOptions['mode'] | 'inline'
  /** Shown while locked: a node, or a function of the reason. @default an accessible prompt with a button */
  fallback?: ReactNode | ((props: FreshAuthFallbackProps) => ReactNode)
  /** Navigate to the login at once instead of waiting for a click. @default false */
  redirect?: boolean
  /** Shown until the keeper knows (first answer, server rendering). @default null */
  loading?: ReactNode
  /**
   * Replaces the default prompt's texts, key by key (a key left out stays English). A value
   * that is not an object, an unknown key or one of the wrong type throws a TypeError.
   * @default requireFreshAuthMessages (English)
   */
  messages?: Partial<RequireFreshAuthMessages>
  /**
   * With `mode="inline"`: the {@link ReauthForm}'s `messages`, checked the same way.
   * @default reauthFormMessages (English)
   */
  formMessages?: Partial<ReauthFormMessages>
}

type Key = keyof RequireFreshAuthMessages
// The keys of the heading, explanation and button label.
const TEXT: Record<FreshAuthFallbackProps['reason'], [Key, Key, Key?]> = {
  'signed-out': ['signedOutTitle', 'signedOutText', 'signedOutButton'],
  'too-old': ['tooOldTitle', 'tooOldText', 'tooOldButton'],
  'needs-aal2': ['needsAal2Title', 'needsAal2Text', 'needsAal2Button'],
  'second-factor-unavailable': ['secondFactorUnavailableTitle', 'secondFactorUnavailableText'],
}

// A failed login attempt is already in the keeper's state (`error`, the 'error' event) and, for
// a loop, in the reason; a closed popup is the user's choice. Nothing is left to report here.
const ignore = () => {}

/** The default fallback: unstyled, a heading that takes focus so the change is announced. */
function FreshAuthPrompt({
  reason,
  reauthenticate,
  messages,
}: FreshAuthFallbackProps & { messages: RequireFreshAuthMessages }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  const [title, text, label] = TEXT[reason]
  return (
    <div className="session-keeper-prompt">
      <h2 ref={heading} tabIndex={-1}>
        {messages[title]}
      </h2>
      <p>{messages[text]}</p>
      {label && (
        <button type="button" onClick={() => reauthenticate().catch(ignore)}>
          {messages[label]}
        </button>
      )}
    </div>
  )
}

/**
 * Renders `children` only while the session meets `{ maxAge, aal }`: it unlocks when any tab
 * logs in again and locks again by itself when `maxAge` passes on screen. While locked it shows
 * `fallback` (by default a heading, the reason in words and a button), or with `redirect`
 * sends the user to the login at once. `mode: 'popup'` logs in in a window and keeps the page;
 * `mode: 'inline'` shows Kratos's login form in place of the content.
 *
 * @example
 * <RequireFreshAuth maxAge="5m" aal="aal2">
 *   <ChangePassword />
 * </RequireFreshAuth>
 *
 * @example
 * <RequireFreshAuth {...strict} mode="popup" fallback={({ reason, reauthenticate }) => (
 *   <Banner onClick={reauthenticate}>{reason === 'needs-aal2' ? 'Use your key' : 'Sign in again'}</Banner>
 * )}>
 *   <ApiKeys />
 * </RequireFreshAuth>
 *
 * @example
 * <RequireFreshAuth maxAge="5m" mode="inline">
 *   <DeleteAccount />
 * </RequireFreshAuth>
 *
 * @example
 * <RequireFreshAuth maxAge="5m" mode="inline" messages={{ secondFactorUnavailableTitle: 'Zweiter Faktor nötig' }}
 *   formMessages={{ tryAgain: 'Erneut versuchen' }}>
 *   <DeleteAccount />
 * </RequireFreshAuth>
 */
export function RequireFreshAuth({
  children,
  fallback,
  redirect,
  loading = null,
  mode,
  messages,
  formMessages,
  ...options
}: RequireFreshAuthProps): ReactNode {
  // On every render, so a bad value fails at mount, not when the gate first locks.
  const text = resolveMessages('<RequireFreshAuth messages>', requireFreshAuthMessages, messages)
  const formText = resolveMessages('<RequireFreshAuth formMessages>', reauthFormMessages, formMessages)
  const inline = mode === 'inline'
  const { reason, reauthenticate } = useFreshAuth({ ...options, mode: inline ? undefined : mode })
  const sent = useRef(false)
  useEffect(() => {
    if (reason === 'fresh') sent.current = false
    // Once per lock: StrictMode runs effects twice, and a second login for the same
    // requirement would trip the keeper's loop guard.
    else if (
      redirect &&
      !inline &&
      !sent.current &&
      reason !== 'loading' &&
      reason !== 'second-factor-unavailable'
    ) {
      sent.current = true
      reauthenticate().catch(ignore)
    }
  }, [redirect, inline, reason, reauthenticate])
  if (reason === 'fresh') return children
  if (reason === 'loading') return loading
  if (inline && !fallback && reason !== 'second-factor-unavailable')
    return <ReauthForm maxAge={options.maxAge} aal={options.aal} messages={formText} />
  return typeof fallback === 'function'
    ? fallback({ reason, reauthenticate })
    : (fallback ?? <FreshAuthPrompt reason={reason} reauthenticate={reauthenticate} messages={text} />)
}
