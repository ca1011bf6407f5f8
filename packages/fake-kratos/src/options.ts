import { type Duration, parseDuration } from '@session-keeper/core'

/**
 * An identity the fake knows. Passwords and codes are plain text: this is a test server.
 *
 * @example
 * { email: 'admin@example.com', password: 'secret', totpCode: '000000', traits: { name: 'Ada' } }
 */
export interface FakeIdentity {
  /** Login identifier and `traits.email`. */
  email: string
  password: string
  /**
   * The code its second factor (TOTP) accepts. Identities with one have `available_aal: aal2`,
   * so under `requiredAal: 'highest_available'` their aal1 sessions get 403 `session_aal2_required`.
   */
  totpCode?: string
  /** Stable identity id; a UUID is derived from the email when left out. */
  id?: string
  /** Extra traits beside `email`. */
  traits?: Record<string, unknown>
}

/**
 * Options of {@link startFakeKratos}; every one has a Kratos config key it stands for.
 *
 * @example
 * { port: 4433, lifespan: '1h', privilegedSessionMaxAge: '5m', cors: { origins: ['http://localhost:5173'] } }
 */
export interface FakeKratosOptions {
  /** Port to listen on; `0` picks a free one. @default 0 (the CLI's default is 4433) */
  port?: number
  /** Interface to listen on. @default 'localhost' */
  host?: string
  /**
   * `serve.public.base_url`: the URL the fake puts into redirects and flows.
   * @default `http://${host}:${port}`
   */
  publicUrl?: string
  /** `session.lifespan`. @default '24h' */
  lifespan?: Duration
  /** `session.earliest_possible_extend`. @default the lifespan (extend at any time) */
  earliestPossibleExtend?: Duration
  /** `selfservice.flows.settings.privileged_session_max_age`. @default '1h' */
  privilegedSessionMaxAge?: Duration
  /** `session.whoami.required_aal`. @default 'highest_available' */
  requiredAal?: 'aal1' | 'highest_available'
  /** `feature_flags.faster_session_extend`: admin extend answers 204 instead of 200 + Session. @default false */
  fasterSessionExtend?: boolean
  /** Admin API key: when set, `/admin/*` needs `Authorization: Bearer <apiKey>` (as on Ory Network). */
  apiKey?: string
  /**
   * `feature_flags.cacheable_sessions`: send `Ory-Session-Cache-For`. `true` uses Ory's default
   * max age of 2m30s; an object sets `cacheable_sessions_max_age`. @default false
   */
  cacheableSessions?: boolean | { maxAge: Duration }
  /**
   * `serve.public.cors`. Off by default, as in Kratos. When on, credentials are allowed and
   * only `exposedHeaders` (Kratos's default: `Content-Type`) are readable cross-origin.
   */
  cors?: { origins: string[]; exposedHeaders?: string[] }
  /**
   * `selfservice.allowed_return_urls`. As in Kratos, only these and the public URL's
   * `/self-service` paths are allowed as `return_to`; CORS origins are not. @default []
   */
  allowedReturnUrls?: string[]
  /** `selfservice.default_browser_return_url`. @default `${publicUrl}/` */
  defaultReturnUrl?: string
  /** A refresh login makes a new session id, as social sign-in (OIDC) does. @default false */
  refreshCreatesNewSession?: boolean
  /** `session.cookie.name`. @default 'ory_kratos_session' */
  cookieName?: string
  /**
   * `cookies.domain`: the `Domain` attribute of the session and anti-CSRF cookies, as an Ory
   * Network project sets its own domain (e.g. `<project>.projects.oryapis.com`). A leading dot
   * is dropped, as Go's `http.Cookie` does. @default none: host-only cookies
   */
  cookieDomain?: string
  /** Identities. @default user@example.com / password and mfa@example.com / password + code 123456 */
  identities?: FakeIdentity[]
  /** Base time source in epoch ms; the control API's clock moves relative to it. @default Date.now */
  now?: () => number
}

/** Options with defaults filled in and durations in milliseconds. */
export interface ResolvedOptions {
  port: number
  host: string
  publicUrl: string | undefined
  lifespan: number
  earliestPossibleExtend: number
  privilegedSessionMaxAge: number
  requiredAal: 'aal1' | 'highest_available'
  fasterSessionExtend: boolean
  apiKey: string | undefined
  /** Max age in ms of `Ory-Session-Cache-For`, or `null` when cacheable sessions are off. */
  cacheableSessionsMaxAge: number | null
  cors: { origins: string[]; exposedHeaders: string[] } | null
  allowedReturnUrls: string[]
  defaultReturnUrl: string | undefined
  refreshCreatesNewSession: boolean
  cookieName: string
  /** `Domain` attribute of the cookies (no leading dot), or `undefined` for host-only cookies. */
  cookieDomain: string | undefined
  identities: FakeIdentity[]
  now: () => number
}

/** Ory's default `cacheable_sessions_max_age` (docs `concepts/cache.mdx`). */
const DEFAULT_CACHE_MAX_AGE = 150_000

/**
 * The fixtures every test and the demo can count on.
 *
 * @example
 * startFakeKratos({ identities: [...DEFAULT_IDENTITIES, { email: 'new@example.com', password: 'pw' }] })
 */
export const DEFAULT_IDENTITIES: readonly FakeIdentity[] = Object.freeze([
  { email: 'user@example.com', password: 'password' },
  { email: 'mfa@example.com', password: 'password', totpCode: '123456' },
])

/**
 * Validates options and fills in defaults. Throws a `TypeError` naming the option for any bad
 * value, so a misconfigured fake fails at start rather than answering wrongly later.
 */
export function resolveOptions(options: FakeKratosOptions = {}): ResolvedOptions {
  const duration = (name: keyof FakeKratosOptions, value: Duration | undefined, fallback: number) => {
    if (value === undefined) return fallback
    try {
      return parseDuration(value)
    } catch (error) {
      throw new TypeError(`fake-kratos: option "${name}": ${(error as Error).message}`)
    }
  }
  const fail = (name: string, why: string): never => {
    throw new TypeError(`fake-kratos: option "${name}" ${why}`)
  }
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    fail('port', `must be an integer 0..65535, got ${port}`)
  const lifespan = duration('lifespan', options.lifespan, 24 * 3_600_000)
  if (lifespan <= 0) fail('lifespan', 'must be longer than 0')
  const requiredAal = options.requiredAal ?? 'highest_available'
  if (requiredAal !== 'aal1' && requiredAal !== 'highest_available') {
    fail('requiredAal', `must be "aal1" or "highest_available", got ${JSON.stringify(requiredAal)}`)
  }
  for (const [name, url] of [
    ['publicUrl', options.publicUrl],
    ['defaultReturnUrl', options.defaultReturnUrl],
    ...(options.allowedReturnUrls ?? []).map((u) => ['allowedReturnUrls', u]),
    ...(options.cors?.origins ?? []).filter((o) => o !== '*').map((o) => ['cors.origins', o]),
  ] as const) {
    if (url !== undefined && !URL.canParse(url))
      fail(name, `must be an absolute URL, got ${JSON.stringify(url)}`)
  }
  let cookieDomain: string | undefined
  if (options.cookieDomain !== undefined) {
    cookieDomain = options.cookieDomain.replace(/^\./, '')
    if (!/^[A-Za-z0-9.:[\]-]+$/.test(cookieDomain))
      fail('cookieDomain', `must be a host name, got ${JSON.stringify(options.cookieDomain)}`)
  }
  const identities = options.identities ?? DEFAULT_IDENTITIES.map((identity) => ({ ...identity }))
  const emails = new Set<string>()
  for (const identity of identities) {
    if (typeof identity.email !== 'string' || !identity.email)
      fail('identities', 'needs an email on every identity')
    if (typeof identity.password !== 'string') fail('identities', `needs a password for ${identity.email}`)
    if (emails.has(identity.email)) fail('identities', `lists ${identity.email} twice`)
    emails.add(identity.email)
  }
  const cacheable = options.cacheableSessions
  return {
    port,
    host: options.host ?? 'localhost',
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    lifespan,
    earliestPossibleExtend: duration('earliestPossibleExtend', options.earliestPossibleExtend, lifespan),
    privilegedSessionMaxAge: duration('privilegedSessionMaxAge', options.privilegedSessionMaxAge, 3_600_000),
    requiredAal,
    fasterSessionExtend: options.fasterSessionExtend ?? false,
    apiKey: options.apiKey || undefined,
    cacheableSessionsMaxAge:
      cacheable === undefined || cacheable === false
        ? null
        : cacheable === true
          ? DEFAULT_CACHE_MAX_AGE
          : duration('cacheableSessions', cacheable.maxAge, DEFAULT_CACHE_MAX_AGE),
    cors: options.cors
      ? {
          origins: [...options.cors.origins],
          exposedHeaders: options.cors.exposedHeaders ?? ['Content-Type'],
        }
      : null,
    allowedReturnUrls: [...(options.allowedReturnUrls ?? [])],
    defaultReturnUrl: options.defaultReturnUrl,
    refreshCreatesNewSession: options.refreshCreatesNewSession ?? false,
    cookieName: options.cookieName ?? 'ory_kratos_session',
    cookieDomain,
    identities,
    now: options.now ?? Date.now,
  }
}
