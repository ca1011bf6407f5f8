import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSessionKeeper } from '../createSessionKeeper.js'
import { resolveOptions, type SessionKeeperOptions } from '../resolveOptions.js'
import { kratosSession } from './fakeKratosFetch.js'

const BASE = 'https://auth.example'

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('resolveOptions', () => {
  it('should apply the documented defaults', () => {
    const o = resolveOptions({ baseUrl: BASE })

    expect(o).toMatchObject({
      baseUrl: BASE,
      pollInterval: 60_000,
      hiddenPollInterval: 300_000,
      expiringThreshold: 300_000,
      recheckOnFocusAfter: 30_000,
      timeout: 10_000,
      returnToAllowList: [],
    })
    expect(o.sessionToken).toBeUndefined()
    expect(o.initialSession).toBeUndefined()
    expect(o.debug).toBeFalsy()
    expect(typeof o.fetch).toBe('function')
    expect(typeof o.clock.now).toBe('function')
  })

  it('should accept milliseconds and Ory duration strings', () => {
    const o = resolveOptions({
      baseUrl: BASE,
      pollInterval: '1h1m10s',
      hiddenPollInterval: '720h0m0s',
      expiringThreshold: 120_000,
      recheckOnFocusAfter: '1.5s',
      timeout: '250ms',
    })

    expect(o).toMatchObject({
      pollInterval: 3_670_000,
      hiddenPollInterval: 2_592_000_000,
      expiringThreshold: 120_000,
      recheckOnFocusAfter: 1_500,
      timeout: 250,
    })
  })

  it('should accept zero for recheckOnFocusAfter and 20 seconds for expiringThreshold', () => {
    expect(
      resolveOptions({ baseUrl: BASE, expiringThreshold: '20s', recheckOnFocusAfter: '0' }),
    ).toMatchObject({
      expiringThreshold: 20_000,
      recheckOnFocusAfter: 0,
    })
  })

  it('should refuse an expiringThreshold under 20 seconds, the time WCAG 2.2.1 gives the user', () => {
    for (const expiringThreshold of [0, 19_999, '10s'])
      expect(() => resolveOptions({ baseUrl: BASE, expiringThreshold })).toThrow(
        /option "expiringThreshold" must be at least 20s \(WCAG 2\.2\.1\)/,
      )
  })

  it.each([
    ['https://auth.example/', BASE],
    ['https://auth.example//', BASE],
    ['https://auth.example/.ory/kratos/public/', `${BASE}/.ory/kratos/public`],
    ['https://auth.example/kratos?x=1#hash', `${BASE}/kratos`],
    ['HTTPS://AUTH.EXAMPLE:443', BASE],
    ['http://localhost:4433', 'http://localhost:4433'],
  ])('should normalise baseUrl %j to %j', (baseUrl, expected) => {
    expect(resolveOptions({ baseUrl }).baseUrl).toBe(expected)
  })

  it('should reduce returnToAllowList entries to their origins', () => {
    const o = resolveOptions({
      baseUrl: BASE,
      returnToAllowList: ['https://admin.example/some/path?q=1', 'http://localhost:5173/'],
    })

    expect(o.returnToAllowList).toEqual(['https://admin.example', 'http://localhost:5173'])
  })

  it('should validate and parse initialSession', () => {
    const body = kratosSession()

    const o = resolveOptions({
      baseUrl: BASE,
      initialSession: body as unknown as SessionKeeperOptions['initialSession'],
    })

    expect(o.initialSession?.expires_at).toEqual(new Date(body.expires_at))
    expect(resolveOptions({ baseUrl: BASE, initialSession: null }).initialSession).toBeNull()
  })

  it('should call the global fetch at call time by default', async () => {
    const o = resolveOptions({ baseUrl: BASE })
    const fetch = vi.fn(async () => new Response('{}'))
    vi.stubGlobal('fetch', fetch)

    await o.fetch('https://auth.example/sessions/whoami')

    expect(fetch).toHaveBeenCalledWith('https://auth.example/sessions/whoami', undefined)
  })

  it('should wrap the global timers at call time by default, so fake timers installed later apply', () => {
    const o = resolveOptions({ baseUrl: BASE })
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00.000Z') })
    const callback = vi.fn()

    const handle = o.clock.setTimeout(callback, 1_000)
    vi.advanceTimersByTime(999)
    expect(callback).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(callback).toHaveBeenCalledTimes(1)
    expect(o.clock.now()).toBe(Date.parse('2030-01-01T00:00:01.000Z'))

    const cancelled = vi.fn()
    o.clock.clearTimeout(o.clock.setTimeout(cancelled, 10))
    vi.advanceTimersByTime(10)
    expect(cancelled).not.toHaveBeenCalled()
    expect(handle).toBeDefined()
  })

  it('should keep an injected clock and fetch', () => {
    const clock = { now: () => 0, setTimeout: () => 1, clearTimeout: () => {} }
    const fetch = vi.fn() as unknown as typeof globalThis.fetch

    expect(resolveOptions({ baseUrl: BASE, clock, fetch })).toMatchObject({ clock, fetch })
  })
})

describe('option validation', () => {
  const bad: [string, Record<string, unknown>][] = [
    ['pollIntervall', { pollIntervall: '1m' }],
    ['tabsync', { tabsync: true }],
    ['baseUrl', { baseUrl: undefined }],
    ['baseUrl', { baseUrl: '' }],
    ['baseUrl', { baseUrl: 'auth.example.com' }],
    ['baseUrl', { baseUrl: '/kratos' }],
    ['baseUrl', { baseUrl: '//auth.example' }],
    ['baseUrl', { baseUrl: 'ftp://auth.example' }],
    ['baseUrl', { baseUrl: 'javascript:alert(1)' }],
    ['baseUrl', { baseUrl: 'https://user:secret@auth.example' }],
    ['baseUrl', { baseUrl: 42 }],
    ['pollInterval', { pollInterval: '1 minute' }],
    ['pollInterval', { pollInterval: -1 }],
    ['pollInterval', { pollInterval: '-5m' }],
    ['pollInterval', { pollInterval: Number.NaN }],
    ['pollInterval', { pollInterval: 0 }],
    ['pollInterval', { pollInterval: '0s' }],
    ['hiddenPollInterval', { hiddenPollInterval: 'x' }],
    ['hiddenPollInterval', { hiddenPollInterval: -60_000 }],
    ['hiddenPollInterval', { hiddenPollInterval: 0 }],
    ['hiddenPollInterval', { pollInterval: '5m', hiddenPollInterval: '1m' }],
    ['expiringThreshold', { expiringThreshold: -1 }],
    ['expiringThreshold', { expiringThreshold: 'five minutes' }],
    ['recheckOnFocusAfter', { recheckOnFocusAfter: 'soon' }],
    ['recheckOnFocusAfter', { recheckOnFocusAfter: -1 }],
    ['timeout', { timeout: '10 seconds' }],
    ['timeout', { timeout: 0 }],
    ['returnToAllowList', { returnToAllowList: 'https://admin.example' }],
    ['returnToAllowList', { returnToAllowList: ['not a url'] }],
    ['returnToAllowList', { returnToAllowList: ['javascript:alert(1)'] }],
    ['returnToAllowList', { returnToAllowList: ['//admin.example'] }],
    ['returnToAllowList', { returnToAllowList: [42] }],
    ['returnToAllowList', { returnToAllowList: { origin: 'https://admin.example' } }],
    ['initialSession', { initialSession: { id: 'session-1' } }],
    ['initialSession', { initialSession: { ...kratosSession(), id: 42 } }],
    ['initialSession', { initialSession: { ...kratosSession(), expires_at: 'never' } }],
    ['initialSession', { initialSession: 42 }],
    ['initialSession', { initialSession: 'session' }],
    ['fetch', { fetch: 'fetch' }],
    ['onError', { onError: 'console.error' }],
    ['debug', { debug: 'yes' }],
    ['sessionToken', { sessionToken: 42 }],
  ]

  it.each(bad)('should throw a TypeError naming %s for %j', (name, options) => {
    const create = () => resolveOptions({ baseUrl: BASE, ...options } as unknown as SessionKeeperOptions)

    expect(create).toThrow(TypeError)
    expect(create).toThrow(`"${name}"`)
  })

  it('should throw from createSessionKeeper, before anything runs', () => {
    const fetch = vi.fn()

    expect(() =>
      createSessionKeeper({
        baseUrl: BASE,
        fetch,
        pollInterval: '1 minute',
      } as unknown as SessionKeeperOptions),
    ).toThrow(/"pollInterval"/)
    expect(fetch).not.toHaveBeenCalled()
  })

  it.each([
    ['without timers', { now: () => Date.now() }],
    ['without now', { setTimeout: () => 1, clearTimeout: () => {} }],
  ])('should throw a TypeError naming clock at creation for a clock %s', (_, clock) => {
    expect(() => createSessionKeeper({ baseUrl: BASE, clock } as unknown as SessionKeeperOptions)).toThrow(
      /"clock"/,
    )
  })
})
