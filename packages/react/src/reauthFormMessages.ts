'use client'
/**
 * The texts of {@link ReauthForm} that are its own. The fields' labels, the buttons of Kratos's
 * methods and the flow's messages come from Kratos, in the language Kratos answers in.
 */
export interface ReauthFormMessages {
  /** Legend when the chosen method needs Kratos's own page (WebAuthn, passkey, social sign-in). */
  redirectTitle: string
  /** Its explanation. */
  redirectText: string
  /** Its button, which opens Kratos's page by `fallback`. */
  continue: string
  /** Opens the login by `fallback` for a method the form cannot run in the page. */
  useAnotherMethod: string
  /** After Kratos refused the flow (or could not be reached): starts a new flow. */
  tryAgain: string
  /**
   * What an error says: a refused flow, a network failure, a submit that failed. Gets the
   * error (`name`, and `id` on a `ReauthFlowError`), so a language can say each its own way.
   */
  error: (error: Error) => string
}

/**
 * The English texts of {@link ReauthForm}, which a `messages` prop replaces key by key. An
 * error says its own `message` (the core's, in English).
 *
 * @example
 * // A variant that changes one text and keeps the others:
 * const messages: ReauthFormMessages = { ...reauthFormMessages, tryAgain: 'Retry' }
 */
export const reauthFormMessages: ReauthFormMessages = {
  redirectTitle: 'Sign in again',
  redirectText: 'This sign-in method opens Kratos’s own page.',
  continue: 'Continue',
  useAnotherMethod: 'Use another method',
  tryAgain: 'Try again',
  error: (error) => error.message,
}
