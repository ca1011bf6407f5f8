// @vitest-environment jsdom
// autoExtend across tabs (issue 7): activity in a follower reaches the leader, which extends once
// for every tab and checks; its answer brings the new expires_at to the follower, which asks
// nothing itself. Keepers share an in-memory channel and a hand clock, as in the tabSync tests.
import { describe, expect, it } from 'vitest'
import { kratosSession } from './fakeKratosFetch.js'
import { APP, type Tab, useTabKeepers } from './keeperKit.js'
import { type ChannelSpy, type HandClock, until, whoamis } from './tabKit.js'

const SECOND = 1_000
const MINUTE = 60_000
const EXTEND_URL = `${APP}/api/session/extend`
let clock: HandClock
let spy: ChannelSpy

const { setup: tab } = useTabKeepers({
  onEach: (rig) => ({ clock, spy } = rig),
  page: { visible: true },
  defaults: (rig) => ({
    tabSync: { channel: rig.name, method: 'simulate' },
    extend: { url: '/api/session/extend' },
  }),
})

let act: (tab: Tab) => void

const extensions = (t: Tab) =>
  t.kratos.requests.filter((r) => r.method === 'POST' && r.url === EXTEND_URL).length

/**
 * Two tabs signed in with `expiresIn` left; resolves with the leader and the follower. The tabs
 * share the test's window, so each listens to an activity event of its own (`act(tab)`).
 */
async function twoTabs(expiresIn: number) {
  const body = kratosSession({ now: clock.now(), expiresIn })
  const tabs = [0, 1].map((i) =>
    tab({ autoExtend: { earliestPossibleExtend: '10m', activityEvents: [`activity-${i}`] } }),
  )
  act = (t) => window.dispatchEvent(new Event(`activity-${tabs.indexOf(t)}`))
  for (const t of tabs) t.kratos.always({ status: 200, body })
  for (const t of tabs) t.keeper.start()
  const leader = await Promise.race(tabs.map((t) => until(t.keeper, (s) => s.isLeader).then(() => t)))
  await Promise.all(tabs.map((t) => until(t.keeper, (s) => s.status === 'authenticated')))
  await spy.barrier(2)
  return { leader, follower: tabs.find((t) => t !== leader) as Tab }
}

describe('autoExtend with tab sync', () => {
  it('should extend once, in the leader, for activity in a follower, and bring the new expires_at to it', async () => {
    const { leader, follower } = await twoTabs(5 * MINUTE)
    await clock.advance(SECOND) // answers are ordered by the time they arrive
    const extended = kratosSession({ now: clock.now(), expiresIn: 60 * MINUTE })
    leader.kratos.reply(200, { extended: true }).always({ status: 200, body: extended })
    const followerWhoamis = whoamis(follower.kratos)

    act(follower)
    await until(follower.keeper, (s) => s.session?.expires_at?.getTime() === Date.parse(extended.expires_at))

    expect(extensions(leader)).toBe(1)
    expect(extensions(follower)).toBe(0)
    expect(whoamis(follower.kratos)).toBe(followerWhoamis)
    expect(follower.keeper.timeLeft()).toBe(60 * MINUTE)
  })

  it('should send nothing, not even a message, for activity outside the window', async () => {
    const { leader, follower } = await twoTabs(30 * MINUTE)
    const before = spy.messages.length

    act(follower)
    await spy.barrier(2)

    expect(spy.messages.slice(before).filter((m) => m.type === 'active')).toEqual([])
    expect(extensions(leader) + extensions(follower)).toBe(0)
  })
})
