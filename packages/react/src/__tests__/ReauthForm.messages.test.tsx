import { fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loginFlow } from '../../../core/src/__tests__/kratosFlows.js'
import { ReauthForm, type ReauthFormProps } from '../ReauthForm.js'
import { type ReauthFormMessages, reauthFormMessages } from '../reauthFormMessages.js'
import { advance, installPage, removePage, staleKeeper, testKeeper, withKeeper } from './kit.js'

beforeEach(() => {
  installPage()
  // The loop guard remembers each test's sign-in per tab; every test starts with none.
  sessionStorage.clear()
})
afterEach(removePage)

const de: ReauthFormMessages = {
  redirectTitle: 'Erneut anmelden',
  redirectText: 'Diese Anmeldemethode öffnet die Seite von Kratos.',
  continue: 'Weiter',
  useAnotherMethod: 'Andere Methode verwenden',
  tryAgain: 'Erneut versuchen',
  error: (error) => `Die Anmeldung ist fehlgeschlagen (${error.name}).`,
}

const button = (name: string) => screen.getByRole('button', { name })
const signIn = () => fireEvent.click(button('Sign in'))

/** A login flow with a WebAuthn script, a method the form cannot run in the page. */
function withWebauthn() {
  const flow = loginFlow()
  const script = {
    type: 'script',
    group: 'webauthn',
    attributes: { node_type: 'script', id: 'webauthn_script', src: 'https://auth.example/webauthn.js' },
    messages: [],
    meta: {},
  }
  return { ...flow, ui: { ...flow.ui, nodes: [...flow.ui.nodes, script] } }
}

/** A stale keeper and the form over `flow` (the answer to the flow's creation). */
async function setup(props: ReauthFormProps, status: number, flow: unknown) {
  const { kratos, keeper } = await staleKeeper()
  kratos.reply(status, flow)
  render(<ReauthForm maxAge="5m" {...props} />, { wrapper: withKeeper(keeper) })
  await advance(0)
  return kratos
}

describe('ReauthForm messages', () => {
  it('should say a refused flow and its retry in German, and leave Kratos’s texts as Kratos sent them', async () => {
    const kratos = await setup({ messages: de }, 500, { error: { code: 500 } })

    expect(screen.getByRole('alert').textContent).toBe(
      'Die Anmeldung ist fehlgeschlagen (ReauthFlowError).Erneut versuchen',
    )
    kratos.reply(200, loginFlow())
    fireEvent.click(button('Erneut versuchen'))
    await advance(0)
    expect(screen.getByLabelText('Password')).toBeTruthy()
    expect(button('Sign in')).toBeTruthy()
    expect(screen.getByText('Please confirm this action by verifying that it is you.')).toBeTruthy()
  })

  it('should say a failed submit in German in the form’s live region', async () => {
    const kratos = await setup({ messages: de }, 200, loginFlow())
    kratos.reply(500, { error: { code: 500 } })
    signIn()
    await advance(0)

    const alert = screen.getByRole('alert')
    expect(alert.textContent).toMatch(/^Die Anmeldung ist fehlgeschlagen \(\w+Error\)\.$/)
    expect(alert.closest('[aria-live="polite"]')).not.toBeNull()
  })

  it('should offer another method in German for a method that needs the browser', async () => {
    const open = vi.fn(() => null)
    vi.stubGlobal('open', open)
    await setup({ messages: de }, 200, withWebauthn())

    fireEvent.click(button('Andere Methode verwenden'))
    await advance(0)
    expect(open).toHaveBeenCalledOnce()
  })

  it('should show the step that needs Kratos’s page in German', async () => {
    const kratos = await setup({ messages: de, fallback: 'redirect' }, 200, loginFlow())
    kratos.reply(422, {
      error: { id: 'browser_location_change_required' },
      redirect_browser_to: 'https://accounts.provider.example/authorize?client_id=kratos',
    })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'secret' } })
    signIn()
    await advance(0)

    const group = screen.getByRole('group', { name: 'Erneut anmelden' })
    expect(group.textContent).toBe(`Erneut anmelden${de.redirectText}Weiter`)
    fireEvent.click(button('Weiter'))
    await advance(0)
    expect(location.assign).toHaveBeenCalledOnce()
  })

  it('should keep English for every key a partial messages leaves out or sets to undefined', async () => {
    const kratos = await setup({ messages: { tryAgain: 'Erneut versuchen', error: undefined } }, 500, {
      error: { code: 500 },
    })
    expect(screen.getByRole('alert').textContent).toBe(`Kratos refused the login flow (500)Erneut versuchen`)

    kratos.reply(200, withWebauthn())
    fireEvent.click(button('Erneut versuchen'))
    await advance(0)
    expect(button(reauthFormMessages.useAnotherMethod)).toBeTruthy()
  })

  it.each([
    ['a number', 42, /<ReauthForm messages> must be an object of texts, got 42/],
    [
      'an unknown key',
      { tryagain: 'Erneut versuchen' },
      /<ReauthForm messages> has an unknown key "tryagain"/,
    ],
    [
      'a text where a function belongs',
      { error: 'Fehler' },
      /<ReauthForm messages> "error" must be a function, got string/,
    ],
    [
      'a function where a text belongs',
      { continue: () => 'Weiter' },
      /<ReauthForm messages> "continue" must be a string, got function/,
    ],
  ])('should throw a TypeError at mount, before any flow, for %s', (_, messages, message) => {
    // React reports the render error too (console, and a window error event in React 18 dev).
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const quiet = (event: ErrorEvent) => event.preventDefault()
    window.addEventListener('error', quiet)
    const { kratos, keeper } = testKeeper({ pollInterval: '1h', hiddenPollInterval: '1h' })
    const props = { maxAge: '5m', messages } as unknown as ReauthFormProps
    expect(() => render(<ReauthForm {...props} />, { wrapper: withKeeper(keeper) })).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(message) }),
    )
    expect(kratos.requests.filter((request) => request.url.includes('/self-service/login'))).toEqual([])
    window.removeEventListener('error', quiet)
  })
})
