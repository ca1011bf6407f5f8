'use client'
import type { ReactNode } from 'react'
import { ExpiryWarningAnnouncer } from './ExpiryWarningAnnouncer.js'
import { ExpiryWarningDialog } from './ExpiryWarningDialog.js'
import {
  type ExpiryWarningReauth,
  type ExpiryWarningState,
  useExpiryWarningState,
} from './ExpiryWarningState.js'
import { type ExpiryWarningMessages, expiryWarningMessages } from './expiryWarningMessages.js'
import { type ReauthFormMessages, reauthFormMessages } from './reauthFormMessages.js'
import { resolveMessages } from './resolveMessages.js'

export type { ExpiryWarningReauth, ExpiryWarningState } from './ExpiryWarningState.js'
export { type ExpiryWarningMessages, expiryWarningMessages } from './expiryWarningMessages.js'

/** Props of {@link ExpiryWarning}. */
export interface ExpiryWarningProps {
  /**
   * Renders the warning your way (headless): called while it is shown, with the countdown and
   * the actions. The live region stays the component's. @default an unstyled `alertdialog`
   */
  children?: (state: ExpiryWarningState) => ReactNode
  /**
   * How "Stay signed in" signs in again when the session cannot be extended (no `extend`
   * option, or outside Kratos's window): `'inline'`, Kratos's form in the warning, over the
   * login flow (a method that needs the browser falls back to a popup); `'popup'`; `'redirect'`.
   * @default 'inline'
   */
  reauth?: ExpiryWarningReauth
  /**
   * Replaces its texts, key by key (a key left out stays English): the dialog's and the live
   * region's, which a render function keeps. A value that is not an object, an unknown key or
   * one of the wrong type throws a TypeError. @default expiryWarningMessages (English)
   */
  messages?: Partial<ExpiryWarningMessages>
  /**
   * The in-page sign-in's texts (its {@link ReauthForm}'s `messages`), checked the same way.
   * @default reauthFormMessages (English)
   */
  formMessages?: Partial<ReauthFormMessages>
}

/**
 * A warning before the session ends that meets WCAG 2.2.1 (Timing Adjustable): it opens in
 * every tab when the phase becomes `expiring` (at least 20 s before the end: the keeper refuses
 * a shorter `expiringThreshold`) and closes in every tab when any tab extends, signs in again
 * or signs out. "Stay signed in" extends through the keeper's `extend` option, else signs in
 * again in the page. Screen readers hear it through a polite live region once when it opens
 * and at 60, 30 and 10 s left, never every second. A warning that opens late shows the time
 * really left; after the end it says the session ended and offers the sign-in in the page.
 *
 * @example
 * <ExpiryWarning />
 *
 * @example
 * <ExpiryWarning messages={{ staySignedIn: 'Angemeldet bleiben', signOut: 'Abmelden' }} />
 *
 * @example
 * <ExpiryWarning>
 *   {({ stage, remaining, staySignedIn, signOut, busy, error, reauth }) => (
 *     <Toast>
 *       {stage === 'ended' ? 'Your session has ended' : `Signed out in ${Math.ceil(remaining / 1000)} s`}
 *       {reauth ? <ReauthForm maxAge={0} /> : <button onClick={staySignedIn} disabled={busy}>Stay signed in</button>}
 *       <button onClick={signOut}>Sign out</button>
 *       {error && <p role="alert">{error.message}</p>}
 *     </Toast>
 *   )}
 * </ExpiryWarning>
 */
export function ExpiryWarning({
  children,
  reauth = 'inline',
  messages,
  formMessages,
}: ExpiryWarningProps): ReactNode {
  // On every render, so a bad value fails at mount, not minutes later when the warning opens.
  const text = resolveMessages('<ExpiryWarning messages>', expiryWarningMessages, messages)
  const formText = resolveMessages('<ExpiryWarning formMessages>', reauthFormMessages, formMessages)
  const model = useExpiryWarningState(reauth)
  const state = model?.state
  const seconds = Math.ceil((state?.remaining ?? 0) / 1000)
  return (
    <>
      <ExpiryWarningAnnouncer
        stage={state?.stage ?? null}
        seconds={seconds}
        counted={!!model?.counted}
        messages={text}
      />
      {state &&
        model.open &&
        (children ? (
          children(state)
        ) : (
          <ExpiryWarningDialog
            key={state.stage}
            state={state}
            reauth={reauth}
            messages={text}
            formMessages={formText}
          />
        ))}
    </>
  )
}
