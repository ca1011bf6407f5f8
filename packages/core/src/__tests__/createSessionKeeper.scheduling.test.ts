// @vitest-environment jsdom
// Timing rules of DESIGN §3: polling cadence, backoff, Retry-After, wake-up re-checks, one timer,
// clamped delays, Ory-Session-Cache-For.
import { describe, expect, it, vi } from 'vitest'
import { parseSession } from '../parseSession.js'
import { type fakeKratosFetch, flush, kratosSession } from './fakeKratosFetch.js'
import { setVisibility, useFakeTimerKeepers } from './keeperKit.js'

const SECOND = 1_000
const MINUTE = 60_000
const { setup } = useFakeTimerKeepers({ visible: true })

/** Advances fake time and lets the keeper's promise chains settle. */
async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms)
  await flush()
}

/** The moments (ms after `from`) at which requests were made, read from the fake clock. */
function recordTimes(kratos: ReturnType<typeof fakeKratosFetch>, from = Date.now()) {
  const times: number[] = []
  const original = kratos.mock.getMockImplementation()
  kratos.mock.mockImplementation(async (input, init) => {
    times.push(Date.now() - from)
    return (original as typeof fetch)(input, init)
  })
  return times
}

/** The waits between consecutive requests. */
const gapsOf = (times: number[]) => times.slice(1).map((time, i) => time - (times[i] as number))

describe('polling', () => {
  it('should check at start and then every pollInterval while visible', async () => {
    const { kratos, keeper } = setup()
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })

    keeper.start()
    await advance(0)
    expect(kratos.count).toBe(1)

    await advance(MINUTE - 1)
    expect(kratos.count).toBe(1)
    await advance(1)
    expect(kratos.count).toBe(2)
    await advance(MINUTE)
    expect(kratos.count).toBe(3)
  })

  it('should poll every hiddenPollInterval while the page is hidden', async () => {
    const { kratos, keeper } = setup()
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
    keeper.start()
    await advance(0)

    setVisibility('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    await advance(5 * MINUTE - 1)
    expect(kratos.count).toBe(1)
    await advance(1)
    expect(kratos.count).toBe(2)
    await advance(5 * MINUTE)
    expect(kratos.count).toBe(3)
  })

  it('should go back to pollInterval and re-check at once when the page becomes visible again', async () => {
    const { kratos, keeper } = setup()
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
    keeper.start()
    await advance(0)
    setVisibility('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    await advance(2 * MINUTE)
    expect(kratos.count).toBe(1)

    setVisibility('visible')
    document.dispatchEvent(new Event('visibilitychange'))
    await advance(0)
    expect(kratos.count).toBe(2)
    await advance(MINUTE)
    expect(kratos.count).toBe(3)
  })

  it('should use Ory-Session-Cache-For as a lower bound on the poll interval', async () => {
    const { kratos, keeper } = setup()
    kratos.always({
      status: 200,
      body: kratosSession({ expiresIn: 24 * 60 * MINUTE }),
      headers: { 'ory-session-cache-for': '300' },
    })
    keeper.start()
    await advance(0)

    await advance(5 * MINUTE - 1)
    expect(kratos.count).toBe(1)
    await advance(1)
    expect(kratos.count).toBe(2)
  })

  it('should keep pollInterval when Ory-Session-Cache-For is shorter', async () => {
    const { kratos, keeper } = setup()
    kratos.always({
      status: 200,
      body: kratosSession({ expiresIn: 24 * 60 * MINUTE }),
      headers: { 'ory-session-cache-for': '10' },
    })
    keeper.start()
    await advance(0)

    await advance(MINUTE - 1)
    expect(kratos.count).toBe(1)
    await advance(1)
    expect(kratos.count).toBe(2)
  })

  it('should not report polls as anything but checks (the request is a plain GET whoami every time)', async () => {
    const { kratos, keeper } = setup()
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
    keeper.start()
    await advance(3 * MINUTE)

    expect(kratos.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(
      Array(4).fill('GET /sessions/whoami'),
    )
  })
})

describe('backoff', () => {
  it('should back off exponentially after consecutive failures', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const { kratos, keeper } = setup()
    const times = recordTimes(kratos)
    kratos.always({ status: 503 })

    keeper.start()
    await advance(MINUTE)

    const gaps = gapsOf(times).slice(0, 5)
    expect(gaps).toHaveLength(5)
    expect(gaps[0]).toBeGreaterThanOrEqual(SECOND)
    // Each wait doubles the one before (the first may sit on the one-second floor).
    for (let i = 2; i < gaps.length; i++) expect(gaps[i]).toBe(2 * (gaps[i - 1] as number))
    expect(gaps[4]).toBeLessThan(MINUTE)
  })

  it('should spread retries with Math.random (jitter)', async () => {
    const run = async (random: number) => {
      vi.spyOn(Math, 'random').mockReturnValue(random)
      const { kratos, keeper } = setup()
      const times = recordTimes(kratos)
      kratos.always({ status: 503 })
      keeper.start()
      await advance(MINUTE)
      keeper.stop()
      return gapsOf(times).slice(0, 4)
    }

    const low = await run(0)
    const high = await run(0.99)

    expect(low).toHaveLength(4)
    expect(high).toHaveLength(4)
    expect(high[3]).toBeGreaterThan(low[3] as number)
  })

  it('should cap the backoff at hiddenPollInterval', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999)
    const { kratos, keeper } = setup({ pollInterval: '5s', hiddenPollInterval: '10s' })
    const times = recordTimes(kratos)
    kratos.always({ status: 500 })

    keeper.start()
    await advance(2 * MINUTE)

    const gaps = gapsOf(times)
    expect(gaps.length).toBeGreaterThan(8)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(10 * SECOND)
    expect(gaps.at(-1)).toBeGreaterThan(9_990)
  })

  it('should wait for Retry-After in seconds instead of the backoff', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(429, undefined, { 'retry-after': '30' })
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
    keeper.start()
    await advance(0)

    await advance(30 * SECOND - 1)
    expect(kratos.count).toBe(1)
    await advance(1)
    expect(kratos.count).toBe(2)
    expect(keeper.getState().stale).toBe(false)
  })

  it('should wait for Retry-After even when it is longer than hiddenPollInterval', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(503, undefined, { 'retry-after': '600' })
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
    keeper.start()
    await advance(0)

    await advance(10 * MINUTE - 1)
    expect(kratos.count).toBe(1)
    await advance(1)
    expect(kratos.count).toBe(2)
  })

  it('should wait for Retry-After given as an HTTP date', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(503, undefined, { 'retry-after': new Date(Date.now() + 45 * SECOND).toUTCString() })
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
    keeper.start()
    await advance(0)

    await advance(45 * SECOND - 1)
    expect(kratos.count).toBe(1)
    await advance(1)
    expect(kratos.count).toBe(2)
  })

  it('should reset the backoff after a successful check', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const { kratos, keeper } = setup()
    const times = recordTimes(kratos)
    kratos.reply(500).reply(500).reply(500)
    kratos.reply(200, kratosSession({ expiresIn: 24 * 60 * MINUTE }))
    kratos.always({ status: 500 })

    keeper.start()
    await advance(2 * MINUTE)

    // Three failures, a success, the next poll a minute later fails, and its retry waits as
    // long as the very first retry did, not twice the last one.
    const gaps = gapsOf(times)
    expect(gaps[2]).toBeGreaterThan(gaps[0] as number)
    expect(gaps[3]).toBe(MINUTE)
    expect(gaps[4]).toBe(gaps[0])
  })

  it('should not re-check on focus while backing off', async () => {
    const { kratos, keeper } = setup({ recheckOnFocusAfter: 0 })
    kratos.reply(503, undefined, { 'retry-after': '30' })
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
    keeper.start()
    await advance(10 * SECOND)

    window.dispatchEvent(new Event('focus'))
    await advance(0)

    expect(kratos.count).toBe(1)
  })
})

describe('wake-up re-checks', () => {
  const wakeEvents: [string, () => void][] = [
    ['focus', () => window.dispatchEvent(new Event('focus'))],
    ['visibilitychange', () => document.dispatchEvent(new Event('visibilitychange'))],
    ['pageshow', () => window.dispatchEvent(new Event('pageshow'))],
    ['online', () => window.dispatchEvent(new Event('online'))],
  ]

  it.each(wakeEvents)(
    'should re-check on %s only when the last check is older than recheckOnFocusAfter',
    async (_, wake) => {
      const { kratos, keeper } = setup({ pollInterval: '10m', hiddenPollInterval: '10m' })
      kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
      keeper.start()
      await advance(0)

      await advance(30 * SECOND)
      wake()
      await advance(0)
      expect(kratos.count).toBe(1)

      await advance(1)
      wake()
      await advance(0)
      expect(kratos.count).toBe(2)
    },
  )

  it('should not re-check when the page becomes hidden', async () => {
    const { kratos, keeper } = setup({ pollInterval: '10m', hiddenPollInterval: '10m' })
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
    keeper.start()
    await advance(MINUTE)

    setVisibility('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    await advance(0)

    expect(kratos.count).toBe(1)
  })

  it('should count the first re-check from start() when nothing was answered yet', async () => {
    const { kratos, keeper } = setup({ initialSession: parseSession(kratosSession()) })
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
    keeper.start()

    await advance(30 * SECOND)
    window.dispatchEvent(new Event('focus'))
    await advance(0)
    expect(kratos.count).toBe(0)

    await advance(1)
    window.dispatchEvent(new Event('focus'))
    await advance(0)
    expect(kratos.count).toBe(1)
  })
})

describe('timers', () => {
  it('should keep one timer at a time through polls, wake-ups and failures', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(200, kratosSession({ expiresIn: 20 * MINUTE }))
    kratos.reply(500).fail()
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 20 * MINUTE }) })

    keeper.start()
    await advance(0)
    expect(vi.getTimerCount()).toBe(1)

    for (let i = 0; i < 5; i++) {
      window.dispatchEvent(new Event('focus'))
      document.dispatchEvent(new Event('visibilitychange'))
      window.dispatchEvent(new Event('online'))
      await advance(0)
      expect(vi.getTimerCount()).toBe(1)
    }
    await advance(MINUTE)
    expect(vi.getTimerCount()).toBe(1)
    await advance(2 * SECOND)
    expect(vi.getTimerCount()).toBe(1)
    await advance(10 * MINUTE)
    expect(vi.getTimerCount()).toBe(1)
  })

  it('should keep polling every pollInterval after the wall clock is set back an hour', async () => {
    const { kratos, keeper } = setup()
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
    keeper.start()
    await advance(0)
    expect(kratos.count).toBe(1)

    vi.setSystemTime(Date.now() - 60 * MINUTE) // the timers keep their real delays, as a browser's do
    const times = recordTimes(kratos)
    await advance(3 * MINUTE)
    expect(times).toEqual([MINUTE, 2 * MINUTE, 3 * MINUTE])
    // Its own times never went back either: the last answer is newer than the one before the jump.
    expect(keeper.getState().lastCheckedAt).toBeGreaterThan(Date.now())
  })

  it('should clamp delays to 2^31-1 ms so a session 30 days away does not fire at once', async () => {
    const thirtyDays = 30 * 24 * 60 * MINUTE
    const expiring = vi.fn()
    const { kratos, keeper } = setup({
      pollInterval: '800h',
      hiddenPollInterval: '800h',
      initialSession: parseSession(kratosSession({ expiresIn: thirtyDays })),
    })
    keeper.on('expiring', expiring)
    kratos.always({ status: 200, body: kratosSession({ expiresIn: thirtyDays }) })
    keeper.start()

    await advance(10 * SECOND)
    expect(keeper.getState().phase).toBe('active')
    expect(expiring).not.toHaveBeenCalled()
    expect(kratos.count).toBe(0)

    await advance(thirtyDays - 5 * MINUTE - 10 * SECOND - 1)
    expect(keeper.getState().phase).toBe('active')
    await advance(1)
    expect(keeper.getState().phase).toBe('expiring')
    expect(expiring).toHaveBeenCalledTimes(1)
  })

  it('should never set a timer delay above 2^31-1 ms', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout')
    const { keeper } = setup({
      pollInterval: '900h',
      hiddenPollInterval: '900h',
      initialSession: parseSession(kratosSession({ expiresIn: 40 * 24 * 60 * MINUTE })),
    })

    keeper.start()

    const delays = setTimeoutSpy.mock.calls.map(([, delay]) => delay ?? 0)
    expect(delays.length).toBeGreaterThan(0)
    expect(Math.max(...delays)).toBe(2_147_483_647)
  })
})
