import { type Duration, parseDuration } from './parseDuration.js'
import { parseSession } from './parseSession.js'
import type { SessionKeeperError } from './SessionKeeperError.js'
import type { Session } from './types.js'

/** Time and timers, injectable for tests. Written as functions so fake timers installed later still apply. */
export interface KeeperClock {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** Options of `createSessionKeeper`. Durations are ms or Ory strings (`'5m'`, `'720h0m0s'`). */
export interface SessionKeeperOptions {
  /** Kratos public URL or Ory Network project URL, e.g. `https://auth.example.com`. Required. */
  baseUrl: string
  /** Whoami cadence while the page is visible. @default '1m' */
  pollInterval?: Duration
  /** Whoami cadence while the page is hidden; also caps the error backoff. @default '5m' */
  hiddenPollInterval?: Duration
  /** The `expiring` phase starts this long before `expires_at`. @default '5m' */
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
  /** Replaces time and timers (tests). @default Date.now and global timers */
  clock?: KeeperClock
  /** SSR hydration: the session the server rendered with (`null`: signed out). @default undefined (loading) */
  initialSession?: Session | null
  /** Receives every background failure (checks, expiry confirmations). */
  onError?: (error: SessionKeeperError) => void
  /** Logs each state change and scheduling decision with a `[session-keeper]` prefix. @default false */
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
  debug: boolean
}

const DURATIONS = {
  pollInterval: '1m',
  hiddenPollInterval: '5m',
  expiringThreshold: '5m',
  recheckOnFocusAfter: '30s',
  timeout: '10s',
} as const
const FUNCTIONS = ['fetch', 'onError'] as const
const KNOWN = [
  'baseUrl',
  'returnToAllowList',
  'sessionToken',
  'clock',
  'initialSession',
  'debug',
  ...FUNCTIONS,
]

/** Validates options at creation: every bad one throws a TypeError that names it. */
export function resolveOptions(options: SessionKeeperOptions): ResolvedOptions {
  const fail = (name: string, why: string): never => {
    throw new TypeError(`createSessionKeeper: option "${name}" ${why}`)
  }
  const url = (name: string, value: unknown) => {
    try {
      const parsed = new URL(value as string)
      if (/^https?:$/.test(parsed.protocol) && !parsed.username && typeof value === 'string') return parsed
    } catch {}
    return fail(name, `must be an absolute http(s) URL, got ${JSON.stringify(value)}`)
  }
  for (const name in options) if (!(name in DURATIONS || KNOWN.includes(name))) fail(name, 'is unknown')
  const base = url('baseUrl', options?.baseUrl)
  const durations = {} as Record<keyof typeof DURATIONS, number>
  for (const [name, fallback] of Object.entries(DURATIONS) as [keyof typeof DURATIONS, string][]) {
    try {
      durations[name] = parseDuration(options[name] ?? fallback)
    } catch (error) {
      fail(name, (error as Error).message)
    }
  }
  // A zero poll or timeout would spin; a hidden cadence faster than the visible one makes no sense.
  if (!durations.pollInterval || !durations.timeout)
    fail(durations.timeout ? 'pollInterval' : 'timeout', 'must be > 0')
  if (durations.hiddenPollInterval < durations.pollInterval)
    fail('hiddenPollInterval', 'must be >= pollInterval')
  for (const name of FUNCTIONS) {
    if (options[name] !== undefined && typeof options[name] !== 'function') fail(name, 'must be a function')
  }
  const { clock, sessionToken, initialSession, returnToAllowList = [] } = options
  if (!Array.isArray(returnToAllowList)) fail('returnToAllowList', 'must be an array of origins')
  if (clock && typeof clock.now !== 'function')
    fail('clock', 'must have now(), setTimeout() and clearTimeout()')
  if (sessionToken !== undefined && (typeof sessionToken !== 'string' || !sessionToken))
    fail('sessionToken', 'must be a non-empty string')
  let session = initialSession
  try {
    if (session) session = parseSession(session)
  } catch (error) {
    fail('initialSession', (error as Error).message)
  }
  return {
    ...durations,
    baseUrl: (base.origin + base.pathname).replace(/\/+$/, ''),
    returnToAllowList: returnToAllowList.map((origin) => url('returnToAllowList', origin).origin),
    sessionToken,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    clock: clock ?? {
      now: () => Date.now(),
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
    initialSession: session,
    onError: options.onError,
    debug: !!options.debug,
  }
}
