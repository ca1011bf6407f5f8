'use client'
/**
 * Every text of {@link ExpiryWarning}: the default dialog's and the live region's. The
 * announcements that hold a duration take the seconds left, so that a language puts the number
 * and its plural where its grammar wants them.
 */
export interface ExpiryWarningMessages {
  /** Heading while the session is about to end. */
  expiringTitle: string
  /** Description while the session is about to end. */
  expiringText: string
  /** The main action while the session is about to end (followed by `…` while busy). */
  staySignedIn: string
  /** Heading once the session has ended. */
  endedTitle: string
  /** Description once the session has ended. */
  endedText: string
  /** The main action once the session has ended (followed by `…` while busy). */
  signInAgain: string
  signOut: string
  close: string
  /** Before the countdown, punctuation included: `Time left: 4:59`. */
  timeLeft: string
  /** Shown while the in-page sign-in loads. */
  loading: string
  /** Said once when the warning opens, with the seconds really left. */
  announceExpiring: (seconds: number) => string
  /** Said at 60, 30 and 10 seconds left (or fewer, in a tab that woke late). */
  announceRemaining: (seconds: number) => string
  /** Said when the session ends. */
  announceEnded: string
}

/** Seconds as English words: `3 minutes 59 seconds`, `1 minute`, `10 seconds`. */
export function spokenDuration(seconds: number): string {
  const unit = (n: number, word: string) => (n ? `${n} ${word}${n === 1 ? '' : 's'}` : '')
  const words = [unit(Math.floor(seconds / 60), 'minute'), unit(seconds % 60, 'second')]
  return words.filter(Boolean).join(' ') || '0 seconds'
}

/**
 * The English texts of {@link ExpiryWarning}, which a `messages` prop replaces key by key.
 *
 * @example
 * // A variant that changes one text and keeps the others:
 * const messages: ExpiryWarningMessages = { ...expiryWarningMessages, signOut: 'Log out' }
 */
export const expiryWarningMessages: ExpiryWarningMessages = {
  expiringTitle: 'Your session is about to end',
  expiringText:
    'You will be signed out when the time runs out. Stay signed in to keep working; this page stays as it is.',
  staySignedIn: 'Stay signed in',
  endedTitle: 'Your session has ended',
  endedText:
    'You were signed out because your session reached its end. Sign in again to continue; this page stays as it is.',
  signInAgain: 'Sign in again',
  signOut: 'Sign out',
  close: 'Close',
  timeLeft: 'Time left:',
  loading: 'Loading the sign-in…',
  announceExpiring: (seconds) =>
    `Your session is about to end: you will be signed out in ${spokenDuration(seconds)}. Choose Stay signed in to keep working.`,
  announceRemaining: (seconds) => `${spokenDuration(seconds)} left before you are signed out.`,
  announceEnded: 'Your session has ended. Sign in again to continue; this page stays as it is.',
}
