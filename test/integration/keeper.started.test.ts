// A started keeper against a real fake Kratos. `start()` needs a page, so `window`, `document`
// and `location` are stubbed (browserGlobals.ts) and the keeper's clock is a manual one whose
// timers fire only from `clock.runDue()`: the keeper's one timer is read with
// `clock.pendingDelays()` and the requests it makes are counted by a fetch recorder and the fake.
//
// To prove that a timer or a page event made a request, the test waits for that request
// (`recorder.nextCall()`) before joining it with `check()` (concurrent checks share one request).
// To prove that it made none, a forced check follows: a request started by the keeper before it
// would show up as one request too many.

import type { FakeKratos } from '@session-keeper/fake-kratos'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type BrowserGlobals, stubBrowserGlobals } from './browserGlobals.js'
import { createFetchRecorder, type FetchRecorder } from './fetchRecorder.js'
import { countEvents, requestsTo, startKratos, T0, tokenKeeperFor } from './harness.js'
import { createManualClock, type ManualClock } from './manualClock.js'

const WHOAMI = 'GET /sessions/whoami'

afterEach(() => {
  vi.restoreAllMocks()
})

interface Started {
  kratos: FakeKratos
  clock: ManualClock
  recorder: FetchRecorder
  page: BrowserGlobals
}

async function setup(kratosOptions: Parameters<typeof startKratos>[0] = {}): Promise<Started> {
  const page = stubBrowserGlobals('http://app.test/')
  const kratos = await startKratos(kratosOptions)
  return { kratos, clock: createManualClock(T0), recorder: createFetchRecorder(), page }
}

/**
 * A keeper with the token of user@example.com on the manual clock, fetching through the recorder,
 * its events counted; started, and resolved once the check start() made has answered.
 */
async function startKeeper(
  { kratos, clock, recorder }: Pick<Started, 'kratos' | 'clock' | 'recorder'>,
  options: Parameters<typeof tokenKeeperFor>[1] = {},
) {
  const keeper = tokenKeeperFor(kratos, { clock, fetch: recorder.fetch, ...options })
  const events = countEvents(keeper)
  keeper.start()
  const first = await keeper.check() // joins the check start() made
  return { keeper, events, first }
}

/** Moves the keeper's clock to its next deadline and fires it (the fake's clock stays). */
function fireNextTimer(clock: ManualClock) {
  const [delay] = clock.pendingDelays()
  if (delay === undefined) throw new Error('the keeper has no timer set')
  clock.advance(delay)
  clock.runDue()
}

describe('backoff while whoami fails', () => {
  /**
   * Signs in, starts a keeper polling every 2 s, then makes whoami fail `attempts` times in a row
   * (each retry fired from the keeper's own timer) with `Math.random()` pinned to `random`.
   * Returns the delay the keeper set after each failure. The browser globals must be stubbed.
   */
  async function backoffDelays(random: number, attempts: number) {
    const kratos = await startKratos()
    const clock = createManualClock(T0)
    const recorder = createFetchRecorder()
    const spy = vi.spyOn(Math, 'random').mockReturnValue(random)
    const {
      keeper,
      events,
      first: good,
    } = await startKeeper({ kratos, clock, recorder }, { pollInterval: '2s', hiddenPollInterval: '20s' })
    expect(recorder.calls).toHaveLength(1)
    expect(good.status).toBe('authenticated')
    expect(clock.pendingDelays()).toEqual([2_000])

    kratos.addFault({ route: WHOAMI, status: 503 })
    const delays: number[] = []
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const call = recorder.nextCall()
      fireNextTimer(clock)
      await call
      const state = await keeper.check() // joins the retry the timer started
      expect(recorder.calls).toHaveLength(1 + attempt)
      expect(state).toMatchObject({ status: 'authenticated', stale: true })
      expect(state.session).toBe(good.session)
      expect(clock.pendingDelays()).toHaveLength(1)
      delays.push(clock.pendingDelays()[0] as number)
    }
    expect(events['signed-out']).toBe(0)
    expect(events.error).toBe(1)
    spy.mockRestore()
    return { kratos, clock, recorder, keeper, delays }
  }

  it('should retry with exponential backoff capped at hiddenPollInterval, never signing out, then poll again', async () => {
    stubBrowserGlobals('http://app.test/')
    const { kratos, clock, recorder, keeper, delays } = await backoffDelays(1, 7)

    // With the jitter at its top, each delay doubles the one before until the cap.
    expect(delays[0]).toBeGreaterThanOrEqual(1_000)
    for (let i = 1; i < delays.length; i++) {
      expect(delays[i]).toBe(Math.min(2 * (delays[i - 1] as number), 20_000))
    }
    expect(delays.slice(-2)).toEqual([20_000, 20_000])

    kratos.clearFaults()
    const call = recorder.nextCall()
    fireNextTimer(clock)
    await call
    const recovered = await keeper.check()
    expect(recovered).toMatchObject({ status: 'authenticated', stale: false, error: null })
    expect(clock.pendingDelays()).toEqual([2_000])
    expect(requestsTo(kratos, WHOAMI)).toBe(9)
  })

  it('should jitter retries below the full backoff, never sooner than 1 s', async () => {
    stubBrowserGlobals('http://app.test/')
    const top = (await backoffDelays(1, 5)).delays
    const bottom = (await backoffDelays(0, 5)).delays

    for (const [i, delay] of bottom.entries()) {
      expect(delay).toBeGreaterThanOrEqual(1_000)
      expect(delay).toBeLessThanOrEqual(top[i] as number)
    }
    expect(bottom.some((delay, i) => delay < (top[i] as number))).toBe(true)
    expect(bottom.at(-1)).toBeGreaterThan(bottom[0] as number)
  })

  it('should wait Retry-After on 429, even beyond hiddenPollInterval', async () => {
    const { kratos, clock, recorder } = await setup()
    vi.spyOn(Math, 'random').mockReturnValue(1)
    const { keeper } = await startKeeper(
      { kratos, clock, recorder },
      { pollInterval: '2s', hiddenPollInterval: '5s' },
    )
    kratos.addFault({ route: WHOAMI, status: 429, retryAfter: 7, times: 1 })

    const call = recorder.nextCall()
    fireNextTimer(clock)
    await call
    const limited = await keeper.check()

    expect(limited).toMatchObject({ status: 'authenticated', stale: true })
    expect(clock.pendingDelays()).toEqual([7_000])

    const retry = recorder.nextCall()
    fireNextTimer(clock)
    await retry
    expect(await keeper.check()).toMatchObject({ status: 'authenticated', stale: false, error: null })
    expect(requestsTo(kratos, WHOAMI)).toBe(3)
  })
})

describe('local expiry', () => {
  const options = { pollInterval: '2h', hiddenPollInterval: '2h', expiringThreshold: '5m' } as const

  it('should enter expiring at expires_at - expiringThreshold without asking the server', async () => {
    const { kratos, clock, recorder } = await setup({ lifespan: '1h' })
    const { keeper, events } = await startKeeper({ kratos, clock, recorder }, options)
    expect(clock.pendingDelays()).toEqual([55 * 60_000])

    kratos.clock.advance(55 * 60_000)
    fireNextTimer(clock)

    expect(keeper.getState()).toMatchObject({ status: 'authenticated', phase: 'expiring' })
    expect(events.expiring).toBe(1)
    await keeper.check({ force: true })
    expect(recorder.calls).toHaveLength(2) // the forced check only
  })

  it('should sign out at expires_at before the server answers, then confirm with one whoami', async () => {
    const { kratos, clock, recorder } = await setup({ lifespan: '1h' })
    const { keeper, events } = await startKeeper({ kratos, clock, recorder }, options)
    kratos.clock.advance(55 * 60_000)
    fireNextTimer(clock) // expiring
    expect(clock.pendingDelays()).toEqual([5 * 60_000])

    kratos.clock.advance(5 * 60_000)
    const confirmation = recorder.nextCall()
    fireNextTimer(clock)

    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', phase: 'expired' })
    expect(events.expired).toBe(1)
    expect(events['signed-out']).toBe(1)
    await confirmation
    const confirmed = await keeper.check()
    expect(recorder.calls).toHaveLength(2)
    expect(confirmed).toMatchObject({ status: 'unauthenticated', session: null, phase: null, error: null })
    expect(events['signed-out']).toBe(1)
    expect(events.expired).toBe(1)
  })

  it('should go straight to expired, with no late expiring event, after sleeping past the warning', async () => {
    const { kratos, clock, recorder } = await setup({ lifespan: '1h' })
    const { keeper, events } = await startKeeper({ kratos, clock, recorder }, options)

    // The device sleeps for 61 minutes; its timer for the warning fires late, once.
    kratos.clock.advance(61 * 60_000)
    clock.advance(61 * 60_000)
    const confirmation = recorder.nextCall()
    clock.runDue()

    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', phase: 'expired' })
    expect(events.expiring).toBe(0)
    expect(events.expired).toBe(1)
    await confirmation
    expect((await keeper.check()).status).toBe('unauthenticated')
    expect(recorder.calls).toHaveLength(2)
  })
})

describe('poll cadence', () => {
  it('should poll no sooner than Ory-Session-Cache-For when Kratos sends it', async () => {
    const { kratos, clock, recorder } = await setup({ cacheableSessions: { maxAge: '10m' } })
    await startKeeper({ kratos, clock, recorder }, { pollInterval: '1m', hiddenPollInterval: '30m' })

    expect(clock.pendingDelays()).toEqual([10 * 60_000])
  })

  it('should poll at hiddenPollInterval while hidden and check on showing when the last answer is old', async () => {
    const { kratos, clock, recorder, page } = await setup()
    const { keeper } = await startKeeper(
      { kratos, clock, recorder },
      { pollInterval: '1m', hiddenPollInterval: '5m', recheckOnFocusAfter: '30s' },
    )
    expect(clock.pendingDelays()).toEqual([60_000])

    clock.advance(10_000)
    page.setVisibility('hidden')
    expect(clock.pendingDelays()).toEqual([290_000])

    clock.advance(30_000) // the last answer is now 40 s old
    const call = recorder.nextCall()
    page.setVisibility('visible')
    await call
    await keeper.check()
    expect(recorder.calls).toHaveLength(2)
    expect(clock.pendingDelays()).toEqual([60_000])
  })

  it('should not check on focus when the last answer is younger than recheckOnFocusAfter', async () => {
    const { kratos, clock, recorder, page } = await setup()
    const { keeper } = await startKeeper({ kratos, clock, recorder }, { recheckOnFocusAfter: '30s' })

    clock.advance(10_000)
    page.window.dispatchEvent(new Event('focus'))
    await keeper.check({ force: true })

    expect(recorder.calls).toHaveLength(2) // the start() check and the forced one
  })

  it('should leave no timer after stop()', async () => {
    const { kratos, clock, recorder } = await setup()
    const { keeper } = await startKeeper({ kratos, clock, recorder })
    expect(clock.pendingDelays()).toHaveLength(1)

    keeper.stop()

    expect(clock.pendingDelays()).toEqual([])
    expect(keeper.getState().isLeader).toBe(false)
  })
})
