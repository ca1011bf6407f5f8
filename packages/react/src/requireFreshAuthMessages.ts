'use client'
/**
 * The texts of {@link RequireFreshAuth}'s default prompt: a heading, an explanation and a
 * button label for each reason it is locked (no button when the account has no second factor).
 */
export interface RequireFreshAuthMessages {
  /** `'signed-out'`: heading. */
  signedOutTitle: string
  /** `'signed-out'`: explanation. */
  signedOutText: string
  /** `'signed-out'`: the button that signs in. */
  signedOutButton: string
  /** `'too-old'` (the last sign-in is older than `maxAge`): heading. */
  tooOldTitle: string
  /** `'too-old'`: explanation. */
  tooOldText: string
  /** `'too-old'`: the button that signs in again. */
  tooOldButton: string
  /** `'needs-aal2'` (the second factor is due): heading. */
  needsAal2Title: string
  /** `'needs-aal2'`: explanation. */
  needsAal2Text: string
  /** `'needs-aal2'`: the button that asks for the second factor. */
  needsAal2Button: string
  /** `'second-factor-unavailable'` (`aal2` asked, the account has no second factor): heading. */
  secondFactorUnavailableTitle: string
  /** `'second-factor-unavailable'`: explanation (no button: no sign-in can help). */
  secondFactorUnavailableText: string
}

/**
 * The English texts of {@link RequireFreshAuth}'s default prompt, which a `messages` prop
 * replaces key by key.
 *
 * @example
 * // A variant that changes one text and keeps the others:
 * const messages: RequireFreshAuthMessages = { ...requireFreshAuthMessages, tooOldTitle: 'Check' }
 */
export const requireFreshAuthMessages: RequireFreshAuthMessages = {
  signedOutTitle: 'Sign in to continue',
  signedOutText: 'You are signed out.',
  signedOutButton: 'Sign in',
  tooOldTitle: 'Confirm it’s you',
  tooOldText: 'This page needs a recent sign-in.',
  tooOldButton: 'Sign in again',
  needsAal2Title: 'Confirm it’s you',
  needsAal2Text: 'This page needs your second factor.',
  needsAal2Button: 'Continue',
  secondFactorUnavailableTitle: 'Second factor needed',
  secondFactorUnavailableText: 'This page needs a second factor, and your account has none.',
}
