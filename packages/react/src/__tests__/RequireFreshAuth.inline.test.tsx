import { fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loginFlow, totpFlow } from '../../../core/src/__tests__/kratosFlows.js'
import { ReauthForm } from '../ReauthForm.js'
import { RequireFreshAuth } from '../RequireFreshAuth.js'
import { advance, BASE, installPage, kratosSession, removePage, staleKeeper, withKeeper } from './kit.js'

// <RequireFreshAuth mode="inline"> and <ReauthForm> over Kratos's answers as Kratos sends them:
// what ReauthForm.test.tsx leaves out (a wrong password on the flow, the gate through a second
// factor, a second submit while one is in flight, a step that needs Kratos's page).

beforeEach(installPage)
afterEach(removePage)

// Kratos puts wrong credentials on the flow, not on the password node (FACTS §2).
const WRONG = {
  id: 4000006,
  text: 'The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.',
  type: 'error',
}

const password = () => screen.getByLabelText('Password') as HTMLInputElement
const signIn = () => fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
const posts = (kratos: Awaited<ReturnType<typeof staleKeeper>>['kratos']) =>
  kratos.requests.filter((request) => request.method === 'POST')

describe('RequireFreshAuth mode="inline"', () => {
  it('should keep the gate locked after a wrong password, show Kratos’s message and focus the field again', async () => {
    const { kratos, keeper } = await staleKeeper()
    kratos.reply(200, loginFlow())
    render(
      <RequireFreshAuth maxAge="5m" mode="inline">
        <p>Delete account</p>
      </RequireFreshAuth>,
      { wrapper: withKeeper(keeper) },
    )
    await advance(0)
    kratos.reply(400, loginFlow({ messages: [WRONG] }))

    fireEvent.change(password(), { target: { value: 'wrong' } })
    password().blur()
    signIn()
    await advance(0)

    expect(screen.queryByText('Delete account')).toBeNull()
    expect(screen.getByText(WRONG.text).closest('[aria-live="polite"]')).not.toBeNull()
    // The message is about the credentials, not this field's value.
    expect(password().getAttribute('aria-invalid')).toBeNull()
    expect(password().disabled).toBe(false)
    expect(document.activeElement).toBe(password())
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(false)

    kratos.reply(200, { session: kratosSession() })
    fireEvent.change(password(), { target: { value: 'secret' } })
    signIn()
    await advance(0)
    expect(screen.getByText('Delete account')).toBeTruthy()
  })

  it('should call ReauthForm’s onDone once with the fresh state, though the opening gate unmounts the form', async () => {
    const { kratos, keeper } = await staleKeeper()
    kratos.reply(200, loginFlow())
    const onDone = vi.fn()
    render(
      <RequireFreshAuth maxAge="5m" fallback={<ReauthForm maxAge="5m" onDone={onDone} />}>
        <p>Delete account</p>
      </RequireFreshAuth>,
      { wrapper: withKeeper(keeper) },
    )
    await advance(0)
    kratos.reply(200, { session: kratosSession() })
    fireEvent.change(password(), { target: { value: 'secret' } })
    signIn()
    await advance(0)

    expect(screen.getByText('Delete account')).toBeTruthy()
    expect(onDone).toHaveBeenCalledTimes(1)
    expect(onDone.mock.calls[0]?.[0]).toBe(keeper.getState())
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
  })

  it('should open an aal2 gate after the second factor in the page, submitting the next flow’s CSRF token', async () => {
    const { kratos, keeper } = await staleKeeper('aal1')
    kratos.reply(200, loginFlow())
    render(
      <RequireFreshAuth maxAge="5m" aal="aal2" mode="inline">
        <p>Billing</p>
      </RequireFreshAuth>,
      { wrapper: withKeeper(keeper) },
    )
    await advance(0)
    const created = new URL(kratos.requests.at(-1)?.url ?? '')
    expect(created.pathname).toBe('/self-service/login/browser')
    expect(created.searchParams.get('refresh')).toBe('true')
    expect(created.searchParams.get('aal')).toBe('aal2')
    kratos
      .reply(422, {
        error: { id: 'browser_location_change_required' },
        redirect_browser_to: `${BASE}/self-service/login/browser?aal=aal2`,
      })
      .reply(200, totpFlow())
      .reply(200, { session: kratosSession({ aal: 'aal2' }) })

    fireEvent.change(password(), { target: { value: 'secret' } })
    signIn()
    await advance(0)
    expect(screen.queryByText('Billing')).toBeNull()
    expect(screen.queryByLabelText('Password')).toBeNull()
    fireEvent.change(screen.getByLabelText('Authentication code'), { target: { value: '123456' } })
    fireEvent.click(screen.getByRole('button', { name: 'Use Authenticator' }))
    await advance(0)

    expect(JSON.parse(posts(kratos).at(-1)?.body ?? '{}')).toEqual({
      csrf_token: 'csrf-2',
      method: 'totp',
      totp_code: '123456',
    })
    expect(screen.getByText('Billing')).toBeTruthy()
    expect(keeper.getState().session?.authenticator_assurance_level).toBe('aal2')
  })
})

describe('ReauthForm', () => {
  it('should send one submit while one is in flight, with every field disabled', async () => {
    const { kratos, keeper } = await staleKeeper()
    kratos.reply(200, loginFlow())
    const { container } = render(<ReauthForm maxAge="5m" />, { wrapper: withKeeper(keeper) })
    await advance(0)
    const pending = kratos.pending()
    const form = container.querySelector('form') as HTMLFormElement

    fireEvent.change(password(), { target: { value: 'secret' } })
    fireEvent.submit(form)
    await advance(0)
    // Enter in a field submits the form even while its button is disabled.
    fireEvent.submit(form)
    await advance(0)

    expect(posts(kratos)).toHaveLength(1)
    expect(form.getAttribute('aria-busy')).toBe('true')
    expect(password().disabled).toBe(true)
    await pending.resolve({ status: 200, body: { session: kratosSession() } })
    await advance(0)
    expect(posts(kratos)).toHaveLength(1)
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
  })

  it('should offer Kratos’s page when a step leaves Kratos (a social sign-in), and redirect with the requirement', async () => {
    const { kratos, keeper } = await staleKeeper()
    kratos.reply(200, loginFlow())
    render(<ReauthForm maxAge="5m" fallback="redirect" />, { wrapper: withKeeper(keeper) })
    await advance(0)
    kratos.reply(422, {
      error: { id: 'browser_location_change_required' },
      redirect_browser_to: 'https://accounts.provider.example/authorize?client_id=kratos',
    })

    fireEvent.change(password(), { target: { value: 'secret' } })
    signIn()
    await advance(0)
    expect(screen.queryByLabelText('Password')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }))
    await advance(0)

    expect(location.assign).toHaveBeenCalledOnce()
    const login = new URL(String(vi.mocked(location.assign).mock.calls[0]?.[0]))
    expect(login.origin).toBe(BASE)
    expect(login.pathname).toBe('/self-service/login/browser')
    expect(login.searchParams.get('refresh')).toBe('true')
    expect(login.searchParams.get('return_to')).toBe('https://app.example/settings')
  })
})
