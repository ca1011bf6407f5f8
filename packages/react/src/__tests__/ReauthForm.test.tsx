import { fireEvent, render, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { input, loginFlow, totpFlow } from '../../../core/src/__tests__/kratosFlows.js'
import { ReauthForm } from '../ReauthForm.js'
import { RequireFreshAuth } from '../RequireFreshAuth.js'
import { SessionKeeperProvider } from '../SessionKeeperProvider.js'
import { advance, BASE, installPage, kratosSession, removePage, staleKeeper, withKeeper } from './kit.js'

beforeEach(installPage)
afterEach(removePage)

const WRONG = { id: 4000006, text: 'The provided credentials are invalid.', type: 'error' }

const typePassword = (value: string) =>
  fireEvent.change(screen.getByLabelText('Password'), { target: { value } })

describe('ReauthForm', () => {
  it('should render the password field with its label, focus it, and leave hidden fields out', async () => {
    const { kratos, keeper } = await staleKeeper()
    kratos.reply(200, loginFlow())
    render(<ReauthForm maxAge="5m" />, { wrapper: withKeeper(keeper) })
    await advance(0)

    const password = screen.getByLabelText('Password') as HTMLInputElement
    expect(password.type).toBe('password')
    expect(document.activeElement).toBe(password)
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy()
    expect(document.querySelector('input[name="csrf_token"]')).toBeNull()
    expect(screen.getByText('Please confirm this action by verifying that it is you.')).toBeTruthy()
  })

  it('should log in again in the page and call onDone with a fresh state', async () => {
    const { kratos, keeper } = await staleKeeper()
    const onDone = vi.fn()
    kratos.reply(200, loginFlow())
    render(<ReauthForm maxAge="5m" onDone={onDone} />, { wrapper: withKeeper(keeper) })
    await advance(0)
    kratos.reply(200, { session: kratosSession() })

    typePassword('secret')
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await advance(0)

    expect(JSON.parse(kratos.requests[2]?.body ?? '{}')).toMatchObject({
      method: 'password',
      password: 'secret',
    })
    expect(onDone).toHaveBeenCalledOnce()
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
  })

  it("should show Kratos's message on the field after a wrong password, marking it invalid", async () => {
    const { kratos, keeper } = await staleKeeper()
    kratos.reply(200, loginFlow())
    render(<ReauthForm maxAge="5m" />, { wrapper: withKeeper(keeper) })
    await advance(0)
    const flow = loginFlow()
    const password = {
      ...input('password', 'password', 'password', undefined, 'Password'),
      messages: [WRONG],
    }
    kratos.reply(400, {
      ...flow,
      ui: { ...flow.ui, nodes: [flow.ui.nodes[0], flow.ui.nodes[1], password, flow.ui.nodes[3]] },
    })

    typePassword('wrong')
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await advance(0)

    const field = screen.getByLabelText('Password')
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(field.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      WRONG.text,
    )
  })

  it('should disable the form while the submit is in flight', async () => {
    const { kratos, keeper } = await staleKeeper()
    kratos.reply(200, loginFlow())
    render(<ReauthForm maxAge="5m" />, { wrapper: withKeeper(keeper) })
    await advance(0)
    const pending = kratos.pending()

    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await advance(0)
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(true)

    await pending.resolve({ status: 200, body: { session: kratosSession() } })
    await advance(0)
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
  })

  it('should go on to the TOTP step in the page', async () => {
    const { kratos, keeper } = await staleKeeper()
    kratos.reply(200, loginFlow())
    render(<ReauthForm maxAge="5m" aal="aal2" />, { wrapper: withKeeper(keeper) })
    await advance(0)
    kratos
      .reply(422, {
        error: { id: 'browser_location_change_required' },
        redirect_browser_to: `${BASE}/self-service/login/browser?aal=aal2`,
      })
      .reply(200, totpFlow())
      .reply(200, { session: kratosSession({ aal: 'aal2' }) })

    typePassword('secret')
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await advance(0)
    const code = screen.getByLabelText('Authentication code')
    expect(document.activeElement).toBe(code)
    fireEvent.change(code, { target: { value: '123456' } })
    fireEvent.click(screen.getByRole('button', { name: 'Use Authenticator' }))
    await advance(0)

    expect(keeper.isFresh({ maxAge: '5m', aal: 'aal2' })).toBe(true)
  })

  it('should leave unknown node types out and offer the popup for a browser-only method', async () => {
    const { kratos, keeper } = await staleKeeper()
    const open = vi.fn(() => null)
    vi.stubGlobal('open', open)
    const script = {
      type: 'script',
      group: 'webauthn',
      attributes: { node_type: 'script', id: 'webauthn_script', src: 'https://auth.example/webauthn.js' },
      messages: [],
      meta: {},
    }
    const flow = loginFlow()
    kratos.reply(200, { ...flow, ui: { ...flow.ui, nodes: [...flow.ui.nodes, script] } })
    render(<ReauthForm maxAge="5m" />, { wrapper: withKeeper(keeper) })
    await advance(0)

    expect(document.querySelector('script')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Use another method' }))
    await advance(0)
    expect(open).toHaveBeenCalledOnce()
  })

  it('should make one flow that counts under StrictMode', async () => {
    const { kratos, keeper } = await staleKeeper()
    kratos.reply(200, loginFlow({ id: 'first' })).reply(200, loginFlow({ id: 'second' }))
    render(
      <StrictMode>
        <SessionKeeperProvider keeper={keeper}>
          <ReauthForm maxAge="5m" />
        </SessionKeeperProvider>
      </StrictMode>,
    )
    await advance(0)
    kratos.reply(200, { session: kratosSession() })

    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await advance(0)

    expect(kratos.requests.at(-1)?.url).toBe(`${BASE}/self-service/login?flow=second`)
  })

  it('should say what failed and try again with a new flow', async () => {
    const { kratos, keeper } = await staleKeeper()
    kratos.reply(500, { error: { code: 500 } })
    render(<ReauthForm maxAge="5m" />, { wrapper: withKeeper(keeper) })
    await advance(0)
    expect(screen.getByRole('alert').textContent).toContain('500')

    kratos.reply(200, loginFlow())
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    await advance(0)
    expect(screen.getByLabelText('Password')).toBeTruthy()
  })
})

describe('RequireFreshAuth mode="inline"', () => {
  it('should show the form in place of the content and unlock it after the login', async () => {
    const { kratos, keeper } = await staleKeeper()
    kratos.reply(200, loginFlow())
    render(
      <RequireFreshAuth maxAge="5m" mode="inline">
        <p>Delete account</p>
      </RequireFreshAuth>,
      { wrapper: withKeeper(keeper) },
    )
    await advance(0)
    expect(screen.queryByText('Delete account')).toBeNull()
    kratos.reply(200, { session: kratosSession() })

    typePassword('secret')
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await advance(0)

    expect(screen.getByText('Delete account')).toBeTruthy()
    expect(location.assign).not.toHaveBeenCalled()
  })
})
