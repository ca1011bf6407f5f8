import type { TabSyncOptions } from './connectTabs.js'
import { neverBackwards } from './neverBackwards.js'
import { type Duration, parseDuration } from './parseDuration.js'
import { parseSession } from './parseSession.js'
import type { SessionKeeperError } from './SessionKeeperError.js'
import type { Session, SessionState } from './types.js'

/** Time and timers, injectable for tests. Written as functions so fake timers installed later still apply. */
export interface KeeperClock {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/**
 * Extends the session on user activity (`autoExtend` of `createSessionKeeper`): activity in any
 * tab while the session is inside Kratos's `earliest_possible_extend` window makes the leader
 * extend it once, then check, so every tab gets the new `expires_at`.
 */
export interface AutoExtendOptions {
  /**
   * Kratos's `session.earliest_possible_extend`: the session can be extended once less than this
   * is left. Nothing is sent before. Kratos's default is the lifespan, which makes every active
   * session extendable forever: `minInterval` then bounds the calls.
   */
  earliestPossibleExtend: Duration
  /** At most one extension per this long, across tabs. @default '5m' */
  minInterval?: Duration
  /**
   * Events on `window` (captured, passive) that count as activity; each costs a few
   * comparisons. Polls and programmatic scrolling never count.
   * @default ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchmove']
   */
  activityEvents?: string[]
}

/** Options of `createSessionKeeper`. Durations are ms or Ory strings (`'5m'`, `'720h0m0s'`). */
export interface SessionKeeperOptions {
  /** Kratos public URL or Ory Network project URL, e.g. `https://auth.example.com`. Required. */
  baseUrl: string
  /** Whoami cadence while the page is visible. @default '1m' */
  pollInterval?: Duration
  /** Whoami cadence while the page is hidden; also caps the error backoff. @default '5m' */
  hiddenPollInterval?: Duration
  /** The `expiring` phase starts this long before `expires_at`; at least `'20s'` (WCAG 2.2.1). @default '5m' */
  expiringThreshold?: Duration
  /** On focus, `visibilitychange`, `pageshow` and `online`, check again if the last check is older. @default '30s' */
  recheckOnFocusAfter?: Duration
  /** Whoami request timeout. @default '10s' */
  timeout?: Duration
  /** Origins besides `location.origin` allowed in `return_to`. @default [] */
  returnToAllowList?: string[]
  /** Native/API mode: sent as `X-Session-Token` instead of relying on the cookie. Never broadcast. */
  sessionToken?: string
  /** Replaces the transport (tests, SSR proxies). @default globalThis.fetch */
  fetch?: typeof fetch
  /** Replaces time and timers (tests). @default Date.now (never going back: {@link neverBackwards}) and global timers */
  clock?: KeeperClock
  /** SSR hydration: the session the server rendered with (`null`: signed out). @default undefined (loading) */
  initialSession?: Session | null
  /** Receives every background failure (checks, expiry confirmations). */
  onError?: (error: SessionKeeperError) => void
  /**
   * Keeps the app's tabs in agreement: one tab polls (leader election), every tab gets its
   * answers. `false` for one-tab apps; `{ channel }` to name the channel.
   * @default true (channel `session-keeper:<origin of baseUrl>`)
   */
  tabSync?: boolean | TabSyncOptions
  /**
   * How `extend()` extends the session, which only an admin can (Kratos's admin API must never be
   * called from a browser): `{ url }` POSTs to your backend (e.g. a route made with
   * `createExtendHandler` from `@session-keeper/core/server`), sending the cookie, or
   * `X-Session-Token` in token mode; a function does it your way. A check follows either.
   */
  extend?: { url: string } | ((state: SessionState) => Promise<void>)
  /** Extends the session on user activity inside the extension window; needs `extend`. @default off */
  autoExtend?: AutoExtendOptions
  /** Prints every `keeper.inspect` record with `console.debug` and a `[session-keeper]` prefix. @default false */
  debug?: boolean
}

export interface ResolvedOptions {
  baseUrl: string
  pollInterval: number
  hiddenPollInterval: number
  expiringThreshold: number
  recheckOnFocusAfter: number
  timeout: number
  returnToAllowList: string[]
  sessionToken: string | undefined
  fetch: typeof fetch
  clock: KeeperClock
  initialSession: Session | null | undefined
  onError: ((error: SessionKeeperError) => void) | undefined
  debug: boolean | undefined
  tabSync: boolean | TabSyncOptions
  extend: SessionKeeperOptions['extend']
  autoExtend: { earliestPossibleExtend: number; minInterval: number; activityEvents: string[] } | undefined
}

const DURATIONS = {
  pollInterval: '1m',
  hiddenPollInterval: '5m',
  expiringThreshold: '5m',
  recheckOnFocusAfter: '30s',
  timeout: '10s',
} as const
// The type every other option must have; anything not listed here or above is unknown.
const TYPES: Record<string, string> = {
  baseUrl: 'string',
  returnToAllowList: 'array',
  sessionToken: 'string',
  fetch: 'function',
  clock: 'object',
  initialSession: 'object',
  onError: 'function',
  debug: 'boolean',
  tabSync: 'boolean object',
  extend: 'object function',
  autoExtend: 'object',
}

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchmove']

/** Validates options at creation: every bad one throws a TypeError that names it. */
export function resolveOptions(options: SessionKeeperOptions): ResolvedOptions {
  const fail = (name: string, why: string): never => {
    throw new TypeError(`createSessionKeeper: option "${name}" ${why}`)
  }
  const url = (name: string, value: unknown) => {
    try {
      const parsed = new URL(value as string)
      if (/^https?:$/.test(parsed.protocol) && !parsed.username) return parsed
    } catch {}
    return fail(name, `must be an absolute http(s) URL: ${JSON.stringify(value)}`)
  }
  const o = { ...options } as Record<string, unknown>
  for (const name in o) {
    const type = TYPES[name] ?? (name in DURATIONS || fail(name, 'is unknown'))
    const actual = Array.isArray(o[name]) ? 'array' : typeof o[name]
    if (typeof type === 'string' && o[name] != null && !type.split(' ').includes(actual)) {
      fail(name, `must be of type ${type.replace(' ', ' or ')}`)
    }
  }
  const duration = (name: string, value: unknown) => {
    try {
      return parseDuration(value as Duration)
    } catch (error) {
      return fail(name, (error as Error).message)
    }
  }
  for (const [name, fallback] of Object.entries(DURATIONS)) o[name] = duration(name, o[name] ?? fallback)
  const resolved = o as unknown as ResolvedOptions
  const { clock } = resolved
  if (
    clock &&
    !['now', 'setTimeout', 'clearTimeout'].every((key) => typeof clock[key as 'now'] === 'function')
  ) {
    fail('clock', 'needs now(), setTimeout() and clearTimeout()')
  }
  // A zero poll or timeout would spin; a hidden cadence faster than the visible one makes no sense.
  if (!resolved.pollInterval || !resolved.timeout)
    fail(resolved.timeout ? 'pollInterval' : 'timeout', 'must be > 0')
  if (resolved.hiddenPollInterval < resolved.pollInterval)
    fail('hiddenPollInterval', 'must be >= pollInterval')
  // WCAG 2.2.1 (Timing Adjustable): the user gets at least 20 seconds to extend the session.
  if (resolved.expiringThreshold < 20_000)
    fail('expiringThreshold', `must be at least 20s (WCAG 2.2.1), got ${resolved.expiringThreshold} ms`)
  const base = url('baseUrl', o.baseUrl)
  resolved.baseUrl = (base.origin + base.pathname).replace(/\/+$/, '')
  resolved.returnToAllowList = ((o.returnToAllowList ?? []) as string[]).map(
    (origin) => url('returnToAllowList', origin).origin,
  )
  try {
    if (o.initialSession) resolved.initialSession = parseSession(o.initialSession)
  } catch (error) {
    fail('initialSession', (error as Error).message)
  }
  const { extend, autoExtend } = options
  // Relative to the page when used; a script URL is refused here.
  if (typeof extend === 'object' && !/^https?:$/.test(new URL(extend.url || 'x:', 'http://x').protocol))
    fail('extend', `needs { url } with an http(s) or relative URL: ${JSON.stringify(extend)}`)
  if (autoExtend) {
    const { earliestPossibleExtend, minInterval = '5m', activityEvents = ACTIVITY } = autoExtend
    if (!extend) fail('autoExtend', 'needs the "extend" option')
    if (!Array.isArray(activityEvents) || activityEvents.some((event) => typeof event !== 'string'))
      fail('autoExtend.activityEvents', 'must be an array of event names')
    resolved.autoExtend = {
      earliestPossibleExtend: duration('autoExtend.earliestPossibleExtend', earliestPossibleExtend),
      minInterval: duration('autoExtend.minInterval', minInterval),
      activityEvents,
    }
  }
  resolved.tabSync ??= true
  resolved.fetch ??= (input, init) => globalThis.fetch(input, init)
  resolved.clock ??= {
    now: neverBackwards(
      () => Date.now(),
      () => performance.now(),
    ),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  }
  return resolved
}
