import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loginFlow } from '../../../core/src/__tests__/kratosFlows.js'
import { RequireFreshAuth, type RequireFreshAuthProps } from '../RequireFreshAuth.js'
import { type RequireFreshAuthMessages, requireFreshAuthMessages } from '../requireFreshAuthMessages.js'
import {
  advance,
  installPage,
  kratosSession,
  MINUTE,
  removePage,
  staleKeeper,
  testKeeper,
  UNAUTHORIZED,
  withKeeper,
} from './kit.js'

beforeEach(() => {
  installPage()
  // The loop guard remembers each test's sign-in per tab; every test starts with none.
  sessionStorage.clear()
})
afterEach(removePage)

const de: RequireFreshAuthMessages = {
  signedOutTitle: 'Anmelden, um fortzufahren',
  signedOutText: 'Sie sind abgemeldet.',
  signedOutButton: 'Anmelden',
  tooOldTitle: 'Bestätigen Sie, dass Sie es sind',
  tooOldText: 'Diese Seite braucht eine frische Anmeldung.',
  tooOldButton: 'Erneut anmelden',
  needsAal2Title: 'Zweiter Faktor erforderlich',
  needsAal2Text: 'Diese Seite braucht Ihren zweiten Faktor.',
  needsAal2Button: 'Weiter',
  secondFactorUnavailableTitle: 'Kein zweiter Faktor',
  secondFactorUnavailableText: 'Diese Seite braucht einen zweiten Faktor, und Ihr Konto hat keinen.',
}

const assign = () => vi.mocked(location.assign)

/** Renders the gate over `{ maxAge: '5m', aal }` for a keeper whose first answer is `answer`. */
async function gate(props: RequireFreshAuthProps, answer: [number, unknown]) {
  const { kratos, keeper } = testKeeper({ pollInterval: '1h', hiddenPollInterval: '1h' })
  kratos.reply(...answer)
  render(
    <RequireFreshAuth maxAge="5m" {...props}>
      <p>Account</p>
    </RequireFreshAuth>,
    { wrapper: withKeeper(keeper) },
  )
  await advance(0)
  return { kratos, keeper }
}

describe('RequireFreshAuth messages', () => {
  it.each([
    ['signed-out', {}, () => [401, UNAUTHORIZED], 'signedOut'],
    ['too-old', {}, () => [200, kratosSession({ authenticatedAgo: 10 * MINUTE })], 'tooOld'],
    ['needs-aal2', { aal: 'aal2' }, () => [200, kratosSession({ aal: 'aal1' })], 'needsAal2'],
  ] as const)(
    'should show the German prompt for %s, its button signing in',
    async (_, props, answer, key) => {
      await gate({ ...props, messages: de }, answer() as [number, unknown])

      const heading = screen.getByRole('heading', { name: de[`${key}Title`] })
      expect(document.activeElement).toBe(heading)
      const prompt = heading.parentElement as HTMLElement
      expect(prompt.querySelector('p')?.textContent).toBe(de[`${key}Text`])
      expect(prompt.textContent).toBe(de[`${key}Title`] + de[`${key}Text`] + de[`${key}Button`])
      fireEvent.click(screen.getByRole('button', { name: de[`${key}Button`] }))
      await advance(0)
      expect(assign()).toHaveBeenCalledOnce()
    },
  )

  it('should show the German prompt, without a button, when the account has no second factor', async () => {
    const { keeper } = await gate({ aal: 'aal2', messages: de }, [200, kratosSession({ aal: 'aal1' })])
    await act(() => keeper.reauthenticate({ maxAge: '5m', aal: 'aal2' }))
    // Back from Kratos without a second factor: asking again would loop.
    await act(() => expect(keeper.reauthenticate({ maxAge: '5m', aal: 'aal2' })).rejects.toThrow(/unmet/))

    const heading = screen.getByRole('heading', { name: 'Kein zweiter Faktor' })
    expect(heading.parentElement?.textContent).toBe(
      de.secondFactorUnavailableTitle + de.secondFactorUnavailableText,
    )
    expect(screen.queryByRole('button')).toBeNull()
  })

  it('should keep English for every key a partial messages leaves out or sets to undefined', async () => {
    await gate(
      { messages: { tooOldTitle: 'Bitte bestätigen', tooOldText: undefined, signedOutTitle: 'Anmelden' } },
      [200, kratosSession({ authenticatedAgo: 10 * MINUTE })],
    )

    expect(screen.getByRole('heading', { name: 'Bitte bestätigen' })).toBeTruthy()
    expect(screen.getByText(requireFreshAuthMessages.tooOldText)).toBeTruthy()
    expect(screen.getByRole('button', { name: requireFreshAuthMessages.tooOldButton })).toBeTruthy()
  })

  it('should hand formMessages to the inline form, and keep messages for the prompt only', async () => {
    const { kratos, keeper } = await staleKeeper()
    kratos.reply(500, { error: { code: 500 } })
    render(
      <RequireFreshAuth
        maxAge="5m"
        mode="inline"
        messages={de}
        formMessages={{ tryAgain: 'Erneut versuchen', error: (error) => `Fehler: ${error.name}` }}
      >
        <p>Account</p>
      </RequireFreshAuth>,
      { wrapper: withKeeper(keeper) },
    )
    await advance(0)

    expect(screen.getByRole('alert').textContent).toBe('Fehler: ReauthFlowError' + 'Erneut versuchen')
    kratos.reply(200, loginFlow())
    fireEvent.click(screen.getByRole('button', { name: 'Erneut versuchen' }))
    await advance(0)
    // Kratos's own label stays Kratos's; none of the prompt's texts shows with the form.
    expect(screen.getByLabelText('Password')).toBeTruthy()
    expect(document.body.textContent).not.toContain(de.tooOldTitle)
  })

  it.each([
    ['messages', 'a string', 'de', /<RequireFreshAuth messages> must be an object of texts, got "de"/],
    [
      'messages',
      'an unknown key',
      { tooOldTitel: 'x' },
      /<RequireFreshAuth messages> has an unknown key "tooOldTitel"/,
    ],
    [
      'messages',
      'a function where a text belongs',
      { tooOldButton: () => 'Erneut anmelden' },
      /<RequireFreshAuth messages> "tooOldButton" must be a string, got function/,
    ],
    ['formMessages', 'null', null, /<RequireFreshAuth formMessages> must be an object of texts, got null/],
    [
      'formMessages',
      'a text where a function belongs',
      { error: 'Fehler' },
      /<RequireFreshAuth formMessages> "error" must be a function, got string/,
    ],
  ])(
    'should throw a TypeError at mount, before the gate locks, for %s with %s',
    (prop, _, value, message) => {
      // React reports the render error too (console, and a window error event in React 18 dev).
      vi.spyOn(console, 'error').mockImplementation(() => {})
      const quiet = (event: ErrorEvent) => event.preventDefault()
      window.addEventListener('error', quiet)
      const { keeper } = testKeeper({ pollInterval: '1h', hiddenPollInterval: '1h' })
      const props = { maxAge: '5m', mode: 'inline', [prop]: value } as unknown as RequireFreshAuthProps
      expect(() => render(<RequireFreshAuth {...props} />, { wrapper: withKeeper(keeper) })).toThrow(
        expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(message) }),
      )
      window.removeEventListener('error', quiet)
    },
  )
})
