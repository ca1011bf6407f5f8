import { fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ExpiryWarning, type ExpiryWarningProps } from '../ExpiryWarning.js'
import { type ExpiryWarningMessages, expiryWarningMessages } from '../expiryWarningMessages.js'
import type { ReauthFormMessages } from '../reauthFormMessages.js'
import {
  advance,
  installPage,
  kratosSession,
  MINUTE,
  removePage,
  SECOND,
  setHidden,
  testKeeper,
  UNAUTHORIZED,
  withKeeper,
} from './kit.js'

beforeEach(installPage)
afterEach(removePage)

/** German durations: `1 Minute`, `5 Minuten`, `1 Minute 30 Sekunden`. */
const dauer = (seconds: number) => {
  const unit = (n: number, one: string, many: string) => (n ? `${n} ${n === 1 ? one : many}` : '')
  const words = [
    unit(Math.floor(seconds / 60), 'Minute', 'Minuten'),
    unit(seconds % 60, 'Sekunde', 'Sekunden'),
  ]
  return words.filter(Boolean).join(' ')
}

const de: ExpiryWarningMessages = {
  expiringTitle: 'Ihre Sitzung läuft bald ab',
  expiringText: 'Wenn die Zeit abläuft, werden Sie abgemeldet.',
  staySignedIn: 'Angemeldet bleiben',
  endedTitle: 'Ihre Sitzung ist abgelaufen',
  endedText: 'Sie wurden abgemeldet.',
  signInAgain: 'Erneut anmelden',
  signOut: 'Abmelden',
  close: 'Schließen',
  timeLeft: 'Verbleibende Zeit:',
  loading: 'Die Anmeldung wird geladen …',
  announceExpiring: (seconds) => `Ihre Sitzung läuft bald ab: in ${dauer(seconds)} werden Sie abgemeldet.`,
  announceRemaining: (seconds) => `Noch ${dauer(seconds)} bis zur Abmeldung.`,
  announceEnded: 'Ihre Sitzung ist abgelaufen.',
}

const button = (name: string) => screen.getByRole('button', { name })

/**
 * A keeper (5-minute threshold, polls an hour apart) whose session ends in 6 minutes, without
 * the `extend` option, so "Stay signed in" opens the in-page sign-in; any later check: signed out.
 */
async function setup(props: ExpiryWarningProps) {
  const { kratos, keeper } = testKeeper({ pollInterval: '1h', hiddenPollInterval: '1h' })
  const session = kratosSession({ expiresIn: 6 * MINUTE })
  kratos.reply(200, session)
  kratos.always({ status: 401, body: UNAUTHORIZED })
  render(<ExpiryWarning {...props} />, { wrapper: withKeeper(keeper) })
  await advance(0)
  const region = screen.getByRole('status')
  const heard: string[] = []
  const observer = new MutationObserver(() => {
    if (region.textContent) heard.push(region.textContent)
  })
  observer.observe(region, { childList: true, characterData: true, subtree: true })
  return { kratos, session, heard }
}

/** From the opening of the warning (1 minute in) to one second past the end of the session. */
async function untilTheEnd() {
  for (let second = 0; second <= 5 * 60; second++) await advance(SECOND)
}

describe('ExpiryWarning messages', () => {
  it('should show the German texts in the dialog and say the German announcements at open, 60, 30 and 10 s and at the end', async () => {
    const { kratos, heard } = await setup({ messages: de })
    await advance(MINUTE)

    const dialog = screen.getByRole('alertdialog', { name: 'Ihre Sitzung läuft bald ab' })
    const description = document.getElementById(dialog.getAttribute('aria-describedby') ?? '')
    expect(description?.textContent).toBe(de.expiringText)
    expect(document.activeElement).toBe(button('Angemeldet bleiben'))
    expect(button('Abmelden')).toBeTruthy()
    expect(dialog.querySelector('time')?.parentElement?.textContent).toBe('Verbleibende Zeit: 5:00')
    expect(dialog.textContent).not.toMatch(/Stay signed in|Sign out|Time left/)

    // The login flow stays pending: the in-page sign-in shows its loading text meanwhile.
    const flow = kratos.pending()
    fireEvent.click(button('Angemeldet bleiben'))
    await advance(0)
    expect(dialog.textContent).toContain('Die Anmeldung wird geladen …')
    await flow.reject()

    await untilTheEnd()
    expect(heard).toEqual([
      'Ihre Sitzung läuft bald ab: in 5 Minuten werden Sie abgemeldet.',
      'Noch 1 Minute bis zur Abmeldung.',
      'Noch 30 Sekunden bis zur Abmeldung.',
      'Noch 10 Sekunden bis zur Abmeldung.',
      'Ihre Sitzung ist abgelaufen.',
    ])
    expect(screen.getByRole('alertdialog', { name: 'Ihre Sitzung ist abgelaufen' })).toBeTruthy()
    expect(button('Erneut anmelden')).toBeTruthy()
    expect(button('Schließen')).toBeTruthy()
  })

  it('should give the in-page sign-in its own texts through formMessages', async () => {
    const { kratos } = await setup({
      messages: de,
      formMessages: { tryAgain: 'Erneut versuchen', error: () => 'Die Anmeldung ist fehlgeschlagen.' },
    })
    await advance(MINUTE)
    const flow = kratos.pending()
    fireEvent.click(button('Angemeldet bleiben'))
    await advance(0)
    await flow.reject()
    await advance(0)

    const dialog = screen.getByRole('alertdialog', { name: 'Ihre Sitzung läuft bald ab' })
    expect(button('Erneut versuchen')).toBeTruthy()
    expect(dialog.textContent).toContain('Die Anmeldung ist fehlgeschlagen.')
    expect(dialog.textContent).not.toContain('Try again')
  })

  it('should throw on a bad formMessages as on a bad messages', () => {
    const bad = { tryagain: 'Erneut versuchen' } as Partial<ReauthFormMessages>
    expect(() =>
      render(<ExpiryWarning formMessages={bad} />, { wrapper: withKeeper(testKeeper().keeper) }),
    ).toThrow('<ExpiryWarning formMessages> has an unknown key "tryagain"')
  })

  it('should make the announcements from messages with a render function too', async () => {
    const { kratos, session, heard } = await setup({ messages: de, children: ({ stage }) => <p>{stage}</p> })
    setHidden(true)
    await advance(0)
    // Woken 4 minutes 15 seconds before the end: the opening says the time really left.
    vi.setSystemTime(Date.now() + MINUTE + 45 * SECOND)
    kratos.reply(200, session)
    setHidden(false)
    await advance(0)
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(screen.getByText('expiring')).toBeTruthy()
    for (let second = 0; second < 4 * 60 + 15; second++) await advance(SECOND)

    expect(heard).toEqual([
      'Ihre Sitzung läuft bald ab: in 4 Minuten 15 Sekunden werden Sie abgemeldet.',
      'Noch 1 Minute bis zur Abmeldung.',
      'Noch 30 Sekunden bis zur Abmeldung.',
      'Noch 10 Sekunden bis zur Abmeldung.',
      'Ihre Sitzung ist abgelaufen.',
    ])
  })

  it('should keep English for every key a partial messages leaves out or sets to undefined', async () => {
    const { heard } = await setup({
      messages: {
        signOut: 'Abmelden',
        announceRemaining: (seconds) => `Noch ${dauer(seconds)}.`,
        close: undefined,
      },
    })
    await advance(MINUTE)

    expect(screen.getByRole('alertdialog', { name: expiryWarningMessages.expiringTitle })).toBeTruthy()
    expect(document.activeElement).toBe(button('Stay signed in'))
    expect(button('Abmelden')).toBeTruthy()
    expect(screen.getByRole('alertdialog').textContent).toContain('Time left: 5:00')
    await untilTheEnd()
    expect(heard).toEqual([
      'Your session is about to end: you will be signed out in 5 minutes. Choose Stay signed in to keep working.',
      'Noch 1 Minute.',
      'Noch 30 Sekunden.',
      'Noch 10 Sekunden.',
      'Your session has ended. Sign in again to continue; this page stays as it is.',
    ])
    expect(button('Close')).toBeTruthy()
  })

  it.each([
    ['a string', 'de', /<ExpiryWarning messages> must be an object of texts, got "de"/],
    ['null', null, /<ExpiryWarning messages> must be an object of texts, got null/],
    ['an array', ['Abmelden'], /<ExpiryWarning messages> has an unknown key "0"/],
    ['an unknown key', { singOut: 'Abmelden' }, /<ExpiryWarning messages> has an unknown key "singOut"/],
    [
      'a text where a function belongs',
      { announceExpiring: 'Ihre Sitzung läuft bald ab' },
      /<ExpiryWarning messages> "announceExpiring" must be a function, got string/,
    ],
    [
      'a function where a text belongs',
      { staySignedIn: () => 'Angemeldet bleiben' },
      /<ExpiryWarning messages> "staySignedIn" must be a string, got function/,
    ],
  ])('should throw a TypeError at mount, long before the warning opens, for %s', (_, messages, message) => {
    // React reports the render error too (console, and a window error event in React 18 dev).
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const quiet = (event: ErrorEvent) => event.preventDefault()
    window.addEventListener('error', quiet)
    const { keeper } = testKeeper({ pollInterval: '1h', hiddenPollInterval: '1h' })
    const props = { messages } as unknown as ExpiryWarningProps
    expect(() => render(<ExpiryWarning {...props} />, { wrapper: withKeeper(keeper) })).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(message) }),
    )
    window.removeEventListener('error', quiet)
  })
})
