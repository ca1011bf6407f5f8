import { describe, expect, it, vi } from 'vitest'

// The core must work without React: importing it with React unavailable proves it never asks.
vi.mock('react', () => {
  throw new Error('@session-keeper/core must not import react')
})

describe('@session-keeper/core entry', () => {
  it('should load without React and without browser globals', async () => {
    expect(typeof globalThis.window).toBe('undefined')
    const core = await import('../index.js')
    expect(Object.keys(core).sort()).toEqual([
      'InvalidResponseError',
      'NetworkError',
      'RateLimitedError',
      'ReauthCancelledError',
      'ReauthFlowError',
      'ReauthLoopError',
      'ServerError',
      'SessionKeeperError',
      'UnsafeReturnToError',
      'checkReturnTo',
      'createSessionKeeper',
      'freshnessReason',
      'isInvalidResponseError',
      'isNetworkError',
      'isRateLimitedError',
      'isReauthCancelledError',
      'isReauthFlowError',
      'isReauthLoopError',
      'isServerError',
      'isSessionFresh',
      'isSessionKeeperError',
      'isUnsafeReturnToError',
      'lax',
      'moderate',
      'parseDuration',
      'parseSession',
      'reauthReason',
      'runFreshAction',
      'strict',
    ])
  })
})
