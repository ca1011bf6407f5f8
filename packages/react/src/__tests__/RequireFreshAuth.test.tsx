import { act, fireEvent, render, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, beforeEach, describe, expect, it, type vi } from 'vitest'
import { RequireFreshAuth } from '../RequireFreshAuth.js'
import { SessionKeeperProvider } from '../SessionKeeperProvider.js'
import { useFreshAuth } from '../useFreshAuth.js'
import {
  advance,
  installPage,
  kratosSession,
  MINUTE,
  removePage,
  testKeeper,
  UNAUTHORIZED,
  withKeeper,
} from './kit.js'

beforeEach(installPage)
afterEach(removePage)

const assign = () => location.assign as unknown as ReturnType<typeof vi.fn>

describe('RequireFreshAuth', () => {
  it('should unlock on a fresh login, re-lock by itself when maxAge passes, and unlock again', async () => {
    const { kratos, keeper } = testKeeper({ pollInterval: '1h', hiddenPollInterval: '1h' })
    kratos.reply(200, kratosSession({ authenticatedAgo: 0 }))
    render(
      <RequireFreshAuth maxAge="5m" loading={<p>Checking…</p>}>
        <p>Change password</p>
      </RequireFreshAuth>,
      { wrapper: withKeeper(keeper) },
    )
    expect(screen.getByText('Checking…')).toBeTruthy()
    await advance(0)
    expect(screen.getByText('Change password')).toBeTruthy()

    await advance(5 * MINUTE - 1)
    expect(screen.getByText('Change password')).toBeTruthy()
    await advance(2) // no poll in between: the keeper's freshness deadline re-locks it
    expect(kratos.count).toBe(1)
    expect(screen.queryByText('Change password')).toBeNull()
    expect(screen.getByRole('heading').textContent).toBe('Confirm it’s you')

    // The user logs in again (in this tab or another): the next answer unlocks it.
    kratos.reply(200, kratosSession({ authenticatedAgo: 0 }))
    await act(() => keeper.check({ force: true }))
    expect(screen.getByText('Change password')).toBeTruthy()
  })

  it('should explain the lock accessibly: a focused heading, the reason in words, a real button', async () => {
    const { kratos, keeper } = testKeeper()
    kratos.reply(200, kratosSession({ authenticatedAgo: 10 * MINUTE }))
    render(
      <RequireFreshAuth maxAge="5m">
        <p>Change password</p>
      </RequireFreshAuth>,
      { wrapper: withKeeper(keeper) },
    )
    await advance(0)
    const heading = screen.getByRole('heading', { name: 'Confirm it’s you' })
    expect(document.activeElement).toBe(heading)
    expect(screen.getByText('This page needs a recent sign-in.')).toBeTruthy()

    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }))
    await advance(0)
    expect(assign()).toHaveBeenCalledTimes(1)
    const url = new URL(assign().mock.calls[0]?.[0])
    expect(url.searchParams.get('refresh')).toBe('true')
    expect(url.searchParams.get('return_to')).toBe('https://app.example/settings')
  })

  it('should hand the reason and reauthenticate to a fallback function', async () => {
    const { kratos, keeper } = testKeeper()
    kratos.reply(200, kratosSession({ aal: 'aal1' }))
    render(
      <RequireFreshAuth
        maxAge="5m"
        aal="aal2"
        fallback={({ reason, reauthenticate }) => (
          <button type="button" onClick={reauthenticate}>
            {reason}
          </button>
        )}
      >
        <p>API keys</p>
      </RequireFreshAuth>,
      { wrapper: withKeeper(keeper) },
    )
    await advance(0)
    fireEvent.click(screen.getByRole('button', { name: 'needs-aal2' }))
    await advance(0)
    expect(new URL(assign().mock.calls[0]?.[0]).searchParams.get('aal')).toBe('aal2')
  })

  it('should redirect once with `redirect`, also under StrictMode', async () => {
    const { kratos, keeper } = testKeeper()
    kratos.reply(200, kratosSession({ authenticatedAgo: 10 * MINUTE }))
    // Known before mount: StrictMode then runs the mount effects twice with the gate locked.
    await keeper.check()
    render(
      <StrictMode>
        <SessionKeeperProvider keeper={keeper}>
          <RequireFreshAuth maxAge="5m" redirect>
            <p>Billing</p>
          </RequireFreshAuth>
        </SessionKeeperProvider>
      </StrictMode>,
    )
    await advance(0)
    expect(assign()).toHaveBeenCalledTimes(1)
    // A second call for the same login would have tripped the loop guard.
    expect(keeper.getState().error).toBeNull()
  })
})

function Reason() {
  const { fresh, reason } = useFreshAuth({ maxAge: '5m', aal: 'aal2' })
  return <p data-testid="reason">{`${fresh} ${reason}`}</p>
}

describe('useFreshAuth', () => {
  const shown = () => screen.getByTestId('reason').textContent

  it('should say signed-out without a session', async () => {
    const { kratos, keeper } = testKeeper()
    kratos.reply(401, UNAUTHORIZED)
    render(<Reason />, { wrapper: withKeeper(keeper) })
    expect(shown()).toBe('false loading')
    await advance(0)
    expect(shown()).toBe('false signed-out')
  })

  it('should say second-factor-unavailable when the aal2 login came back still at aal1', async () => {
    const { kratos, keeper } = testKeeper()
    kratos.reply(200, kratosSession({ aal: 'aal1' }))
    render(<Reason />, { wrapper: withKeeper(keeper) })
    await advance(0)
    expect(shown()).toBe('false needs-aal2')

    await act(() => keeper.reauthenticate({ maxAge: '5m', aal: 'aal2' }))
    // Back from Kratos without a second factor (the identity has none): asking again loops.
    await act(() => expect(keeper.reauthenticate({ maxAge: '5m', aal: 'aal2' })).rejects.toThrow(/unmet/))
    expect(shown()).toBe('false second-factor-unavailable')
  })

  it('should say fresh for an aal2 login within maxAge', async () => {
    const { kratos, keeper } = testKeeper()
    kratos.reply(200, kratosSession({ aal: 'aal2', authenticatedAgo: MINUTE }))
    render(<Reason />, { wrapper: withKeeper(keeper) })
    await advance(0)
    expect(shown()).toBe('true fresh')
  })
})
