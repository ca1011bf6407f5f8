import {
  InvalidResponseError,
  NetworkError,
  RateLimitedError,
  ServerError,
  type SessionKeeperError,
} from './SessionKeeperError.js'

/**
 * A failed check's error as it travels between tabs: `postMessage` keeps neither an error's
 * class nor its own fields, so its name, message, `status` and `retryAfter` go as data
 * (`stateMessage` writes it).
 */
export interface SentError {
  name: string
  message: string
  status?: number
  retryAfter?: number | null
}

/**
 * The typed error another tab's check failed with, as that tab had it (so `isNetworkError`
 * holds in every tab); `null` for anything a check cannot fail with.
 *
 * @example
 * reviveError({ name: 'ServerError', message: 'whoami answered 503', status: 503 }) // a ServerError, status 503
 */
export function reviveError({ name, message, status, retryAfter }: SentError): SessionKeeperError | null {
  if (typeof message !== 'string') return null
  if (name === 'NetworkError') return new NetworkError(message)
  if (name === 'InvalidResponseError') return new InvalidResponseError(message)
  if (name === 'RateLimitedError')
    return new RateLimitedError(
      message,
      typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter : null,
    )
  if (name === 'ServerError' && typeof status === 'number' && Number.isInteger(status))
    return new ServerError(message, status)
  return null
}
