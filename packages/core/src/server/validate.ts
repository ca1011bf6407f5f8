import { type Duration, parseDuration } from '../parseDuration.js'

// Option checks shared by the server functions. Private to the package (not in index.ts).
// Every TypeError names the function and the option; none ever quotes a secret.

const fail = (where: string, name: string, why: string): never => {
  throw new TypeError(`[@session-keeper/core/server] ${where}: "${name}" ${why}`)
}

/**
 * Checks of the server options, each throwing a `TypeError` that names the function and option.
 *
 * @example
 * const adminUrl = validate.httpUrl('extendSession', 'adminUrl', options.adminUrl)
 */
export const validate = {
  /** An absolute http(s) URL, returned without trailing slashes so paths can be appended. */
  httpUrl(where: string, name: string, value: unknown): string {
    if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      fail(where, name, `must be an absolute http(s) URL, got ${JSON.stringify(value)}`)
    }
    return (value as string).replace(/\/+$/, '')
  },

  /** A non-empty string. */
  text(where: string, name: string, value: unknown): string {
    if (typeof value !== 'string' || !value)
      fail(where, name, `must be a non-empty string, got ${typeof value}`)
    return value as string
  },

  /**
   * An optional API key: visible ASCII, no spaces, so it is a valid header value (a bad one
   * would otherwise make `Headers` throw an error that quotes it). The value is never quoted.
   */
  secret(where: string, name: string, value: unknown): string | undefined {
    if (value === undefined) return undefined
    if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) {
      fail(where, name, 'must be a non-empty string of visible ASCII characters (value not shown)')
    }
    return value as string
  },

  /** An optional {@link Duration} in ms, through `parseDuration`; `positive` rejects 0. */
  duration(where: string, name: string, value: unknown, fallback: number, positive = false): number {
    if (value === undefined) return fallback
    let ms = 0
    try {
      ms = parseDuration(value as Duration)
    } catch (error) {
      fail(where, name, (error as Error).message)
    }
    if (positive && ms <= 0) fail(where, name, 'must be longer than 0')
    return ms
  },

  /** An optional function, else `fallback`. */
  func<T>(where: string, name: string, value: unknown, fallback: T): T {
    if (value === undefined) return fallback
    if (typeof value !== 'function') fail(where, name, `must be a function, got ${typeof value}`)
    return value as T
  },

  /** Optional http(s) origins, normalised (`https://a.example/` → `https://a.example`). */
  origins(where: string, name: string, value: unknown): Set<string> {
    if (value === undefined) return new Set()
    if (!Array.isArray(value)) fail(where, name, 'must be an array of origins')
    return new Set(
      (value as unknown[]).map((origin) => new URL(validate.httpUrl(where, name, origin)).origin),
    )
  },
}

/**
 * The global `fetch`, read at call time so tests and polyfills installed later are seen.
 *
 * @example
 * const fetch = validate.func(where, 'fetch', options.fetch, globalFetch)
 */
export const globalFetch: typeof fetch = (input, init) => globalThis.fetch(input, init)

/**
 * Default request timeout of the server functions: 10 s.
 *
 * @example
 * validate.duration(where, 'timeout', options.timeout, DEFAULT_TIMEOUT, true)
 */
export const DEFAULT_TIMEOUT = 10_000
