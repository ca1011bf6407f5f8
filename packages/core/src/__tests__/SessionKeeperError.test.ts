import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import {
  InvalidResponseError,
  isInvalidResponseError,
  isNetworkError,
  isRateLimitedError,
  isReauthLoopError,
  isServerError,
  isSessionKeeperError,
  isUnsafeReturnToError,
  NetworkError,
  RateLimitedError,
  ReauthLoopError,
  ServerError,
  SessionKeeperError,
  UnsafeReturnToError,
} from '../SessionKeeperError.js'

const errors = [
  ['SessionKeeperError', new SessionKeeperError('m')],
  ['NetworkError', new NetworkError('m')],
  ['ServerError', new ServerError('m', 503)],
  ['RateLimitedError', new RateLimitedError('m', 5_000)],
  ['InvalidResponseError', new InvalidResponseError('m')],
  ['UnsafeReturnToError', new UnsafeReturnToError('m')],
  ['ReauthLoopError', new ReauthLoopError('m')],
] as const

const guards: Record<string, (value: unknown) => boolean> = {
  NetworkError: isNetworkError,
  ServerError: isServerError,
  RateLimitedError: isRateLimitedError,
  InvalidResponseError: isInvalidResponseError,
  UnsafeReturnToError: isUnsafeReturnToError,
  ReauthLoopError: isReauthLoopError,
}

describe('SessionKeeperError and its subclasses', () => {
  it.each(errors)('should give %s its name, message and base classes', (name, error) => {
    expect(error.name).toBe(name)
    expect(error.message).toBe('m')
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(SessionKeeperError)
    expect(String(error)).toBe(`${name}: m`)
    expect(error.stack).toBeTypeOf('string')
    expect(isSessionKeeperError(error)).toBe(true)
  })

  it('should carry the HTTP status on ServerError', () => {
    expect(new ServerError('m', 502).status).toBe(502)
  })

  it('should make RateLimitedError a ServerError with status 429 and retryAfter', () => {
    const error = new RateLimitedError('m', 30_000)

    expect(error).toBeInstanceOf(ServerError)
    expect(error.status).toBe(429)
    expect(error.retryAfter).toBe(30_000)
    expect(new RateLimitedError('m', null).retryAfter).toBeNull()
  })

  it('should keep the cause', () => {
    const cause = new TypeError('Failed to fetch')

    expect(new NetworkError('m', { cause }).cause).toBe(cause)
  })
})

describe('error guards', () => {
  it.each(errors.filter(([name]) => name !== 'SessionKeeperError'))(
    'should recognise %s with its own guard only (and its base classes)',
    (name, error) => {
      for (const [guardName, guard] of Object.entries(guards)) {
        const expected = guardName === name || (guardName === 'ServerError' && name === 'RateLimitedError')
        expect(guard(error), `${guardName}(${name})`).toBe(expected)
      }
    },
  )

  it('should work across realms, where instanceof fails', () => {
    const foreign = runInNewContext('const e = new Error("m"); e.name = "NetworkError"; e') as unknown

    expect(foreign).not.toBeInstanceOf(NetworkError)
    expect(isNetworkError(foreign)).toBe(true)
    expect(isSessionKeeperError(foreign)).toBe(true)
    expect(isServerError(foreign)).toBe(false)
  })

  it('should recognise a plain object with the right name (a duplicated bundle or a structured clone)', () => {
    expect(isRateLimitedError({ name: 'RateLimitedError', status: 429, retryAfter: null })).toBe(true)
    expect(isServerError({ name: 'RateLimitedError' })).toBe(true)
    expect(isReauthLoopError({ name: 'ReauthLoopError', message: 'm' })).toBe(true)
    expect(isSessionKeeperError({ name: 'InvalidResponseError' })).toBe(true)
  })

  it('should recognise an app subclass that keeps a keeper name', () => {
    class OfflineError extends NetworkError {}

    expect(isNetworkError(new OfflineError('m'))).toBe(true)
  })

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['the name as a string', 'NetworkError'],
    ['a TypeError', new TypeError('m')],
    ['a plain Error', new Error('m')],
    ['an object with another name', { name: 'HTTPError' }],
    ['a function named like an error', function NetworkError() {}],
  ])('should reject %s', (_, value) => {
    expect(isSessionKeeperError(value)).toBe(false)
    for (const guard of Object.values(guards)) expect(guard(value)).toBe(false)
  })
})
