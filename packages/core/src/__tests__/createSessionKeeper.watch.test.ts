// @vitest-environment jsdom
// Time-driven reads on the keeper's one timer: subscribeFreshness (a gate re-locks on screen
// when maxAge passes), subscribeCountdown (ticks only while visible and signed in) and
// timeLeft() against server time. Fake timers, one tab (`tabSync: false`).
import { describe, expect, it, vi } from 'vitest'
import { flush, kratosSession, UNAUTHORIZED } from './fakeKratosFetch.js'
import { setVisibility, useFakeTimerKeepers } from './keeperKit.js'

const SECOND = 1_000
const MINUTE = 60_000
const { setup } = useFakeTimerKeepers({ visible: true })

/** A started keeper that has heard `body` from whoami (and keeps hearing it on each poll). */
async function started(body: unknown) {
  const { kratos, keeper } = setup()
  kratos.always({ status: 200, body })
  keeper.start()
  await flush()
  expect(keeper.getState().status).toBe('authenticated')
  return { kratos, keeper }
}

async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms)
  await flush()
}

describe('subscribeFreshness', () => {
  it('should flip to false when maxAge passes while the page is on screen', async () => {
    const { keeper } = await started(kratosSession({ authenticatedAgo: 4 * MINUTE }))
    const listener = vi.fn()
    keeper.subscribeFreshness({ maxAge: '5m' }, listener)

    await advance(MINUTE)
    expect(listener).not.toHaveBeenCalled()
    await advance(1)

    expect(listener).toHaveBeenCalledExactlyOnceWith(false)
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(false)
    await advance(10 * MINUTE)
    expect(listener).toHaveBeenCalledOnce()
  })

  it('should flip to true when a fresh session arrives', async () => {
    const { kratos, keeper } = await started(kratosSession({ authenticatedAgo: 10 * MINUTE }))
    const listener = vi.fn()
    keeper.subscribeFreshness({ maxAge: '5m' }, listener)

    kratos.reply(200, kratosSession())
    await keeper.check()

    expect(listener).toHaveBeenCalledExactlyOnceWith(true)
  })

  it('should flip to false on sign-out', async () => {
    const { kratos, keeper } = await started(kratosSession())
    const listener = vi.fn()
    keeper.subscribeFreshness({ maxAge: '5m' }, listener)

    kratos.reply(401, UNAUTHORIZED)
    await keeper.check()

    expect(listener).toHaveBeenCalledExactlyOnceWith(false)
  })

  it('should call nothing more once unsubscribed, neither on time nor on a new session', async () => {
    const { kratos, keeper } = await started(kratosSession({ authenticatedAgo: 4 * MINUTE }))
    const listener = vi.fn()
    const unsubscribe = keeper.subscribeFreshness({ maxAge: '5m' }, listener)

    unsubscribe()
    await advance(2 * MINUTE)
    kratos.reply(200, kratosSession())
    await keeper.check()

    expect(listener).not.toHaveBeenCalled()
  })

  it('should set no wake-up of its own once unsubscribed', async () => {
    const delays: number[] = []
    const { kratos, keeper } = setup({
      clock: {
        now: () => Date.now(),
        setTimeout: (callback, ms) => {
          delays.push(ms)
          return setTimeout(callback, ms)
        },
        clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      },
    })
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
    keeper.start()
    await flush()

    const unsubscribe = keeper.subscribeFreshness({ maxAge: '10s' }, () => {})
    expect(delays.at(-1)).toBe(10 * SECOND + 1)
    unsubscribe()

    // The one timer is back to the next poll, a minute away.
    expect(delays.at(-1)).toBe(MINUTE)
  })
})

describe('subscribeCountdown', () => {
  it('should tick every `every` while the page is visible and signed in', async () => {
    const { keeper } = await started(kratosSession())
    const listener = vi.fn()
    keeper.subscribeCountdown('1s', listener)

    await advance(SECOND - 1)
    expect(listener).not.toHaveBeenCalled()
    await advance(1)
    expect(listener).toHaveBeenCalledTimes(1)
    await advance(3 * SECOND)

    expect(listener).toHaveBeenCalledTimes(4)
  })

  it('should not tick while the page is hidden, and resume on visibilitychange', async () => {
    const { keeper } = await started(kratosSession())
    const listener = vi.fn()
    keeper.subscribeCountdown(SECOND, listener)
    await advance(2 * SECOND)
    expect(listener).toHaveBeenCalledTimes(2)

    setVisibility('hidden')
    document.dispatchEvent(new Event('visibilitychange'))
    await advance(30 * SECOND)
    expect(listener).toHaveBeenCalledTimes(2)

    setVisibility('visible')
    document.dispatchEvent(new Event('visibilitychange'))
    await flush()
    const resumed = listener.mock.calls.length
    expect(resumed).toBeGreaterThanOrEqual(2)
    expect(resumed).toBeLessThanOrEqual(3) // at most one catch-up tick on return
    await advance(3 * SECOND)

    expect(listener).toHaveBeenCalledTimes(resumed + 3)
  })

  it('should not tick without a session', async () => {
    const { kratos, keeper } = setup()
    kratos.always({ status: 401, body: UNAUTHORIZED })
    keeper.start()
    await flush()
    const listener = vi.fn()

    keeper.subscribeCountdown('1s', listener)
    await advance(5 * SECOND)

    expect(listener).not.toHaveBeenCalled()
  })

  it('should stop ticking once unsubscribed', async () => {
    const { keeper } = await started(kratosSession())
    const listener = vi.fn()
    const unsubscribe = keeper.subscribeCountdown('1s', listener)
    await advance(SECOND)

    unsubscribe()
    await advance(5 * SECOND)

    expect(listener).toHaveBeenCalledOnce()
  })
})

describe('timeLeft', () => {
  it('should be null without a session', async () => {
    const { kratos, keeper } = setup()
    expect(keeper.timeLeft()).toBeNull()

    kratos.reply(401, UNAUTHORIZED)
    await keeper.check()

    expect(keeper.timeLeft()).toBeNull()
  })

  it('should count down to expires_at in server time', async () => {
    const serverAhead = 2 * MINUTE
    const { kratos, keeper } = setup()
    kratos.reply(200, kratosSession({ now: Date.now() + serverAhead, expiresIn: 10 * MINUTE }), {
      date: new Date(Date.now() + serverAhead).toUTCString(),
    })
    await keeper.check()

    // 12 minutes by the local clock; Kratos's Date has whole seconds, so the estimate is within one.
    expect(Math.abs((keeper.timeLeft() as number) - 10 * MINUTE)).toBeLessThanOrEqual(SECOND)
    const before = keeper.timeLeft() as number
    vi.setSystemTime(Date.now() + MINUTE)

    expect(keeper.timeLeft()).toBe(before - MINUTE)
  })

  it('should be 0, never negative, once expires_at has passed', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(200, kratosSession({ expiresIn: MINUTE }))
    await keeper.check()

    vi.setSystemTime(Date.now() + 2 * MINUTE)

    expect(keeper.timeLeft()).toBe(0)
  })
})
