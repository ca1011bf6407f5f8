// @vitest-environment jsdom
// reauthenticate({ mode: 'popup' }) (issue 4): the login opens in a window, the page keeps its
// state and resolves when a fresh session arrives (from the popup's keeper over the tab channel,
// or a check); it rejects with ReauthCancelledError when the window is closed first and falls
// back to a redirect when the window cannot open. The app loaded in the popup checks, tells the
// other tabs and closes itself. Keeper time is a hand clock; the channel runs on real timers.
import { describe, expect, it, type Mock, vi } from 'vitest'
import type { SessionKeeperOptions } from '../resolveOptions.js'
import { ReauthCancelledError } from '../SessionKeeperError.js'
import { kratosSession, UNAUTHORIZED } from './fakeKratosFetch.js'
import { APP, useTabKeepers } from './keeperKit.js'
import { type ChannelSpy, type HandClock, settle, until, whoamis } from './tabKit.js'

const PAGE = `${APP}/settings/password`
const POPUP = 'session-keeper:reauth'
const SECOND = 1_000
const MINUTE = 60_000
let name: string
let clock: HandClock
let spy: ChannelSpy
let close: Mock<() => void>

const { setup: tab, assign } = useTabKeepers({
  onEach(rig) {
    ;({ name, clock, spy } = rig)
    close = vi.fn()
    vi.stubGlobal('close', close)
  },
  page: { href: PAGE, sessionStorage: true },
  defaults: () => ({ tabSync: false }),
})

/** Tab sync on this test's in-memory channel. */
const onChannel = () => ({ tabSync: { channel: name, method: 'simulate' as const } })

const session = (options: Parameters<typeof kratosSession>[0] = {}) =>
  kratosSession({ now: clock.now(), ...options })

/** A stand-in for the Window that window.open returns. */
function stubOpen(popup: { closed: boolean } | null = { closed: false }) {
  const open = vi.fn((_url?: string | URL, _target?: string, _features?: string) => popup as Window | null)
  vi.stubGlobal('open', open)
  return { open, popup }
}

/** A signed-in tab whose login is 10 minutes old: not fresh for `maxAge: '5m'`. */
async function staleTab(options: Partial<SessionKeeperOptions> = {}) {
  const t = tab(options)
  t.kratos.always({ status: 200, body: session({ authenticatedAgo: 10 * MINUTE }) })
  t.keeper.start()
  await until(t.keeper, (s) => s.status === 'authenticated' && s.isLeader)
  return t
}

/** Records whether `promise` has settled, without handling its rejection for the test. */
function track(promise: Promise<unknown>) {
  const state = { settled: false }
  promise.then(
    () => {
      state.settled = true
    },
    () => {
      state.settled = true
    },
  )
  return state
}

describe('reauthenticate in popup mode', () => {
  it('should open the login in a popup window named session-keeper:reauth, keeping the page', async () => {
    const { keeper } = await staleTab()
    const { open } = stubOpen()

    const done = track(keeper.reauthenticate({ mode: 'popup', maxAge: '5m' }))
    await settle()

    expect(open).toHaveBeenCalledOnce()
    const [url, target, features] = open.mock.calls[0] ?? []
    expect(target).toBe(POPUP)
    expect(features).toContain('popup')
    const params = Object.fromEntries(new URL(String(url)).searchParams)
    expect(params).toEqual({ refresh: 'true', return_to: PAGE })
    expect(assign).not.toHaveBeenCalled()
    expect(done.settled).toBe(false)
  })

  it("should resolve when the popup's keeper publishes a fresh session over the tab channel", async () => {
    const page = await staleTab(onChannel())
    await clock.advance(10 * SECOND)
    stubOpen()
    const done = page.keeper.reauthenticate({ mode: 'popup', maxAge: '5m' })

    // The app loads in the popup after the login and signs in there.
    vi.stubGlobal('name', POPUP)
    vi.stubGlobal('opener', {})
    const popup = tab(onChannel())
    popup.kratos.reply(200, session())
    popup.keeper.start()

    await expect(done).resolves.toBeUndefined()
    expect(page.keeper.isFresh({ maxAge: '5m' })).toBe(true)
    expect(whoamis(page.kratos)).toBe(1)
    expect(assign).not.toHaveBeenCalled()
  })

  it('should resolve when a check finds the fresh session', async () => {
    const { keeper, kratos } = await staleTab()
    stubOpen()
    const done = keeper.reauthenticate({ mode: 'popup', maxAge: '5m' })

    kratos.reply(200, session())
    await keeper.check()

    await expect(done).resolves.toBeUndefined()
  })

  it('should reject with ReauthCancelledError when the window is closed before a fresh session arrives', async () => {
    const { keeper, kratos } = await staleTab()
    const { popup } = stubOpen()
    const promise = keeper.reauthenticate({ mode: 'popup', maxAge: '5m' })
    const done = track(promise)

    await clock.advance(5 * SECOND)
    expect(done.settled).toBe(false)
    expect(whoamis(kratos)).toBe(1)
    ;(popup as { closed: boolean }).closed = true
    await clock.advance(SECOND / 2)

    await expect(promise).rejects.toBeInstanceOf(ReauthCancelledError)
    // One last check before giving up: the login may have finished as the window closed.
    expect(whoamis(kratos)).toBe(2)
    expect(assign).not.toHaveBeenCalled()
  })

  it('should resolve when the window closed after a login that succeeded', async () => {
    const { keeper, kratos } = await staleTab()
    const { popup } = stubOpen()
    const done = keeper.reauthenticate({ mode: 'popup', maxAge: '5m' })

    ;(popup as { closed: boolean }).closed = true
    kratos.always({ status: 200, body: session() })
    await clock.advance(SECOND / 2)

    await expect(done).resolves.toBeUndefined()
  })

  it('should stop watching the window once settled', async () => {
    const { keeper, kratos } = await staleTab()
    const { popup } = stubOpen()
    const done = keeper.reauthenticate({ mode: 'popup', maxAge: '5m' })
    kratos.reply(200, session())
    await keeper.check()
    await done
    const requests = whoamis(kratos)

    ;(popup as { closed: boolean }).closed = true
    await clock.advance(5 * SECOND)

    expect(whoamis(kratos)).toBe(requests)
  })

  it('should fall back to a redirect when the window cannot open (blocked)', async () => {
    const { keeper } = await staleTab()
    const { open } = stubOpen(null)

    await keeper.reauthenticate({ mode: 'popup', maxAge: '5m' })

    expect(open).toHaveBeenCalledOnce()
    expect(assign).toHaveBeenCalledExactlyOnceWith(open.mock.calls[0]?.[0])
  })

  it('should not open anything when the session is already fresh', async () => {
    const { keeper } = await staleTab()
    const { open } = stubOpen()

    await keeper.reauthenticate({ mode: 'popup', maxAge: '1h' })

    expect(open).not.toHaveBeenCalled()
    expect(assign).not.toHaveBeenCalled()
  })
})

describe('the app loaded in the login popup', () => {
  it('should check, publish the session to the other tabs, then close its window once', async () => {
    vi.stubGlobal('name', POPUP)
    vi.stubGlobal('opener', {})
    const popup = tab(onChannel())
    const body = session()
    popup.kratos.always({ status: 200, body })

    popup.keeper.start()
    const state = await spy.next((message) => message.type === 'state' && message.status === 'authenticated')
    await until(popup.keeper, (s) => s.status === 'authenticated')
    await spy.barrier(1)

    expect(state.session.id).toBe(body.id)
    expect(whoamis(popup.kratos)).toBe(1)
    expect(close).toHaveBeenCalledOnce()
  })

  it('should close its window without tab sync too', async () => {
    vi.stubGlobal('name', POPUP)
    vi.stubGlobal('opener', {})
    const popup = tab()
    popup.kratos.always({ status: 200, body: session() })

    popup.keeper.start()
    await until(popup.keeper, (s) => s.status === 'authenticated')
    await settle()

    expect(close).toHaveBeenCalledOnce()
  })

  it('should stay open when the login did not end signed in', async () => {
    vi.stubGlobal('name', POPUP)
    vi.stubGlobal('opener', {})
    const popup = tab(onChannel())
    popup.kratos.always({ status: 401, body: UNAUTHORIZED })

    popup.keeper.start()
    await until(popup.keeper, (s) => s.status === 'unauthenticated')
    await spy.barrier(1)

    expect(close).not.toHaveBeenCalled()
  })

  it('should behave as an ordinary tab under that name without an opener', async () => {
    vi.stubGlobal('name', POPUP)
    vi.stubGlobal('opener', null)
    const t = tab()
    t.kratos.always({ status: 200, body: session() })

    t.keeper.start()
    await until(t.keeper, (s) => s.status === 'authenticated')
    await settle()

    expect(close).not.toHaveBeenCalled()
  })
})
