import { render, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SessionKeeperProvider } from '../SessionKeeperProvider.js'
import { useSession } from '../useSession.js'
import { advance, BASE, fakeKratosFetch, installPage, kratosSession, removePage, testKeeper } from './kit.js'

beforeEach(installPage)
afterEach(removePage)

function Status() {
  return <p>{useSession((state) => state.status)}</p>
}

describe('SessionKeeperProvider', () => {
  it('should create and start one keeper from options under StrictMode, without errors', async () => {
    const errors = vi.spyOn(console, 'error')
    const kratos = fakeKratosFetch().reply(200, kratosSession())
    render(
      <StrictMode>
        <SessionKeeperProvider options={{ baseUrl: BASE, fetch: kratos.fetch, tabSync: false }}>
          <Status />
        </SessionKeeperProvider>
      </StrictMode>,
    )
    await advance(0)
    expect(screen.getByText('authenticated')).toBeTruthy()
    expect(kratos.count).toBe(1)
    expect(errors).not.toHaveBeenCalled()
  })

  it('should keep a keeper running through StrictMode’s double mount and stop it on unmount', async () => {
    const { kratos, keeper } = testKeeper()
    kratos.reply(200, kratosSession())
    const start = vi.spyOn(keeper, 'start')
    const stop = vi.spyOn(keeper, 'stop')
    const view = render(
      <StrictMode>
        <SessionKeeperProvider keeper={keeper}>
          <Status />
        </SessionKeeperProvider>
      </StrictMode>,
    )
    await advance(0)
    expect(start).toHaveBeenCalled()
    expect(stop).not.toHaveBeenCalled()
    expect(keeper.getState().isLeader).toBe(true)
    expect(kratos.count).toBe(1)

    view.unmount()
    await advance(0)
    expect(stop).toHaveBeenCalledTimes(1)
    expect(keeper.getState().isLeader).toBe(false)
  })

  it('should stop a shared keeper only when the last provider holding it unmounts', async () => {
    const { kratos, keeper } = testKeeper()
    kratos.reply(200, kratosSession())
    const first = render(<SessionKeeperProvider keeper={keeper} />)
    const second = render(<SessionKeeperProvider keeper={keeper} />)
    await advance(0)

    first.unmount()
    await advance(0)
    expect(keeper.getState().isLeader).toBe(true)
    second.unmount()
    await advance(0)
    expect(keeper.getState().isLeader).toBe(false)
  })
})
