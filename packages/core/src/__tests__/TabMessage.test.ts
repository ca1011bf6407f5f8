// The protocol between tabs as pure functions: what stateMessage writes, readTabMessage and
// remoteState read back, through JSON as a channel fallback would carry it. connectTabs.test.ts
// tests the same over a channel, with the table of malformed messages and a fuzzer.
import { describe, expect, it } from 'vitest'
import { NetworkError } from '../SessionKeeperError.js'
import { readTabMessage, remoteState, stateMessage } from '../TabMessage.js'
import type { SessionState } from '../types.js'
import { keptState, T0 } from './unitKit.js'

const state = (partial: Partial<SessionState> = {}) => keptState({ clockSkew: 1_000, ...partial })

/** The message for `s` as another tab reads it. */
function roundTrip(s: SessionState) {
  const body = stateMessage(s)
  const message = readTabMessage(JSON.parse(JSON.stringify({ v: 1, from: 'tab', ...body })))
  return message?.type === 'state' ? remoteState(message) : null
}

describe('TabMessage', () => {
  it('should read back the state it writes, Dates revived', () => {
    const sent = state()
    expect(roundTrip(sent)).toEqual({
      at: T0,
      status: 'authenticated',
      session: sent.session,
      aal2RedirectTo: null,
      clockSkew: 1_000,
      secondFactorUnavailable: false,
    })
  })

  it("should carry a failed check's error, and let a tab without an answer send only that", () => {
    const error = new NetworkError('whoami failed: down')
    expect(roundTrip(state({ stale: true, error }))?.error).toEqual(error)
    const loading = roundTrip(
      state({ status: 'loading', session: null, lastCheckedAt: null, stale: true, error }),
    )
    expect(loading).toMatchObject({ status: 'loading', at: 0, session: null, error })
  })

  it('should write a loading state without a failure as a promise of an answer', () => {
    const pending = state({ status: 'loading', session: null, lastCheckedAt: null })
    expect(stateMessage(pending)).toMatchObject({
      type: 'state',
      status: 'loading',
      at: 0,
      failure: undefined,
    })
    expect(roundTrip(pending)).toEqual({
      at: 0,
      status: 'loading',
      session: null,
      aal2RedirectTo: null,
      clockSkew: 1_000,
      secondFactorUnavailable: false,
    })
  })
})
