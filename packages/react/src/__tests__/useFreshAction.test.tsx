import {
  isReauthCancelledError,
  ReauthCancelledError,
  type ReauthenticateOptions,
} from '@session-keeper/core'
import { act, renderHook } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  AAL2_REQUIRED,
  kratosResponse,
  kyHttpError,
  LOCATION_CHANGE_REQUIRED,
  REFRESH_REQUIRED,
} from '../../../core/src/__tests__/kratosErrors.js'
import { useFreshAction } from '../useFreshAction.js'
import { advance, installPage, kratosSession, MINUTE, removePage, testKeeper, withKeeper } from './kit.js'

beforeEach(installPage)
afterEach(removePage)

/**
 * A real keeper whose `reauthenticate` stands in for the login: in popup mode the user logs in
 * (the next answer is `after`) unless `cancel`; in redirect mode the page leaves.
 */
async function setup({
  before = kratosSession({ authenticatedAgo: 2 * MINUTE }),
  after = kratosSession(),
  cancel = false,
} = {}) {
  const { kratos, keeper } = testKeeper({ pollInterval: '1h', hiddenPollInterval: '1h' })
  kratos.reply(200, before)
  const logins: ReauthenticateOptions[] = []
  keeper.reauthenticate = async (options = {}) => {
    logins.push(options)
    if (options.mode !== 'popup') return void location.assign(keeper.loginUrl())
    if (cancel) throw new ReauthCancelledError('The login window was closed')
    kratos.reply(200, after)
    await keeper.check({ force: true })
  }
  return { keeper, logins, wrapper: withKeeper(keeper) }
}

/** An action that fails with `failure` the first time and then answers 'saved'. */
function failingOnce(failure: unknown) {
  return vi.fn().mockRejectedValueOnce(failure).mockResolvedValue('saved')
}

describe('useFreshAction', () => {
  it.each([
    ['a ky HTTPError', () => kyHttpError(REFRESH_REQUIRED)],
    ['a Response', () => kratosResponse(REFRESH_REQUIRED)],
    ['a parsed body', () => structuredClone(REFRESH_REQUIRED)],
  ])(
    'should log in again and run the action once more on session_refresh_required as %s',
    async (_, failure) => {
      const { keeper, logins, wrapper } = await setup()
      const action = failingOnce(failure())
      const { result } = renderHook(() => useFreshAction(action, { maxAge: '5m', mode: 'popup' }), {
        wrapper,
      })
      await advance(0)
      const current = keeper.getState().session?.authenticated_at

      await act(async () => expect(await result.current()).toBe('saved'))
      expect(action).toHaveBeenCalledTimes(2)
      // Fresh enough here, too old for the server: a login newer than the current one (2 min old).
      expect(current).toBeInstanceOf(Date)
      expect(logins).toEqual([{ maxAge: '5m', authenticatedAfter: current, mode: 'popup' }])
    },
  )

  it.each([
    ['session_aal2_required as a ky HTTPError', () => kyHttpError(AAL2_REQUIRED)],
    ['session_aal2_required as a Response', () => kratosResponse(AAL2_REQUIRED)],
    ['browser_location_change_required as a ky HTTPError', () => kyHttpError(LOCATION_CHANGE_REQUIRED)],
    ['browser_location_change_required as a parsed body', () => structuredClone(LOCATION_CHANGE_REQUIRED)],
  ])('should step up to aal2 and run the action once more on %s', async (_, failure) => {
    const { logins, wrapper } = await setup({ after: kratosSession({ aal: 'aal2' }) })
    const action = failingOnce(failure())
    const { result } = renderHook(() => useFreshAction(action, { maxAge: '5m', mode: 'popup' }), { wrapper })
    await advance(0)

    await act(async () => expect(await result.current()).toBe('saved'))
    expect(action).toHaveBeenCalledTimes(2)
    expect(logins).toEqual([{ maxAge: '5m', aal: 'aal2', mode: 'popup' }])
  })

  it('should log in before running when the session is not fresh, then run the action once', async () => {
    const { logins, wrapper } = await setup({ before: kratosSession({ authenticatedAgo: 10 * MINUTE }) })
    const action = vi.fn(async (amount: number) => amount * 2)
    const { result } = renderHook(() => useFreshAction(action, { maxAge: '5m', mode: 'popup' }), { wrapper })
    await advance(0)

    await act(async () => expect(await result.current(21)).toBe(42))
    expect(action).toHaveBeenCalledTimes(1)
    expect(logins).toEqual([{ maxAge: '5m', mode: 'popup' }])
  })

  it('should navigate away in redirect mode without running the action again', async () => {
    const { logins, wrapper } = await setup()
    const action = failingOnce(kyHttpError(REFRESH_REQUIRED))
    const { result } = renderHook(() => useFreshAction(action, { maxAge: '5m' }), { wrapper })
    await advance(0)

    let settled = false
    void result.current().finally(() => {
      settled = true
    })
    await advance(0)
    expect(location.assign).toHaveBeenCalledTimes(1)
    expect(logins).toHaveLength(1)
    expect(action).toHaveBeenCalledTimes(1)
    expect(settled).toBe(false)
  })

  it('should reject with ReauthCancelledError when the login is cancelled', async () => {
    const { wrapper } = await setup({ cancel: true })
    const action = failingOnce(kratosResponse(AAL2_REQUIRED))
    const { result } = renderHook(() => useFreshAction(action, { maxAge: '5m', mode: 'popup' }), { wrapper })
    await advance(0)

    const error = await act(() => result.current().catch((reason: unknown) => reason))
    expect(isReauthCancelledError(error)).toBe(true)
    expect(action).toHaveBeenCalledTimes(1)
  })

  it("should pass other failures through untouched, and the retry's failure too", async () => {
    const { logins, wrapper } = await setup()
    const offline = new TypeError('Failed to fetch')
    const stillRefused = kratosResponse(REFRESH_REQUIRED)
    const action = vi.fn().mockRejectedValueOnce(offline).mockRejectedValue(stillRefused)
    const { result } = renderHook(() => useFreshAction(action, { maxAge: '5m', mode: 'popup' }), { wrapper })
    await advance(0)

    await act(() => expect(result.current()).rejects.toBe(offline))
    expect(logins).toHaveLength(0)
    await act(() => expect(result.current()).rejects.toBe(stillRefused))
    expect(action).toHaveBeenCalledTimes(3)
  })

  it('should return one stable function that calls the latest action', async () => {
    const { wrapper } = await setup()
    const { result, rerender } = renderHook(
      ({ label }) => useFreshAction(async () => label, { maxAge: '5m', mode: 'popup' }),
      { wrapper, initialProps: { label: 'first' } },
    )
    await advance(0)
    const run = result.current
    rerender({ label: 'second' })
    expect(result.current).toBe(run)
    await act(async () => expect(await run()).toBe('second'))
  })
})
