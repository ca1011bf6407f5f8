// @vitest-environment jsdom
// keeper.inspect between tabs (issue 19): what another tab sent and what became of its answer,
// for keepers on one in-memory channel (as createSessionKeeper.tabSync.test.ts).
import { describe, expect, it } from 'vitest'
import type { InspectRecord } from '../InspectRecord.js'
import type { SessionState } from '../types.js'
import { kratosSession } from './fakeKratosFetch.js'
import { type Tab, useTabKeepers } from './keeperKit.js'
import { type HandClock, type Raw, until } from './tabKit.js'

let clock: HandClock
const { setup: tab } = useTabKeepers({
  onEach: (rig) => ({ clock } = rig),
  page: { visible: true },
  defaults: (rig) => ({ tabSync: { channel: rig.name, method: 'simulate' } }),
})

const authenticated = (state: SessionState) => state.status === 'authenticated'
const recordAll = (t: Tab) => {
  const records: InspectRecord[] = []
  t.keeper.inspect((record) => records.push(record))
  return records
}

describe('keeper.inspect between tabs', () => {
  it("should record the other tab's messages by sender and kind, and its answer as applied", async () => {
    const body = kratosSession({ now: clock.now() })
    const first = tab()
    first.kratos.always({ status: 200, body })
    const firstRecords = recordAll(first)
    first.keeper.start()
    await until(first.keeper, (state) => state.isLeader && authenticated(state))

    const second = tab()
    second.kratos.always({ status: 200, body })
    const secondRecords = recordAll(second)
    second.keeper.start()
    await until(second.keeper, authenticated)

    // The new tab asked; the leader answered with its state, which the follower applied.
    const kinds = (records: InspectRecord[]) =>
      records.flatMap((record) => (record.type === 'message' ? [record.kind] : []))
    expect(kinds(secondRecords)).toContain('state')
    expect(secondRecords).toContainEqual(expect.objectContaining({ type: 'heard', applied: true }))
    expect(second.keeper.getState().isLeader).toBe(false)
    expect(kinds(firstRecords)).toEqual(expect.arrayContaining(['visible', 'ask']))
    // One sender id for every message of the second tab, never a session in the record.
    const senders = new Set(
      firstRecords.flatMap((record) => (record.type === 'message' ? [record.from] : [])),
    )
    expect(senders.size).toBe(1)
    const messages = secondRecords.filter((record) => record.type === 'message') as Raw[]
    expect(messages.every((record) => !('session' in record))).toBe(true)
  })
})
