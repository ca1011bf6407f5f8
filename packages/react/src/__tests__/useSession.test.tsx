import { render, renderHook, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SessionKeeperProvider } from '../SessionKeeperProvider.js'
import { useSession } from '../useSession.js'
import { useSessionKeeper } from '../useSessionKeeper.js'
import { advance, installPage, kratosSession, MINUTE, removePage, testKeeper, withKeeper } from './kit.js'

const renders = { status: 0, email: 0, whole: 0 }
const seen: object[] = []

beforeEach(() => {
  installPage()
  renders.status = renders.email = renders.whole = seen.length = 0
})
afterEach(removePage)

function Status() {
  renders.status++
  return <p>{useSession().status}</p>
}

function Email() {
  renders.email++
  return <p>{useSession((state) => state.session?.identity?.traits.email)}</p>
}

function Whole() {
  renders.whole++
  useSession()
  return null
}

const sameStatus = (a: { status: string }, b: { status: string }) => a.status === b.status

/** Picks a new object every time; `equal` keeps the first while the status is the same. */
function PickedStatus() {
  const picked = useSession((state) => ({ status: state.status }), sameStatus)
  seen.push(picked)
  return <p>{picked.status}</p>
}

describe('useSession', () => {
  it('should render nothing for a poll that changes nothing', async () => {
    const { kratos, keeper } = testKeeper({ pollInterval: '1m' })
    kratos.always({ status: 200, body: kratosSession() })
    render(
      <SessionKeeperProvider keeper={keeper}>
        <Status />
      </SessionKeeperProvider>,
    )
    expect(screen.getByText('loading')).toBeTruthy()
    await advance(0)
    expect(screen.getByText('authenticated')).toBeTruthy()
    const settled = renders.status

    await advance(3 * MINUTE)
    expect(kratos.count).toBe(4)
    expect(renders.status).toBe(settled)
  })

  it('should re-render a component only when the part its selector picks changes', async () => {
    const { kratos, keeper } = testKeeper({ pollInterval: '1m' })
    const first = kratosSession({ email: 'ada@example.org' })
    kratos
      .reply(200, first)
      .reply(200, { ...first, expires_at: new Date(Date.now() + 120 * MINUTE).toISOString() })
      .reply(200, kratosSession({ email: 'grace@example.org' }))
    render(
      <SessionKeeperProvider keeper={keeper}>
        <Email />
        <Whole />
      </SessionKeeperProvider>,
    )
    await advance(0)
    expect(screen.getByText('ada@example.org')).toBeTruthy()
    const before = { ...renders }

    await advance(MINUTE) // a refresh moved expires_at; the email is the same
    expect(renders.whole).toBe(before.whole + 1)
    expect(renders.email).toBe(before.email)

    await advance(MINUTE)
    expect(screen.getByText('grace@example.org')).toBeTruthy()
    expect(renders.email).toBe(before.email + 1)
  })

  it('should keep the last selection while `equal` says a new one is the same', async () => {
    const { kratos, keeper } = testKeeper({ pollInterval: '1m' })
    const first = kratosSession()
    kratos.reply(200, first).reply(200, { ...first, id: 'session-2' })
    render(<PickedStatus />, { wrapper: withKeeper(keeper) })
    await advance(0)
    const settled = seen.length

    await advance(MINUTE) // a new session object, the same status
    expect(keeper.getState().session?.id).toBe('session-2')
    expect(seen).toHaveLength(settled)
  })

  it('should throw a message naming the provider outside one', () => {
    // React reports the render error too (console, and a window error event in React 18 dev).
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const quiet = (event: ErrorEvent) => event.preventDefault()
    window.addEventListener('error', quiet)
    expect(() => renderHook(() => useSessionKeeper())).toThrow(/SessionKeeperProvider/)
    window.removeEventListener('error', quiet)
  })
})
