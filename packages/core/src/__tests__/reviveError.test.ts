// An error as it travels between tabs: what stateMessage writes of it, revived, is the error
// again, class and fields included, for each failure a check can have; anything else is refused.
import { describe, expect, it } from 'vitest'
import { reviveError, type SentError } from '../reviveError.js'
import {
  InvalidResponseError,
  NetworkError,
  RateLimitedError,
  ReauthLoopError,
  ServerError,
  type SessionKeeperError,
} from '../SessionKeeperError.js'
import { stateMessage } from '../TabMessage.js'
import { keptState } from './unitKit.js'

/** The error as `stateMessage` sends it with a stale state. */
function sent(error: SessionKeeperError): SentError {
  const message = stateMessage(keptState({ stale: true, error }))

  if (message?.type !== 'state' || !message.failure) throw new Error('no failure sent')
  return message.failure
}

describe('reviveError', () => {
  const failures: SessionKeeperError[] = [
    new NetworkError('whoami failed: Failed to fetch'),
    new ServerError('whoami answered 503', 503),
    new RateLimitedError('whoami answered 429', 2_000),
    new RateLimitedError('whoami answered 429', null),
    new InvalidResponseError('Invalid session: bad "expires_at"'),
  ]

  it.each(failures.map((error) => [error.name, error] as const))(
    'should give back a %s with its class and fields',
    (_, error) => {
      // Through JSON, as the localStorage fallback would carry it (the native channel clones).
      const revived = reviveError(JSON.parse(JSON.stringify(sent(error))))
      expect(revived).toBeInstanceOf(error.constructor)
      expect(revived).toEqual(error)
      expect(revived?.name).toBe(error.name)
    },
  )

  it('should refuse what no check fails with, and fields of the wrong type', () => {
    expect(reviveError(sent(new ReauthLoopError('loop')))).toBeNull()
    expect(reviveError({ name: 'TypeError', message: 'x' })).toBeNull()
    expect(reviveError({ name: 'NetworkError', message: 42 as unknown as string })).toBeNull()
    expect(reviveError({ name: 'ServerError', message: 'x', status: 5.5 })).toBeNull()
    expect(reviveError({ name: 'RateLimitedError', message: 'x', retryAfter: -1 })).toEqual(
      new RateLimitedError('x', null),
    )
  })
})
