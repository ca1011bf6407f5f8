// @vitest-environment jsdom
// Local expiry, sleeping devices and clock skew (DESIGN §3 "Status" and "Timing").
import { describe, expect, it, vi } from 'vitest'
import type { SessionKeeperOptions } from '../resolveOptions.js'
import { flush, kratosSession, UNAUTHORIZED } from './fakeKratosFetch.js'
import { recordEvents, useFakeTimerKeepers } from './keeperKit.js'

const SECOND = 1_000
const MINUTE = 60_000
const HOUR = 60 * MINUTE
// Polls an hour apart, so only the expiry deadlines move the state in these tests.
const harness = useFakeTimerKeepers({ visible: true }, { pollInterval: '1h', hiddenPollInterval: '1h' })

function setup(options: Partial<SessionKeeperOptions> = {}) {
  const { kratos, keeper } = harness.setup(options)
  const events = recordEvents(keeper, ['signed-in', 'signed-out', 'changed', 'expiring', 'expired', 'error'])
  return { kratos, keeper, events }
}

async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms)
  await flush()
}

describe('local expiry', () => {
  it('should move active → expiring at expires_at - expiringThreshold → expired at expires_at', async () => {
    const { kratos, keeper, events } = setup()
    kratos.reply(200, kratosSession({ expiresIn: 10 * MINUTE }))
    keeper.start()
    await advance(0)
    expect(keeper.getState().phase).toBe('active')

    await advance(5 * MINUTE - 1)
    expect(keeper.getState().phase).toBe('active')
    await advance(1)
    expect(keeper.getState()).toMatchObject({ phase: 'expiring', status: 'authenticated' })

    kratos.pending()
    await advance(5 * MINUTE - 1)
    expect(keeper.getState().phase).toBe('expiring')
    await advance(1)
    expect(keeper.getState()).toMatchObject({ phase: 'expired', status: 'unauthenticated' })
    const transitions = events.filter((e) => e === 'expiring' || e === 'expired' || e === 'signed-out')
    expect(transitions.sort()).toEqual(['expired', 'expiring', 'signed-out'])
  })

  it('should sign out at expires_at without waiting for the server, then confirm with a check', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(200, kratosSession({ expiresIn: 10 * MINUTE }))
    keeper.start()
    await advance(0)
    const confirm = kratos.pending()

    await advance(10 * MINUTE)

    // The confirming request is out, unanswered, and the state already says signed out.
    expect(kratos.count).toBe(2)
    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', phase: 'expired' })
    await confirm.resolve({ status: 401, body: UNAUTHORIZED })
    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', session: null, phase: null })
  })

  it('should honour expiringThreshold', async () => {
    const { kratos, keeper } = setup({ expiringThreshold: '2m' })
    kratos.reply(200, kratosSession({ expiresIn: 10 * MINUTE }))
    keeper.start()
    await advance(0)

    await advance(8 * MINUTE - 1)
    expect(keeper.getState().phase).toBe('active')
    await advance(1)
    expect(keeper.getState().phase).toBe('expiring')
  })

  it('should be authenticated again when the confirming check finds an extended session', async () => {
    const { kratos, keeper, events } = setup()
    kratos.reply(200, kratosSession({ expiresIn: 10 * MINUTE }))
    keeper.start()
    await advance(0)
    kratos.always(() => ({ status: 200, body: kratosSession({ expiresIn: 2 * HOUR }) }))

    await advance(10 * MINUTE)

    expect(keeper.getState()).toMatchObject({ status: 'authenticated', phase: 'active' })
    expect(events.filter((e) => e === 'signed-in')).toHaveLength(1)
  })

  it('should go straight to expired, with no late expiring event, on a device that slept past the warning and expiry', async () => {
    const { kratos, keeper, events } = setup()
    kratos.reply(200, kratosSession({ expiresIn: 10 * MINUTE }))
    keeper.start()
    await advance(0)
    const confirm = kratos.pending()

    // The device sleeps: wall-clock time moves, timers do not run.
    vi.setSystemTime(Date.now() + 15 * MINUTE)
    document.dispatchEvent(new Event('visibilitychange'))
    await flush()

    expect(keeper.getState()).toMatchObject({ phase: 'expired', status: 'unauthenticated' })
    expect(events).not.toContain('expiring')
    expect(events.filter((e) => e === 'expired')).toHaveLength(1)
    expect(kratos.count).toBe(2)
    await confirm.resolve({ status: 401, body: UNAUTHORIZED })
    expect(keeper.getState().status).toBe('unauthenticated')
    expect(events).not.toContain('expiring')
  })

  it.each([
    ['focus', () => window.dispatchEvent(new Event('focus'))],
    ['pageshow', () => window.dispatchEvent(new Event('pageshow'))],
    ['online', () => window.dispatchEvent(new Event('online'))],
  ])('should re-evaluate the deadlines on %s after a sleep', async (_, wake) => {
    const { kratos, keeper, events } = setup()
    kratos.reply(200, kratosSession({ expiresIn: 10 * MINUTE }))
    keeper.start()
    await advance(0)
    kratos.pending()

    vi.setSystemTime(Date.now() + 11 * MINUTE)
    wake()
    await flush()

    expect(keeper.getState().phase).toBe('expired')
    expect(events).not.toContain('expiring')
  })

  it('should move to expiring on wake-up after a device slept past the warning only', async () => {
    const { kratos, keeper, events } = setup()
    kratos.reply(200, kratosSession({ expiresIn: 10 * MINUTE }))
    kratos.always(() => ({ status: 200, body: kratosSession({ expiresIn: 3 * MINUTE }) }))
    keeper.start()
    await advance(0)

    vi.setSystemTime(Date.now() + 7 * MINUTE)
    document.dispatchEvent(new Event('visibilitychange'))
    await flush()

    expect(keeper.getState()).toMatchObject({ phase: 'expiring', status: 'authenticated' })
    expect(events.filter((e) => e === 'expiring')).toHaveLength(1)
  })
})

describe('clock skew', () => {
  // Kratos's `Date` has whole seconds; the keeper assumes the middle of that second.
  const dateHeader = (offset: number) => ({ date: new Date(Date.now() + offset).toUTCString() })

  it('should read the skew from the Date header when the server is ahead and move the expiry deadlines', async () => {
    const { kratos, keeper } = setup()
    const serverAhead = HOUR
    // Ten minutes left in server time; local time says 70.
    kratos.reply(
      200,
      kratosSession({ now: Date.now() + serverAhead, expiresIn: 10 * MINUTE }),
      dateHeader(serverAhead),
    )
    keeper.start()
    await advance(0)

    expect(keeper.getState().clockSkew).toBeGreaterThanOrEqual(serverAhead)
    expect(keeper.getState().clockSkew).toBeLessThan(serverAhead + SECOND)
    expect(keeper.getState().phase).toBe('active')
    kratos.pending()
    await advance(5 * MINUTE - SECOND)
    expect(keeper.getState().phase).toBe('active')
    await advance(SECOND)
    expect(keeper.getState().phase).toBe('expiring')
    await advance(5 * MINUTE)
    expect(keeper.getState()).toMatchObject({ phase: 'expired', status: 'unauthenticated' })
  })

  it('should read the skew from the Date header when the server is behind and move the expiry deadlines', async () => {
    const { kratos, keeper } = setup()
    const serverBehind = -HOUR
    // Ten minutes left in server time; by local time it ended 50 minutes ago.
    kratos.reply(
      200,
      kratosSession({ now: Date.now() + serverBehind, expiresIn: 10 * MINUTE }),
      dateHeader(serverBehind),
    )
    keeper.start()
    await advance(0)

    expect(keeper.getState().clockSkew).toBeGreaterThanOrEqual(serverBehind)
    expect(keeper.getState().clockSkew).toBeLessThan(serverBehind + SECOND)
    expect(keeper.getState()).toMatchObject({ phase: 'active', status: 'authenticated' })
    await advance(5 * MINUTE - SECOND)
    expect(keeper.getState().phase).toBe('active')
    await advance(SECOND)
    expect(keeper.getState().phase).toBe('expiring')
    kratos.pending()
    await advance(5 * MINUTE)
    expect(keeper.getState().phase).toBe('expired')
  })

  it('should keep clockSkew at 0 when there is no readable Date header', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(200, kratosSession())

    expect((await keeper.check()).clockSkew).toBe(0)
  })

  it('should judge freshness against skew-corrected time', async () => {
    const { kratos, keeper } = setup()
    // Authenticated 4 minutes ago by the server's clock, which is 2 minutes ahead of ours.
    kratos.reply(
      200,
      kratosSession({ now: Date.now() + 2 * MINUTE, authenticatedAgo: 4 * MINUTE }),
      dateHeader(2 * MINUTE),
    )
    await keeper.check()

    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
    await advance(MINUTE)
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(false)
  })
})
