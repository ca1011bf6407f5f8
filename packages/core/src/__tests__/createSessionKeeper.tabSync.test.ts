// @vitest-environment jsdom
// Several keepers in one process on one in-memory channel (broadcast-channel's `simulate`),
// each with its own scripted server: DESIGN §4 and issue 4. The keepers share a hand-moved clock
// (`clock` option); broadcast-channel and its message-based election run on real timers, and
// tests wait on keeper state or channel messages, never on time.
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { parseSession } from '../parseSession.js'
import type { SessionState } from '../types.js'
import { aal2Required, type FakeKratos, kratosSession, UNAUTHORIZED } from './fakeKratosFetch.js'
import { BASE, setVisibility, type Tab, useTabKeepers } from './keeperKit.js'
import {
  type ChannelSpy,
  type HandClock,
  holdLeadership,
  type Raw,
  settle,
  until,
  whoamis,
} from './tabKit.js'

const LOGOUT_URL = `${BASE}/self-service/logout?token=ory_lo_abc`
const SECOND = 1_000
const MINUTE = 60_000
let name: string
let clock: HandClock
let spy: ChannelSpy

/** A keeper in a "tab" of its own: its own server script, the shared clock and channel. */
const { setup: tab, cleanups } = useTabKeepers({
  onEach: (rig) => ({ name, clock, spy } = rig),
  page: { visible: true },
  defaults: (rig) => ({ tabSync: { channel: rig.name, method: 'simulate' } }),
})

/** A whoami body as of the hand clock's now. */
const session = (options: Parameters<typeof kratosSession>[0] = {}) =>
  kratosSession({ now: clock.now(), ...options })

const authenticated = (state: SessionState) => state.status === 'authenticated'

/** The first of `tabs` to become leader. */
const leaderOf = (tabs: Tab[]) =>
  Promise.race(tabs.map((t) => until(t.keeper, (state) => state.isLeader).then(() => t)))

const leaders = (tabs: Tab[]) => tabs.filter((t) => t.keeper.getState().isLeader)

/** `count` keepers started together, every server signed in; resolves once all show the session. */
async function signedInTabs(count: number) {
  const body = session()
  const tabs = Array.from({ length: count }, () => tab())
  for (const t of tabs) t.kratos.always({ status: 200, body })
  for (const t of tabs) t.keeper.start()
  const leader = await leaderOf(tabs)
  await Promise.all(tabs.map((t) => until(t.keeper, authenticated)))
  await spy.barrier(count)
  return { tabs, leader, followers: tabs.filter((t) => t !== leader) }
}

/** A tab that holds the leadership and never answers anything. */
const silentLeader = () => holdLeadership(name, cleanups)

/** The hand-clock times of whoami requests, relative to `from`. */
function recordTimes(kratos: FakeKratos, from = clock.now()) {
  const times: number[] = []
  const original = kratos.mock.getMockImplementation() as typeof fetch
  kratos.mock.mockImplementation(async (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/sessions/whoami')) {
      times.push(clock.now() - from)
    }
    return original(input, init)
  })
  return times
}

const hide = () => {
  setVisibility('hidden')
  document.dispatchEvent(new Event('visibilitychange'))
}

describe('leader election', () => {
  it('should elect exactly one leader among three keepers, and only the leader asks the server', async () => {
    const { tabs, leader, followers } = await signedInTabs(3)

    expect(leaders(tabs)).toEqual([leader])
    expect(whoamis(leader.kratos)).toBe(1)
    for (const follower of followers) expect(whoamis(follower.kratos)).toBe(0)

    await clock.advance(MINUTE)
    await clock.advance(MINUTE)

    expect(whoamis(leader.kratos)).toBe(3)
    for (const follower of followers) expect(whoamis(follower.kratos)).toBe(0)
    expect(leaders(tabs)).toEqual([leader])
  })

  it('should make another keeper leader when the leader keeper stops during a request, without errors', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const { leader, followers } = await signedInTabs(3)
    const pending = leader.kratos.pending()
    await clock.advance(MINUTE)
    expect(whoamis(leader.kratos)).toBe(2)

    leader.keeper.stop()
    const next = await leaderOf(followers)
    await pending.resolve({ status: 200, body: session() })
    await spy.barrier(2)

    expect(leaders(followers)).toEqual([next])
    expect(leader.keeper.getState().isLeader).toBe(false)
    // The poll was due: the new leader makes it, the other follower still does not.
    await clock.advance(0)
    expect(whoamis(next.kratos)).toBe(1)
    expect(followers.filter((t) => t !== next).map((t) => whoamis(t.kratos))).toEqual([0])
    await clock.advance(MINUTE)
    expect(whoamis(next.kratos)).toBe(2)
    expect(debug).not.toHaveBeenCalled()
  })

  it('should leave exactly one leader and no "Channel is closed" error after stop, start, stop, start', async () => {
    const logged = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const body = session()
    const tabs = [tab({ debug: true }), tab({ debug: true }), tab({ debug: true })]
    for (const t of tabs) t.kratos.always({ status: 200, body })
    const [a, b, c] = tabs as [Tab, Tab, Tab]

    b.keeper.start()
    c.keeper.start()
    a.keeper.start()
    a.keeper.stop()
    a.keeper.start()
    a.keeper.stop()
    a.keeper.start()
    await leaderOf(tabs)
    await Promise.all(tabs.map((t) => until(t.keeper, authenticated)))
    await spy.barrier(3)
    expect(leaders(tabs)).toHaveLength(1)

    a.keeper.stop()
    await leaderOf([b, c])
    await spy.barrier(2)

    expect(leaders(tabs)).toHaveLength(1)
    expect(a.keeper.getState().isLeader).toBe(false)
    const errors = logged.mock.calls
      .flat()
      .filter((arg) => arg instanceof Error || /closed/i.test(String(arg)))
    expect(errors).toEqual([])
  })
})

describe('followers', () => {
  it("should apply the leader's answers, and an unchanged answer does not notify their listeners", async () => {
    const { leader, followers } = await signedInTabs(3)
    const [follower] = followers as [Tab]
    expect(follower.keeper.getState()).toMatchObject({
      status: 'authenticated',
      session: leader.keeper.getState().session,
      lastCheckedAt: leader.keeper.getState().lastCheckedAt,
      isLeader: false,
    })
    const listener = vi.fn()
    follower.keeper.subscribe(listener)
    const before = follower.keeper.getState().session

    await clock.advance(MINUTE)
    await spy.next((message) => message.type === 'state' && message.at === clock.now())
    await spy.barrier(3)

    expect(listener).not.toHaveBeenCalled()
    expect(follower.keeper.getState().session).toBe(before)
    expect(follower.keeper.getState().lastCheckedAt).toBe(clock.now())

    leader.kratos.always({ status: 200, body: session({ email: 'new@example.org' }) })
    await clock.advance(MINUTE)
    const changed = await until(
      follower.keeper,
      (s) => s.session?.identity?.traits.email === 'new@example.org',
    )

    expect(listener).toHaveBeenCalledOnce()
    expect(changed.session).toEqual(leader.keeper.getState().session)
    expect(whoamis(follower.kratos)).toBe(0)
  })

  it('should ask the leader when it comes back on screen with an old state; the leader checks once for all', async () => {
    const { leader, followers } = await signedInTabs(3)
    leader.kratos.always({ status: 200, body: session({ email: 'new@example.org' }) })
    await clock.advance(31 * SECOND)
    const from = spy.messages.length

    document.dispatchEvent(new Event('visibilitychange'))
    await Promise.all(
      followers.map((f) => until(f.keeper, (s) => s.session?.identity?.traits.email === 'new@example.org')),
    )
    await spy.barrier(3)

    const asks = spy.messages.slice(from).filter((message) => message.type === 'ask')
    expect(asks.map((ask) => ask.maxAge)).toEqual([30 * SECOND, 30 * SECOND])
    expect(whoamis(leader.kratos)).toBe(2)
    await clock.advance(SECOND)
    for (const follower of followers) expect(whoamis(follower.kratos)).toBe(0)
  })

  it('should check by itself when the leader does not answer within 1 s', async () => {
    await silentLeader()
    const follower = tab({ initialSession: parseSession(session()) })
    follower.kratos.always({ status: 200, body: session({ email: 'new@example.org' }) })
    follower.keeper.start()
    await spy.nextInternal((message) => message.action === 'tell')
    await clock.advance(31 * SECOND)

    document.dispatchEvent(new Event('visibilitychange'))
    await spy.next((message) => message.type === 'ask' && message.maxAge === 30 * SECOND)
    await clock.advance(SECOND - 1)
    expect(whoamis(follower.kratos)).toBe(0)
    await clock.advance(1)

    expect(whoamis(follower.kratos)).toBe(1)
    await until(follower.keeper, (s) => s.session?.identity?.traits.email === 'new@example.org')
    expect(follower.keeper.getState().isLeader).toBe(false)
  })
})

describe("the leader's failures", () => {
  it('should make every follower stale with the typed error, without a request, until the next good answer', async () => {
    const onError = vi.fn()
    const { leader, followers } = await signedInTabs(3)
    leader.kratos.always({ status: 503, body: {} })
    await clock.advance(MINUTE)
    const stale = await Promise.all(followers.map((f) => until(f.keeper, (s) => s.stale)))

    for (const state of stale) {
      expect(state).toMatchObject({ status: 'authenticated', error: { name: 'ServerError', status: 503 } })
      expect(state.session).toEqual(leader.keeper.getState().session)
    }
    for (const f of followers) f.keeper.on('error', onError)
    leader.kratos.always({ status: 200, body: session() })
    await clock.advance(2 * SECOND) // the first backoff is at most 2 s
    await Promise.all(followers.map((f) => until(f.keeper, (s) => !s.stale && s.error === null)))
    expect(followers.map((f) => whoamis(f.kratos))).toEqual([0, 0])
    expect(onError).not.toHaveBeenCalled()
  })

  it('should keep a new tab from asking the server while the leader never had an answer', async () => {
    const first = tab()
    first.kratos.always({ status: 503, body: {} })
    first.keeper.start()
    await until(first.keeper, (s) => s.isLeader && s.stale)
    const second = tab()
    second.kratos.always({ status: 200, body: session() })
    second.keeper.start()

    const state = await until(second.keeper, (s) => s.stale)
    expect(state).toMatchObject({ status: 'loading', error: { name: 'ServerError', status: 503 } })
    await clock.advance(SECOND)
    await spy.barrier(2)
    expect(whoamis(second.kratos)).toBe(0)
    // The leader's first good answer reaches it.
    first.kratos.always({ status: 200, body: session() })
    await clock.advance(5 * SECOND) // past the second backoff (at most 4 s)
    expect(await until(second.keeper, authenticated)).toMatchObject({ stale: false, error: null })
    expect(whoamis(second.kratos)).toBe(0)
  })
})

describe('a leader whose first answer is slow', () => {
  /** Waits until the new tab asked and heard the leader's promise of an answer. */
  /**
   * A leader whose first whoami hangs until the test settles it, then a new tab, started; resolves
   * once the new tab asked and heard the leader's promise of an answer.
   */
  async function slowLeaderAndNewTab() {
    const first = tab()
    const slow = first.kratos.pending()
    first.keeper.start()
    await until(first.keeper, (s) => s.isLeader)
    const second = tab()
    second.kratos.always({ status: 200, body: session() })
    const from = spy.messages.length
    second.keeper.start()
    const asked = spy.messages.indexOf(await spy.next((m) => m.type === 'ask', from))
    await spy.next((m) => m.type === 'state' && m.status === 'loading', asked)
    await spy.barrier(2)
    return { first, slow, second }
  }

  it('should make a new tab wait for its answer instead of asking the server too', async () => {
    const { first, slow, second } = await slowLeaderAndNewTab()
    // The new tab waits past the second it would otherwise give the other tabs.
    await clock.advance(5 * SECOND)
    expect(whoamis(second.kratos)).toBe(0)
    await slow.resolve({ status: 200, body: session() })
    await until(second.keeper, authenticated)
    expect(whoamis(second.kratos)).toBe(0)
    expect(whoamis(first.kratos)).toBe(1)
  })

  it('should ask the server itself when the leader never answers within the request timeout', async () => {
    const { second } = await slowLeaderAndNewTab()
    await clock.advance(10 * SECOND) // the default timeout; the wait ends a second after it
    expect(whoamis(second.kratos)).toBe(0)
    await clock.advance(SECOND)
    await until(second.keeper, authenticated)
    expect(whoamis(second.kratos)).toBe(1)
  })
})

describe('the leader answering asks', () => {
  it('should answer from its state without a request when recent enough', async () => {
    const { leader } = await signedInTabs(1)
    await clock.advance(10 * SECOND)
    const from = spy.messages.length

    await spy.post({ v: 1, from: 'asker', type: 'ask', maxAge: 30 * SECOND })
    const answer = await spy.next((message) => message.type === 'state', from)

    expect(answer).toMatchObject({ status: 'authenticated', at: leader.keeper.getState().lastCheckedAt })
    expect(whoamis(leader.kratos)).toBe(1)
  })

  it('should check once for several asks arriving while its check is in flight', async () => {
    const { leader } = await signedInTabs(1)
    await clock.advance(40 * SECOND)
    const pending = leader.kratos.pending()

    await Promise.all(
      [1, 2, 3].map((i) => spy.post({ v: 1, from: `asker-${i}`, type: 'ask', maxAge: 30 * SECOND })),
    )
    await spy.barrier(1)
    expect(whoamis(leader.kratos)).toBe(2)
    await pending.resolve({ status: 200, body: session() })
    await spy.next((message) => message.type === 'state' && message.at === clock.now())
    await spy.barrier(1)

    expect(whoamis(leader.kratos)).toBe(2)
  })
})

describe('new keepers', () => {
  it('should show a recent state from the other tabs without a request', async () => {
    const [first] = (await signedInTabs(1)).tabs as [Tab]
    await clock.advance(10 * SECOND)
    const second = tab()
    second.kratos.always({ status: 200, body: session() })

    second.keeper.start()
    const state = await until(second.keeper, authenticated)

    expect(state.lastCheckedAt).toBe(first.keeper.getState().lastCheckedAt)
    expect(state.session).toEqual(first.keeper.getState().session)
    await clock.advance(SECOND)
    expect(whoamis(second.kratos)).toBe(0)
    expect(whoamis(first.kratos)).toBe(1)
    expect(second.keeper.getState().isLeader).toBe(false)
  })

  it('should have the leader check first when its state is older than pollInterval', async () => {
    setVisibility('hidden') // the leader then polls every hiddenPollInterval
    const [first] = (await signedInTabs(1)).tabs as [Tab]
    await clock.advance(2 * MINUTE)
    expect(whoamis(first.kratos)).toBe(1)
    const second = tab()

    second.keeper.start()
    const state = await until(second.keeper, authenticated)

    expect(state.lastCheckedAt).toBe(clock.now())
    expect(whoamis(first.kratos)).toBe(2)
    expect(whoamis(second.kratos)).toBe(0)
  })

  it('should ask the server itself, and tell the others, when it comes back from a login', async () => {
    const [first] = (await signedInTabs(1)).tabs as [Tab]
    await clock.advance(10 * SECOND)
    // The page that sent the user to the login loads again: the guard remembers the round trip.
    sessionStorage.setItem(
      'session-keeper:reauth',
      JSON.stringify({ r: 'login', at: clock.now() - 5 * SECOND }),
    )
    onTestFinished(() => sessionStorage.removeItem('session-keeper:reauth'))
    const fresher = session({ authenticatedAgo: 0 })
    const back = tab()
    back.kratos.always({ status: 200, body: fresher })

    back.keeper.start()
    await until(first.keeper, (state) => state.session?.authenticated_at?.getTime() === clock.now())

    expect(whoamis(back.kratos)).toBe(1)
    expect(whoamis(first.kratos)).toBe(1)
  })

  it('should confirm a signed-out answer with the server, and tell the others: the page may end a sign-in', async () => {
    const first = tab()
    first.kratos.reply(401, UNAUTHORIZED)
    first.keeper.start()
    await until(first.keeper, (state) => state.status === 'unauthenticated' && state.isLeader)
    await clock.advance(10 * SECOND)
    // The user signed in on Kratos's page, which sent this new page back: the cookie is there now.
    const back = tab()
    back.kratos.always({ status: 200, body: session() })
    first.kratos.always({ status: 200, body: session() })

    back.keeper.start()
    await until(first.keeper, authenticated)

    expect(back.keeper.getState().status).toBe('authenticated')
    expect(whoamis(back.kratos)).toBe(1)
    expect(whoamis(first.kratos)).toBe(1) // only its first check: the news came from the new tab
  })

  it('should check after 1 s when no tab answers', async () => {
    await silentLeader()
    const newcomer = tab()
    newcomer.kratos.always({ status: 200, body: session() })

    newcomer.keeper.start()
    await spy.next((message) => message.type === 'ask')
    await spy.nextInternal((message) => message.action === 'tell')
    await clock.advance(SECOND - 1)
    expect(whoamis(newcomer.kratos)).toBe(0)
    await clock.advance(1)

    expect(whoamis(newcomer.kratos)).toBe(1)
    await until(newcomer.keeper, authenticated)
  })
})

describe('received states', () => {
  it('should drop a state older than, or as old as, the one it holds', async () => {
    const { leader } = await signedInTabs(1)
    const at = leader.keeper.getState().lastCheckedAt as number
    await clock.advance(5 * SECOND)
    const signedOut = (time: number) => ({
      v: 1,
      from: 'other-tab',
      type: 'state',
      at: time,
      status: 'unauthenticated',
      session: null,
      aal2RedirectTo: null,
      clockSkew: 0,
    })

    await spy.post(signedOut(at - 1))
    await spy.post(signedOut(at))
    await spy.barrier(1)
    expect(leader.keeper.getState().status).toBe('authenticated')

    await spy.post(signedOut(at + 1))
    await until(leader.keeper, (s) => s.status === 'unauthenticated')
  })

  it('should never send on a state it applied', async () => {
    const { tabs } = await signedInTabs(3)
    const states = () => spy.ofType('state')
    expect(new Set(states().map((message) => message.from)).size).toBe(1)
    const sent = states().length

    await clock.advance(SECOND)
    await spy.post({
      v: 1,
      from: 'other-tab',
      type: 'state',
      at: clock.now(),
      status: 'unauthenticated',
      session: null,
      aal2RedirectTo: null,
      clockSkew: 0,
    })
    await Promise.all(tabs.map((t) => until(t.keeper, (s) => s.status === 'unauthenticated')))
    await spy.barrier(3)

    expect(states()).toHaveLength(sent)
    expect(spy.ofType('hint')).toEqual([])
  })
})

describe('sign-in, sign-out, step-up and logout across tabs', () => {
  it('should carry each change made in one keeper to the others at once', async () => {
    const leader = tab()
    leader.kratos.always({ status: 401, body: UNAUTHORIZED })
    leader.keeper.start()
    await until(leader.keeper, (s) => s.status === 'unauthenticated' && s.isLeader)
    const other = tab()
    other.keeper.start()
    await until(other.keeper, (s) => s.status === 'unauthenticated')
    const listen = (t: Tab) => until(leader.keeper, (s) => s.status === t.keeper.getState().status)

    // Sign-in in the other tab (the app checks after its login returns).
    await clock.advance(SECOND)
    other.kratos.reply(200, session())
    await other.keeper.check()
    await listen(other)
    expect(leader.keeper.getState().session).toEqual(other.keeper.getState().session)

    // Step-up required.
    await clock.advance(SECOND)
    other.kratos.reply(403, aal2Required())
    await other.keeper.check()
    await until(leader.keeper, (s) => s.status === 'aal2-required')
    expect(leader.keeper.getState().aal2RedirectTo).toBe(other.keeper.getState().aal2RedirectTo)

    // Signed in again, then signed out by the server.
    await clock.advance(SECOND)
    other.kratos.reply(200, session())
    await other.keeper.check()
    await until(leader.keeper, authenticated)
    await clock.advance(SECOND)
    other.kratos.reply(401, UNAUTHORIZED)
    await other.keeper.check()
    await until(leader.keeper, (s) => s.status === 'unauthenticated')

    // Signed in again, then logout().
    await clock.advance(SECOND)
    other.kratos.reply(200, session())
    await other.keeper.check()
    await until(leader.keeper, authenticated)
    await clock.advance(SECOND)
    other.kratos.reply(200, { logout_url: LOGOUT_URL, logout_token: 'ory_lo_abc' }).reply(204)
    await other.keeper.logout()
    await until(leader.keeper, (s) => s.status === 'unauthenticated' && s.session === null)

    expect(whoamis(leader.kratos)).toBe(1)
  })

  it('should not bring the session back with an answer that started before another tab signed out', async () => {
    const { leader, followers } = await signedInTabs(2)
    const [other] = followers as [Tab]
    const pending = leader.kratos.pending()
    await clock.advance(MINUTE) // the leader's poll is on its way

    other.kratos.reply(200, { logout_url: LOGOUT_URL, logout_token: 'ory_lo_abc' }).reply(204)
    await other.keeper.logout()
    await until(leader.keeper, (s) => s.status === 'unauthenticated')
    await clock.advance(100)
    // The server answered the poll before the logout reached it.
    await pending.resolve({ status: 200, body: session() })
    await spy.barrier(2)

    expect(leader.keeper.getState().status).toBe('unauthenticated')
    expect(other.keeper.getState().status).toBe('unauthenticated')
  })
})

describe('token mode', () => {
  const TOKEN = 'ory_st_secret-token'

  it('should send only hints between tabs, never a session or the token', async () => {
    const leader = tab({ sessionToken: TOKEN })
    const body = session({ email: 'secret@example.org' })
    leader.kratos.always({ status: 200, body })
    leader.keeper.start()
    await until(leader.keeper, (s) => authenticated(s) && s.isLeader)
    const other = tab({ sessionToken: TOKEN })
    other.kratos.always({ status: 200, body })
    other.keeper.start()
    await spy.next((message) => message.type === 'ask')
    await clock.advance(SECOND) // nothing can answer with a session: the new tab asks the server
    await until(other.keeper, authenticated)

    // Signed out elsewhere: the server now says so to every tab that asks.
    for (const t of [leader, other]) t.kratos.always({ status: 401, body: UNAUTHORIZED })
    await clock.advance(MINUTE)
    await until(other.keeper, (s) => s.status === 'unauthenticated')
    await spy.barrier(2)

    expect(spy.ofType('state')).toEqual([])
    expect(spy.ofType('hint').length).toBeGreaterThan(0)
    for (const hint of spy.ofType('hint'))
      expect(Object.keys(hint).sort()).toEqual(['at', 'from', 'type', 'v'])
    const wire = JSON.stringify(spy.messages)
    for (const secret of [TOKEN, 'secret-token', body.id, 'secret@example.org', 'identity-1']) {
      expect(wire).not.toContain(secret)
    }
    expect(other.kratos.requests.at(-1)?.headers.get('x-session-token')).toBe(TOKEN)
  })

  it('should not hint back after checking the server because of a hint', async () => {
    const body = session()
    const tabs = [tab({ sessionToken: TOKEN }), tab({ sessionToken: TOKEN }), tab({ sessionToken: TOKEN })]
    for (const t of tabs) t.kratos.always({ status: 200, body })
    for (const t of tabs) t.keeper.start()
    const leader = await leaderOf(tabs)
    const followers = tabs.filter((t) => t !== leader)
    await clock.advance(SECOND) // nothing answers a new tab with a session: each asks the server
    await Promise.all(tabs.map((t) => until(t.keeper, authenticated)))
    await spy.barrier(3)
    const counts = () => tabs.map((t) => whoamis(t.kratos))
    const before = counts()
    const from = spy.messages.length

    for (const t of tabs) t.kratos.always({ status: 401, body: UNAUTHORIZED })
    await clock.advance(MINUTE)
    await Promise.all(followers.map((f) => until(f.keeper, (s) => s.status === 'unauthenticated')))
    await spy.barrier(3)

    const hints = spy.messages.slice(from).filter((message: Raw) => message.type === 'hint')
    expect(hints.map((hint) => hint.from)).toHaveLength(1)
    expect(leaders(tabs)).toEqual([leader])
    // One request per tab: the leader's poll, and each follower's check after the hint.
    expect(counts()).toEqual(before.map((count) => count + 1))
  })
})

describe('poll cadence across tabs', () => {
  it('should keep pollInterval while another tab is on screen although the leader is hidden', async () => {
    const { leader } = await signedInTabs(1)
    await spy.post({ v: 1, from: 'visible-tab', type: 'visible', visible: true })
    await spy.barrier(1)
    const times = recordTimes(leader.kratos)

    hide()
    // Going off screen, the leader takes a roll call; the other tab answers it, as a live tab does.
    await spy.post({ v: 1, from: 'visible-tab', type: 'visible', visible: true })
    await spy.barrier(1)
    await clock.advance(3 * MINUTE)

    expect(times).toEqual([MINUTE, 2 * MINUTE, 3 * MINUTE])
  })

  it('should forget a tab that crashed while on screen once the leader goes off screen', async () => {
    const { leader } = await signedInTabs(1)
    await spy.post({ v: 1, from: 'crashed-tab', type: 'visible', visible: true })
    await spy.barrier(1)
    const times = recordTimes(leader.kratos)

    hide() // the roll call gets no answer from the crashed tab
    await spy.barrier(1)
    await clock.advance(10 * MINUTE)

    expect(times).toEqual([5 * MINUTE, 10 * MINUTE])
  })

  it('should poll at hiddenPollInterval once every tab is hidden', async () => {
    const { leader } = await signedInTabs(2)
    const times = recordTimes(leader.kratos)

    hide()
    await spy.barrier(2) // the follower's "hidden" has reached the leader
    await clock.advance(10 * MINUTE)

    expect(times).toEqual([5 * MINUTE, 10 * MINUTE])
  })

  it('should come back to pollInterval when another tab comes on screen while the leader is hidden', async () => {
    const { leader } = await signedInTabs(1)
    const times = recordTimes(leader.kratos)
    hide()
    await clock.advance(10 * SECOND)

    await spy.post({ v: 1, from: 'visible-tab', type: 'visible', visible: true })
    await spy.barrier(1)
    await clock.advance(2 * MINUTE - 10 * SECOND)

    expect(times).toEqual([MINUTE, 2 * MINUTE])
  })

  it('should not poll from a stopped keeper', async () => {
    const { leader } = await signedInTabs(1)
    leader.keeper.stop()

    await clock.advance(10 * MINUTE)
    await settle()

    expect(whoamis(leader.kratos)).toBe(1)
  })
})
