// @vitest-environment jsdom
// start/stop, initialSession and getInitialState (DESIGN §2, STYLE principle 3).
import { describe, expect, it, vi } from 'vitest'
import { parseSession } from '../parseSession.js'
import type { SessionKeeperOptions } from '../resolveOptions.js'
import type { Session } from '../types.js'
import { flush, kratosSession } from './fakeKratosFetch.js'
import { useFakeTimerKeepers } from './keeperKit.js'

const MINUTE = 60_000
const harness = useFakeTimerKeepers({ visible: true })

function setup(options: Partial<SessionKeeperOptions> = {}) {
  const { kratos, keeper } = harness.setup(options)
  kratos.always(() => ({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) }))
  return { kratos, keeper }
}

async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms)
  await flush()
}

/** Counts page listeners added minus removed, on window and document. */
function trackListeners() {
  const added = [vi.spyOn(window, 'addEventListener'), vi.spyOn(document, 'addEventListener')]
  const removed = [vi.spyOn(window, 'removeEventListener'), vi.spyOn(document, 'removeEventListener')]
  const calls = (spies: typeof added) => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0)
  return {
    get net() {
      return calls(added) - calls(removed)
    },
    get added() {
      return calls(added)
    },
  }
}

describe('start and stop', () => {
  it('should do nothing before start(): no request, no timer, no listener', async () => {
    const listeners = trackListeners()
    const { kratos, keeper } = setup()

    await advance(10 * MINUTE)
    window.dispatchEvent(new Event('focus'))
    await advance(0)

    expect(kratos.count).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    expect(listeners.added).toBe(0)
    expect(keeper.getState()).toMatchObject({ status: 'loading', isLeader: false })
  })

  it('should return stop from start()', async () => {
    const { keeper } = setup()

    expect(keeper.start()).toBe(keeper.stop)
  })

  it('should be idempotent: a second start() makes no second request and adds no listeners', async () => {
    const listeners = trackListeners()
    const { kratos, keeper } = setup()

    keeper.start()
    const added = listeners.added
    expect(keeper.start()).toBe(keeper.stop)
    await advance(0)

    expect(kratos.count).toBe(1)
    expect(listeners.added).toBe(added)
    expect(vi.getTimerCount()).toBe(1)
  })

  it('should stop polling and listening on stop()', async () => {
    const listeners = trackListeners()
    const { kratos, keeper } = setup()
    const stop = keeper.start()
    await advance(0)

    stop()
    await advance(30 * MINUTE)
    window.dispatchEvent(new Event('focus'))
    window.dispatchEvent(new Event('online'))
    document.dispatchEvent(new Event('visibilitychange'))
    await advance(0)

    expect(kratos.count).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
    expect(listeners.net).toBe(0)
    expect(keeper.getState().isLeader).toBe(false)
  })

  it('should leave one timer and no leaked listeners after start/stop/start', async () => {
    const listeners = trackListeners()
    const { kratos, keeper } = setup({
      initialSession: parseSession(kratosSession({ expiresIn: 20 * MINUTE })),
    })

    keeper.start()
    const perStart = listeners.net
    keeper.stop()
    keeper.start()

    expect(vi.getTimerCount()).toBe(1)
    expect(listeners.net).toBe(perStart)
    expect(perStart).toBeGreaterThan(0)
    await advance(MINUTE)
    expect(kratos.count).toBe(1)
    expect(vi.getTimerCount()).toBe(1)
    keeper.stop()
    expect(listeners.net).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('should share the first request across start/stop/start while it is in flight', async () => {
    const { kratos, keeper } = setup()
    const answer = kratos.pending()

    keeper.start()
    keeper.stop()
    keeper.start()
    await answer.resolve({ status: 200, body: kratosSession() })

    expect(kratos.count).toBe(1)
    expect(keeper.getState().status).toBe('authenticated')
  })

  it('should apply an answer that arrives after stop() but set no timer', async () => {
    const { kratos, keeper } = setup()
    const answer = kratos.pending()
    keeper.start()
    await flush()

    keeper.stop()
    await answer.resolve({ status: 200, body: kratosSession() })

    expect(keeper.getState().status).toBe('authenticated')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('should mark the tab as the one that polls while started', () => {
    const { keeper } = setup()

    keeper.start()
    expect(keeper.getState().isLeader).toBe(true)
    keeper.stop()
    expect(keeper.getState().isLeader).toBe(false)
  })
})

describe('initialSession', () => {
  it('should be authenticated from an initial Session without a request at start, then poll after pollInterval', async () => {
    const { kratos, keeper } = setup({ initialSession: parseSession(kratosSession()) })
    expect(keeper.getState()).toMatchObject({ status: 'authenticated', phase: 'active' })

    keeper.start()
    await advance(MINUTE - 1)
    expect(kratos.count).toBe(0)
    await advance(1)
    expect(kratos.count).toBe(1)
  })

  it('should accept an initial session with ISO string timestamps, as serialised by the server', () => {
    const body = kratosSession()
    const { keeper } = setup({ initialSession: body as unknown as Session })

    expect(keeper.getState().session?.expires_at).toEqual(new Date(body.expires_at))
  })

  it('should be unauthenticated from initialSession null without a request at start, then poll after pollInterval', async () => {
    const { kratos, keeper } = setup({ initialSession: null })
    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', session: null, phase: null })

    keeper.start()
    await advance(MINUTE - 1)
    expect(kratos.count).toBe(0)
    await advance(1)
    expect(kratos.count).toBe(1)
    expect(keeper.getState().status).toBe('authenticated')
  })

  it('should be loading without initialSession and check at start', async () => {
    const { kratos, keeper } = setup()
    expect(keeper.getState()).toMatchObject({ status: 'loading', session: null, phase: null })

    keeper.start()
    await advance(0)

    expect(kratos.count).toBe(1)
  })

  it('should keep getInitialState at the creation state', async () => {
    const { keeper } = setup({ initialSession: null })
    const initial = structuredClone(keeper.getInitialState())

    keeper.start()
    await advance(3 * MINUTE)
    await keeper.check()

    expect(keeper.getState().status).toBe('authenticated')
    expect(keeper.getInitialState()).toEqual(initial)
    expect(keeper.getInitialState()).toMatchObject({
      status: 'unauthenticated',
      isLeader: false,
      lastCheckedAt: null,
    })
  })
})
