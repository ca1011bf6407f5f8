// @vitest-environment jsdom
// Re-authentication alone (issue 12): a real store, scheduler and freshness on a hand clock, a
// recording check, and stubs for what jsdom cannot do (location.assign, window.open).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createFreshness } from '../createFreshness.js'
import { createReauth } from '../createReauth.js'
import { createScheduler } from '../createScheduler.js'
import { createSessionStore } from '../createSessionStore.js'
import { ReauthCancelledError, ReauthLoopError, UnsafeReturnToError } from '../SessionKeeperError.js'
import type { Session, SessionState } from '../types.js'
import { keptSession, MINUTE, quiet, SECOND, unitClock } from './unitKit.js'

const BASE = 'https://auth.example'
const PAGE = 'https://app.example/orders'
const POPUP = 'session-keeper:reauth'
const assign = vi.fn<(url: string) => void>()

beforeEach(() => {
  sessionStorage.clear()
  assign.mockReset()
  vi.stubGlobal('location', { href: PAGE, origin: new URL(PAGE).origin, assign })
})

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  window.name = ''
  sessionStorage.clear()
})

/** `initial`: the session to start with, `null` signed out, `'loading'` none known yet. */
function setup(initial: Session | null | 'loading' = keptSession({ authenticatedAgo: 10 * MINUTE })) {
  const clock = unitClock()
  const initialSession = initial === 'loading' ? undefined : initial
  const store = createSessionStore({ now: clock.now, expiringThreshold: 5 * MINUTE, initialSession })
  const scheduler = createScheduler(clock, quiet)
  scheduler.start()
  const freshness = createFreshness(store, scheduler, clock.now)
  const check = vi.fn(async (): Promise<SessionState> => store.getState())
  const reauth = createReauth({
    baseUrl: BASE,
    allowed: () => ['https://app.example'],
    now: clock.now,
    store,
    freshness,
    scheduler,
    check,
  })
  return { clock, store, check, reauth }
}

/** The query of the URL the page was sent to last. */
const redirectedTo = () => new URL(assign.mock.calls.at(-1)?.[0] ?? 'about:blank')

describe('createReauth: loginUrl', () => {
  it('should ask for a refreshed login coming back to this page by default', () => {
    const url = new URL(setup().reauth.loginUrl())
    expect(url.origin + url.pathname).toBe(`${BASE}/self-service/login/browser`)
    expect(url.searchParams.get('refresh')).toBe('true')
    expect(url.searchParams.get('return_to')).toBe(PAGE)
    expect(url.searchParams.has('aal')).toBe(false)
  })

  it('should take refresh, aal and a checked returnTo', () => {
    const { reauth } = setup()
    const url = new URL(reauth.loginUrl({ refresh: false, aal: 'aal2', returnTo: 'https://app.example/x' }))
    expect(url.searchParams.has('refresh')).toBe(false)
    expect(url.searchParams.get('aal')).toBe('aal2')
    expect(url.searchParams.get('return_to')).toBe('https://app.example/x')
    expect(() => reauth.loginUrl({ returnTo: 'https://evil.example/' })).toThrow(UnsafeReturnToError)
  })

  it('should ask for aal2 by default once the server required it', () => {
    const { store, reauth } = setup()
    store.update({ status: 'aal2-required' })
    expect(new URL(reauth.loginUrl()).searchParams.get('aal')).toBe('aal2')
    expect(new URL(reauth.loginUrl({ aal: 'aal1' })).searchParams.has('aal')).toBe(false)
  })
})

describe('createReauth: reauthenticate', () => {
  it('should not redirect when the session already meets the requirement, and forget the guard', async () => {
    const { reauth } = setup()
    await reauth.reauthenticate({ maxAge: '5m' })
    expect(assign).toHaveBeenCalledTimes(1)
    await reauth.reauthenticate({ maxAge: '1h' })
    expect(assign).toHaveBeenCalledTimes(1)
    expect(sessionStorage.length).toBe(0)
  })

  it('should refresh the login for a maxAge, and step up without refresh for aal2', async () => {
    const { reauth } = setup()
    await reauth.reauthenticate({ maxAge: '5m' })
    expect(redirectedTo().searchParams.get('refresh')).toBe('true')
    await reauth.reauthenticate({ aal: 'aal2' })
    expect(redirectedTo().searchParams.has('refresh')).toBe(false)
    expect(redirectedTo().searchParams.get('aal')).toBe('aal2')
  })

  it('should sign in first, without refresh or aal, when there is no session', async () => {
    const { reauth } = setup(null)
    await reauth.reauthenticate({ aal: 'aal2' })
    expect(redirectedTo().searchParams.has('refresh')).toBe(false)
    expect(redirectedTo().searchParams.has('aal')).toBe(false)
  })

  it('should ask the server first while loading', async () => {
    const { store, check, reauth } = setup('loading')
    check.mockImplementation(async () => {
      store.update({ status: 'unauthenticated' })
      return store.getState()
    })
    await reauth.reauthenticate()
    expect(check).toHaveBeenCalledTimes(1)
    expect(assign).toHaveBeenCalledTimes(1)
  })

  it('should refuse the same login again within 60 s, saying the second factor is missing for aal2', async () => {
    const { clock, store, reauth } = setup()
    await reauth.reauthenticate({ maxAge: '5m' })
    await expect(reauth.reauthenticate({ maxAge: '5m' })).rejects.toThrow(ReauthLoopError)
    expect(store.getState()).toMatchObject({
      error: expect.any(ReauthLoopError),
      secondFactorUnavailable: false,
    })

    await reauth.reauthenticate({ aal: 'aal2' })
    await expect(reauth.reauthenticate({ aal: 'aal2' })).rejects.toThrow(ReauthLoopError)
    expect(store.getState().secondFactorUnavailable).toBe(true)
    expect(assign).toHaveBeenCalledTimes(2)

    clock.advance(60 * SECOND)
    await reauth.reauthenticate({ aal: 'aal2' })
    expect(assign).toHaveBeenCalledTimes(3)
  })
})

describe('createReauth: arrival and proof', () => {
  it('should tell a plain page load, a page back from a login, and the login popup apart', async () => {
    expect(setup().reauth.arrival()).toBeUndefined()

    await setup().reauth.reauthenticate({ maxAge: '5m' })
    expect(setup().reauth.arrival()).toBe('back')

    window.name = POPUP
    vi.stubGlobal('opener', {})
    expect(setup().reauth.arrival()).toBe('popup')
  })

  it('should take the first answer at aal1 after an aal2 login as proof, once', async () => {
    await setup().reauth.reauthenticate({ aal: 'aal2' })
    const { reauth } = setup()
    expect(reauth.arrival()).toBe('back')
    expect(reauth.proves(keptSession({ aal: 'aal1' }))).toBe(true)
    expect(reauth.proves(keptSession({ aal: 'aal1' }))).toBe(false)
  })

  it('should prove nothing with a signed-out or aal2 first answer, nor after a login without aal2', async () => {
    await setup().reauth.reauthenticate({ aal: 'aal2' })
    const signedOut = setup().reauth
    signedOut.arrival()
    expect(signedOut.proves(null)).toBe(false)
    expect(signedOut.proves(keptSession())).toBe(false)

    const aal2 = setup().reauth
    aal2.arrival()
    expect(aal2.proves(keptSession({ aal: 'aal2' }))).toBe(false)

    sessionStorage.clear()
    await setup().reauth.reauthenticate({ maxAge: '5m' })
    const plain = setup().reauth
    expect(plain.arrival()).toBe('back')
    expect(plain.proves(keptSession())).toBe(false)
  })
})

describe('createReauth: popup', () => {
  function openPopup() {
    const popup = { closed: false }
    const open = vi.spyOn(window, 'open').mockReturnValue(popup as Window)
    return { popup, open }
  }

  it('should resolve when a session meeting the requirement arrives, without redirecting', async () => {
    const { open } = openPopup()
    const { clock, store, reauth } = setup()
    const done = reauth.reauthenticate({ maxAge: '5m', mode: 'popup' })
    expect(open).toHaveBeenCalledWith(
      expect.stringContaining(`${BASE}/self-service/login/browser`),
      POPUP,
      expect.any(String),
    )
    store.update({ session: keptSession({ now: clock.now() }) })
    await done
    expect(assign).not.toHaveBeenCalled()
  })

  it('should check once more and reject when the window closes first', async () => {
    const { popup } = openPopup()
    const { clock, check, reauth } = setup()
    const done = reauth.reauthenticate({ maxAge: '5m', mode: 'popup' })
    const rejected = expect(done).rejects.toThrow(ReauthCancelledError)
    clock.advance(SECOND)
    expect(check).not.toHaveBeenCalled()
    popup.closed = true
    clock.advance(SECOND / 2)
    expect(check).toHaveBeenCalledTimes(1)
    await rejected
  })

  it('should fall back to the redirect when the popup is blocked', async () => {
    vi.spyOn(window, 'open').mockReturnValue(null)
    const { reauth } = setup()
    await reauth.reauthenticate({ maxAge: '5m', mode: 'popup' })
    expect(assign).toHaveBeenCalledTimes(1)
  })
})
