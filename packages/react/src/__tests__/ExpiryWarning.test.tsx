import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loginFlow } from '../../../core/src/__tests__/kratosFlows.js'
import { ExpiryWarning } from '../ExpiryWarning.js'
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

const TITLE = 'Your session is about to end'
const warning = () => screen.queryByRole('alertdialog')
const button = (name: string) => screen.getByRole('button', { name })

/**
 * The page with an unsaved field, and a keeper (5-minute threshold, polls an hour apart)
 * whose session ends in `expiresIn`; with `extend`, the backend extension is a function that
 * makes the next whoami answer a session an hour long.
 */
async function setup({ expiresIn = 6 * MINUTE, extend = true } = {}) {
  const { kratos, keeper } = testKeeper({
    pollInterval: '1h',
    hiddenPollInterval: '1h',
    ...(extend && {
      extend: async () => {
        kratos.reply(200, kratosSession({ expiresIn: 60 * MINUTE }))
      },
    }),
  })
  const session = kratosSession({ expiresIn })
  kratos.reply(200, session)
  // The check that confirms the end of the session, and any later one: signed out.
  kratos.always({ status: 401, body: UNAUTHORIZED })
  render(
    <>
      <input aria-label="Note" defaultValue="half-typed" />
      <ExpiryWarning />
    </>,
    { wrapper: withKeeper(keeper) },
  )
  await advance(0)
  const note = screen.getByLabelText('Note') as HTMLInputElement
  act(() => note.focus())
  return { kratos, keeper, note, session }
}

/** Every text the live region takes, in order. */
function listen() {
  const region = screen.getByRole('status')
  const heard: string[] = []
  const observer = new MutationObserver(() => {
    if (region.textContent) heard.push(region.textContent)
  })
  observer.observe(region, { childList: true, characterData: true, subtree: true })
  return { heard, region }
}

describe('ExpiryWarning', () => {
  it('should open an alertdialog with a label and a description at the threshold, focus its main action, and stay closed before', async () => {
    const { note } = await setup()
    expect(warning()).toBeNull()
    await advance(MINUTE - SECOND)
    expect(warning()).toBeNull()

    await advance(SECOND)
    const dialog = screen.getByRole('alertdialog', { name: TITLE })
    const description = document.getElementById(dialog.getAttribute('aria-describedby') ?? '')
    expect(description?.textContent).toMatch(/^You will be signed out when the time runs out\./)
    expect(document.activeElement).toBe(button('Stay signed in'))
    expect(button('Sign out')).toBeTruthy()
    expect(dialog.querySelector('time')?.textContent).toBe('5:00')
    await advance(SECOND)
    expect(dialog.querySelector('time')?.textContent).toBe('4:59')
    // No focus trap: the page behind stays reachable.
    act(() => note.focus())
    expect(document.activeElement).toBe(note)
  })

  it('should announce once on open, then at 60, 30 and 10 seconds and at the end, never every second', async () => {
    await setup()
    const { heard } = listen()
    await advance(MINUTE)
    for (let second = 0; second < 5 * 60; second++) await advance(SECOND)

    expect(heard).toEqual([
      'Your session is about to end: you will be signed out in 5 minutes. Choose Stay signed in to keep working.',
      '1 minute left before you are signed out.',
      '30 seconds left before you are signed out.',
      '10 seconds left before you are signed out.',
      'Your session has ended. Sign in again to continue; this page stays as it is.',
    ])
  })

  it('should extend through the keeper on "Stay signed in", close, and give focus back', async () => {
    const { keeper, note } = await setup()
    await advance(MINUTE)
    expect(document.activeElement).toBe(button('Stay signed in'))

    fireEvent.click(button('Stay signed in'))
    await advance(0)

    expect(warning()).toBeNull()
    expect(keeper.getState().phase).toBe('active')
    expect(document.activeElement).toBe(note)
    expect(note.value).toBe('half-typed')
  })

  it('should close when the session changes in state, as another tab signing out makes it', async () => {
    const { keeper } = await setup()
    await advance(MINUTE)
    expect(warning()).not.toBeNull()
    await act(async () => {
      await keeper.check({ force: true }) // 401: signed out elsewhere
    })
    expect(keeper.getState().session).toBeNull()
    expect(warning()).toBeNull()
  })

  it('should hide on Escape and keep announcing through the live region', async () => {
    const { note } = await setup()
    const { heard } = listen()
    await advance(MINUTE)
    fireEvent.keyDown(button('Stay signed in'), { key: 'Escape' })
    expect(warning()).toBeNull()
    expect(document.activeElement).toBe(note)

    await advance(4 * MINUTE)
    expect(heard).toHaveLength(2)
    expect(heard[1]).toBe('1 minute left before you are signed out.')
  })

  it('should sign in again in the page without the extend option, and close once signed in', async () => {
    const { kratos, keeper, note } = await setup({ extend: false })
    await advance(MINUTE)
    kratos.reply(200, loginFlow())

    fireEvent.click(button('Stay signed in'))
    await advance(0)
    const password = screen.getByLabelText('Password') as HTMLInputElement
    expect(document.activeElement).toBe(password)
    expect(screen.getByRole('alertdialog').contains(password)).toBe(true)
    expect(new URL(kratos.requests.at(-1)?.url ?? '').searchParams.get('refresh')).toBe('true')

    kratos.reply(200, { session: kratosSession({ expiresIn: 60 * MINUTE }) })
    fireEvent.change(password, { target: { value: 'secret' } })
    fireEvent.click(button('Sign in'))
    await advance(0)

    expect(warning()).toBeNull()
    expect(keeper.getState().phase).toBe('active')
    expect(note.value).toBe('half-typed')
  })

  it('should open late with the time really left after the tab slept into the window', async () => {
    const { kratos, session } = await setup()
    const { heard } = listen()
    setHidden(true)
    await advance(0)
    // Asleep: the clock jumps without any timer running; on wake the keeper checks again.
    vi.setSystemTime(Date.now() + 5 * MINUTE + 48 * SECOND)
    kratos.reply(200, session)
    setHidden(false)
    await advance(0)

    expect(screen.getByRole('alertdialog').querySelector('time')?.textContent).toBe('0:12')
    expect(heard[0]).toMatch(/you will be signed out in 12 seconds\./)
  })

  it('should say the session ended, never count down, when the tab wakes after the end, and offer the sign-in in the page', async () => {
    const { kratos, note } = await setup()
    setHidden(true)
    await advance(0)
    vi.setSystemTime(Date.now() + 7 * MINUTE)
    setHidden(false)
    await advance(0)

    const dialog = screen.getByRole('alertdialog', { name: 'Your session has ended' })
    expect(dialog.querySelector('time')).toBeNull()
    expect(document.activeElement).toBe(button('Sign in again'))
    kratos.reply(200, loginFlow())
    fireEvent.click(button('Sign in again'))
    await advance(0)
    expect(screen.getByLabelText('Password')).toBeTruthy()
    expect(note.value).toBe('half-typed')
  })

  it('should hand a render function the countdown and the actions, and keep the live region', async () => {
    const { kratos, keeper } = testKeeper({ pollInterval: '1h', hiddenPollInterval: '1h' })
    kratos.reply(200, kratosSession({ expiresIn: 4 * MINUTE }))
    render(
      <ExpiryWarning>
        {({ stage, remaining, phase, busy, error, reauth, staySignedIn }) => (
          <div>
            <p data-testid="custom">{`${stage} ${remaining} ${phase} ${busy} ${error} ${reauth}`}</p>
            <button type="button" onClick={() => void staySignedIn()}>
              Keep me
            </button>
          </div>
        )}
      </ExpiryWarning>,
      { wrapper: withKeeper(keeper) },
    )
    await advance(0)
    expect(screen.getByTestId('custom').textContent).toBe('expiring 240000 expiring false null false')
    expect(warning()).toBeNull()
    expect(screen.getByRole('status').textContent).toMatch(/signed out in 4 minutes\./)

    fireEvent.click(button('Keep me'))
    await advance(0)
    // No `extend` option: the render function is asked to show the in-page sign-in.
    expect(screen.getByTestId('custom').textContent).toBe('expiring 240000 expiring false null true')
  })
})
