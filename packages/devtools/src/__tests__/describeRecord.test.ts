// The event log's line for another tab's answer, with and without the failure it may carry.
import { NetworkError, ServerError } from '@session-keeper/core'
import { describe, expect, it } from 'vitest'
import { describeRecord } from '../describeRecord.js'

describe('describeRecord: heard', () => {
  const heard = (applied: boolean, error?: Error) =>
    describeRecord({ type: 'heard', at: 0, answeredAt: 0, applied, error: error as NetworkError | undefined })

  it("should say whether another tab's answer was applied", () => {
    expect(heard(true)).toBe("another tab's answer applied")
    expect(heard(false)).toBe("another tab's answer dropped: not newer than ours")
  })

  it("should name the failure another tab's check had, not call it a dropped answer", () => {
    expect(heard(false, new ServerError('whoami answered 503', 503))).toBe(
      "another tab's check failed: ServerError: whoami answered 503",
    )
    expect(heard(true, new NetworkError('whoami failed: down'))).toBe(
      "another tab's check failed: NetworkError: whoami failed: down (its last answer applied)",
    )
  })
})
