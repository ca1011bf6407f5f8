// @vitest-environment jsdom
// secondFactorUnavailable across tabs (issue 12 point 5): the tab that proves it tells the others
// in its state message, and aal2 arriving anywhere ends it everywhere. Keepers share a hand clock
// and an in-memory channel (see createSessionKeeper.tabSync.test.ts); tests wait on state.
import { describe, expect, it, onTestFinished } from 'vitest'
import type { SessionState } from '../types.js'
import { kratosSession } from './fakeKratosFetch.js'
import { type Tab, useTabKeepers } from './keeperKit.js'
import { type ChannelSpy, type HandClock, until, whoamis } from './tabKit.js'

const SECOND = 1_000
let clock: HandClock
let spy: ChannelSpy

const { setup: tab } = useTabKeepers({
  onEach: (rig) => ({ clock, spy } = rig),
  page: { visible: true, sessionStorage: true },
  defaults: (rig) => ({ tabSync: { channel: rig.name, method: 'simulate' } }),
})

const session = (options: Parameters<typeof kratosSession>[0] = {}) =>
  kratosSession({ now: clock.now(), ...options })
const authenticated = (state: SessionState) => state.status === 'authenticated'

/** Two signed-in tabs at aal1: the leader and a follower. */
async function twoTabs() {
  const body = session({ aal: 'aal1' })
  const tabs = [tab(), tab()] as [Tab, Tab]
  for (const t of tabs) t.kratos.always({ status: 200, body })
  for (const t of tabs) t.keeper.start()
  const leader = await Promise.race(tabs.map((t) => until(t.keeper, (state) => state.isLeader).then(() => t)))
  await Promise.all(tabs.map((t) => until(t.keeper, authenticated)))
  await spy.barrier(2)
  return { leader, follower: tabs.find((t) => t !== leader) as Tab }
}

/** A page of this app loading again just back from an aal2 login that came back at aal1. */
function backFromAal2Login() {
  sessionStorage.setItem(
    'session-keeper:reauth',
    JSON.stringify({ r: 'aal2 login', at: clock.now() - 5 * SECOND, aal2: true }),
  )
  onTestFinished(() => sessionStorage.removeItem('session-keeper:reauth'))
  const back = tab()
  back.kratos.always({ status: 200, body: session({ aal: 'aal1' }) })
  back.keeper.start()
  return back
}

const unavailable = (state: SessionState) => state.secondFactorUnavailable

describe('secondFactorUnavailable between tabs', () => {
  it('should reach the other tabs, followers included, from the tab that proved it', async () => {
    const { leader, follower } = await twoTabs()
    await clock.advance(10 * SECOND)
    const back = backFromAal2Login()

    await until(back.keeper, unavailable)
    expect(whoamis(back.kratos)).toBe(1)
    await until(follower.keeper, unavailable)
    await until(leader.keeper, unavailable)
    expect(follower.keeper.getState()).toMatchObject({ status: 'authenticated', isLeader: false })
  })

  it('should end in every tab once a session with aal2 arrives', async () => {
    const { leader, follower } = await twoTabs()
    await clock.advance(10 * SECOND)
    const back = backFromAal2Login()
    await until(follower.keeper, unavailable)

    await clock.advance(SECOND)
    leader.kratos.reply(200, session({ aal: 'aal2' }))
    await leader.keeper.check({ force: true })
    expect(leader.keeper.getState().secondFactorUnavailable).toBe(false)
    await until(follower.keeper, (state) => !state.secondFactorUnavailable)
    await until(back.keeper, (state) => !state.secondFactorUnavailable)
  })
})
