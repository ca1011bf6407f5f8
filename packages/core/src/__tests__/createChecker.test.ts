// The checker alone (issue 12): a real store and scheduler on a hand clock, real HTTP (createHttp)
// over the scripted fetch. The scheduler's timers are the clock's; ky's are real and unused.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type CheckerOptions, createChecker } from '../createChecker.js'
import { createHttp } from '../createHttp.js'
import { createScheduler } from '../createScheduler.js'
import { createSessionStore } from '../createSessionStore.js'
import { NetworkError } from '../SessionKeeperError.js'
import type { RemoteState } from '../TabMessage.js'
import type { Session } from '../types.js'
import { aal2Required, fakeKratosFetch, kratosSession, UNAUTHORIZED } from './fakeKratosFetch.js'
import { MINUTE, quiet, SECOND, T0, unitClock } from './unitKit.js'

const BASE = 'https://auth.example'
const POLL = MINUTE
const HIDDEN_POLL = 10 * MINUTE
const body = (options: Parameters<typeof kratosSession>[0] = {}) => kratosSession({ now: T0, ...options })

function setup(options: Partial<CheckerOptions> & { leader?: boolean } = {}) {
  const clock = unitClock()
  const kratos = fakeKratosFetch()
  const store = createSessionStore({
    now: clock.now,
    expiringThreshold: 5 * MINUTE,
    initialSession: undefined,
  })
  const scheduler = createScheduler(clock, quiet)
  const publish = vi.fn<CheckerOptions['publish']>()
  const report = vi.fn<CheckerOptions['report']>()
  const o: CheckerOptions = {
    http: createHttp({ baseUrl: BASE, sessionToken: undefined, timeout: 10 * SECOND, fetch: kratos.fetch }),
    now: clock.now,
    store,
    scheduler,
    baseUrl: BASE,
    pollInterval: POLL,
    hiddenPollInterval: HIDDEN_POLL,
    allHidden: vi.fn(() => false),
    publish,
    proves: vi.fn<(session: Session | null) => boolean>(() => false),
    report,
    reportAll: false,
    log: quiet,
    ...options,
  }
  const checker = createChecker(o)
  if (options.leader) store.update({ isLeader: true })
  return { clock, kratos, store, scheduler, checker, publish, report }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('createChecker: requests', () => {
  it('should share one request between concurrent checks', async () => {
    const { kratos, checker } = setup()
    kratos.reply(200, body())
    const [a, b] = [checker.check(), checker.check()]
    expect(await a).toBe(await b)
    expect(kratos.count).toBe(1)
    expect((await a).status).toBe('authenticated')
  })

  it('should send a second request when forced', async () => {
    const { kratos, checker } = setup()
    kratos.reply(200, body()).reply(401, UNAUTHORIZED)
    const first = checker.check()
    const forced = checker.check({ force: true })
    await Promise.all([first, forced])
    expect(kratos.count).toBe(2)
  })

  it('should drop an answer older than one already applied', async () => {
    const { kratos, store, checker } = setup()
    const slow = kratos.pending()
    const first = checker.check()
    kratos.reply(401, UNAUTHORIZED)
    await checker.check({ force: true })
    expect(store.getState().status).toBe('unauthenticated')
    await slow.resolve({ status: 200, body: body() })
    await first
    expect(store.getState()).toMatchObject({ status: 'unauthenticated', session: null })
  })

  it('should keep the session and mark it stale on a failure, never rejecting', async () => {
    const { kratos, store, checker } = setup()
    kratos.reply(200, body()).reply(500, {})
    await checker.check()
    const state = await checker.check()
    expect(state).toMatchObject({ status: 'authenticated', stale: true, error: { name: 'ServerError' } })
    expect(state.session).toBe(store.getState().session)
  })

  it('should give the aal2-required state a checked step-up URL', async () => {
    const { kratos, checker } = setup()
    kratos.reply(403, aal2Required(`${BASE}/self-service/login/browser?aal=aal2&flow=1`))
    const state = await checker.check()
    expect(state).toMatchObject({
      status: 'aal2-required',
      aal2RedirectTo: `${BASE}/self-service/login/browser?aal=aal2&flow=1`,
    })
  })
})

describe('createChecker: backoff', () => {
  async function failures(count: number, random: number, reply = () => ({ status: 500, body: {} })) {
    vi.spyOn(Math, 'random').mockReturnValue(random)
    const t = setup()
    t.kratos.always(reply)
    const delays: number[] = []
    for (let i = 0; i < count; i++) {
      await t.checker.check()
      delays.push(t.checker.retryAt() - t.clock.now())
    }
    return { ...t, delays }
  }

  it('should double the backoff on each failure, half of it jitter, up to hiddenPollInterval', async () => {
    const low = await failures(10, 0)
    expect(low.delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300].map((s) => s * SECOND))
    const high = await failures(10, 1)
    expect(high.delays).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 600].map((s) => s * SECOND))
  })

  it('should let Retry-After win over the backoff, but wait at least a second', async () => {
    const later = await failures(1, 0, () => ({ status: 429, body: {}, headers: { 'retry-after': '120' } }))
    expect(later.delays).toEqual([120 * SECOND])
    const now = await failures(1, 0, () => ({ status: 503, body: {}, headers: { 'retry-after': '0' } }))
    expect(now.delays).toEqual([SECOND])
  })

  it('should end the backoff with a good answer', async () => {
    const { kratos, checker } = setup()
    kratos.reply(500, {}).reply(200, body())
    await checker.check()
    expect(checker.retryAt()).toBeGreaterThan(0)
    await checker.check()
    expect(checker.retryAt()).toBe(0)
  })

  it('should report only the first failure of an outage without reportAll', async () => {
    const { kratos, checker, report } = setup()
    kratos.reply(500, {}).reply(500, {}).reply(200, body()).reply(502, {})
    for (let i = 0; i < 4; i++) await checker.check()
    expect(report.mock.calls.map(([error]) => (error as { status?: number }).status)).toEqual([500, 502])
  })

  it('should report every failure with reportAll', async () => {
    const { kratos, checker, report } = setup({ reportAll: true })
    kratos.reply(500, {}).reply(503, {})
    await checker.check()
    await checker.check()
    expect(report).toHaveBeenCalledTimes(2)
  })
})

describe('createChecker: other answers', () => {
  const remote = (partial: Partial<RemoteState> = {}): RemoteState => ({
    at: T0,
    status: 'unauthenticated',
    session: null,
    aal2RedirectTo: null,
    clockSkew: 0,
    ...partial,
  })

  it("should take another tab's newer answer and ignore an older or equal one", async () => {
    const { kratos, clock, store, checker } = setup()
    kratos.reply(200, body())
    clock.advance(SECOND)
    await checker.check()
    checker.hear(remote({ at: T0 + SECOND }))
    expect(store.getState().status).toBe('authenticated')
    checker.hear(remote({ at: T0 + 2 * SECOND }))
    expect(store.getState()).toMatchObject({ status: 'unauthenticated', lastCheckedAt: T0 + 2 * SECOND })
  })

  it("should drop an answer in flight once another tab's newer one is heard", async () => {
    const { kratos, store, checker } = setup()
    const slow = kratos.pending()
    const check = checker.check()
    checker.hear(remote({ at: T0 }))
    await slow.resolve({ status: 200, body: body() })
    await check
    expect(store.getState().status).toBe('unauthenticated')
  })

  it('should let conclude() win over an answer still in flight, and publish it as a change', async () => {
    const { kratos, store, checker, publish } = setup()
    kratos.reply(200, body())
    await checker.check()
    const slow = kratos.pending()
    const check = checker.check({ force: true })
    checker.conclude({ status: 'unauthenticated' })
    expect(store.getState().status).toBe('unauthenticated')
    expect(publish).toHaveBeenLastCalledWith(store.getState(), true)
    await slow.resolve({ status: 200, body: body() })
    await check
    expect(store.getState()).toMatchObject({ status: 'unauthenticated', session: null })
  })

  it('should publish each answer, saying whether the session or status changed', async () => {
    const { kratos, checker, publish } = setup()
    kratos
      .reply(200, body())
      .reply(200, body())
      .reply(200, body({ expiresIn: 2 * 60 * MINUTE }))
    for (let i = 0; i < 3; i++) await checker.check()
    expect(publish.mock.calls.map(([, changed]) => changed)).toEqual([true, false, true])
  })

  it('should not publish an answer checked with publish false', async () => {
    const { kratos, checker, publish } = setup()
    kratos.reply(200, body()).reply(500, {})
    await checker.check({}, false)
    await checker.check({}, false)
    expect(publish).not.toHaveBeenCalled()
  })

  it('should publish a failure as the stale state it leaves, no change to the session', async () => {
    const { kratos, checker, publish } = setup()
    kratos.reply(200, body()).reply(503, {})
    await checker.check()
    const failed = await checker.check()
    expect(failed).toMatchObject({ stale: true, error: { name: 'ServerError', status: 503 } })
    expect(publish).toHaveBeenLastCalledWith(failed, false)
    expect(publish).toHaveBeenCalledTimes(2)
  })

  it("should mark its state stale with another tab's failure after an answer no newer than its own", async () => {
    const log = vi.fn<CheckerOptions['log']>()
    const { kratos, clock, store, checker } = setup({ log })
    kratos.reply(200, body())
    await checker.check()
    const error = new NetworkError('whoami failed: down')
    checker.hear(
      remote({ at: T0 - SECOND, status: 'authenticated', session: store.getState().session, error }),
    )
    expect(store.getState()).toMatchObject({ status: 'authenticated', stale: false, error: null })
    checker.hear(remote({ at: T0, status: 'authenticated', session: store.getState().session, error }))
    expect(store.getState()).toMatchObject({ status: 'authenticated', stale: true, error })
    expect(log).toHaveBeenLastCalledWith('heard', { answeredAt: T0, applied: false, error })
    // The sender's next good answer ends it.
    clock.advance(SECOND)
    checker.hear(remote({ at: T0 + SECOND, status: 'authenticated', session: store.getState().session }))
    expect(store.getState()).toMatchObject({ stale: false, error: null })
  })

  it('should take a failure from a tab that never had an answer, and stay loading', () => {
    const { store, checker } = setup()
    const error = new NetworkError('whoami failed: down')
    checker.hear(remote({ at: 0, status: 'loading', error }))
    expect(store.getState()).toMatchObject({ status: 'loading', lastCheckedAt: null, stale: true, error })
  })

  it('should ask proves() with the session when signed in, and with null otherwise', async () => {
    const proves = vi.fn((session: Session | null) => session !== null)
    const { kratos, store, checker } = setup({ proves })
    kratos.reply(401, UNAUTHORIZED).reply(403, aal2Required()).reply(200, body())
    await checker.check()
    await checker.check()
    expect(proves.mock.calls).toEqual([[null], [null]])
    await checker.check()
    expect(proves).toHaveBeenLastCalledWith(store.getState().session)
    expect(store.getState().secondFactorUnavailable).toBe(true)
  })
})

describe('createChecker: the leader poll', () => {
  /** When the scheduler's one timer is set to fire, once the checker has settled. */
  const wakeAt = (clock: ReturnType<typeof unitClock>) => clock.timers.map((t) => t.at)

  it('should poll every pollInterval from the last answer, in the leader only', async () => {
    const { kratos, clock, scheduler, checker, store } = setup({ leader: true })
    kratos.always({ status: 200, body: body({ expiresIn: 24 * 60 * MINUTE }) })
    checker.restart()
    scheduler.start()
    expect(wakeAt(clock)).toEqual([T0 + POLL])
    clock.advance(POLL)
    // No wake-up, and no second request, while the poll is in flight.
    expect(wakeAt(clock)).toEqual([])
    scheduler.tick()
    await vi.waitFor(() => expect(store.getState().lastCheckedAt).toBe(T0 + POLL))
    expect(kratos.count).toBe(1)
    expect(wakeAt(clock)).toEqual([T0 + 2 * POLL])

    store.update({ isLeader: false })
    scheduler.schedule()
    expect(wakeAt(clock)).toEqual([])
  })

  it('should poll at hiddenPollInterval while every tab is hidden', () => {
    const { clock, scheduler, checker } = setup({ leader: true, allHidden: () => true })
    checker.restart()
    scheduler.start()
    expect(wakeAt(clock)).toEqual([T0 + HIDDEN_POLL])
  })

  it('should not ask again before Ory-Session-Cache-For has passed', async () => {
    const { kratos, clock, scheduler, checker } = setup({ leader: true })
    kratos.reply(200, body(), { 'ory-session-cache-for': '300' })
    scheduler.start()
    await checker.check()
    expect(wakeAt(clock)).toEqual([T0 + 5 * MINUTE])
  })

  it('should try again at the end of the backoff', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { kratos, clock, scheduler, checker } = setup({ leader: true })
    kratos.reply(500, {})
    scheduler.start()
    await checker.check()
    expect(wakeAt(clock)).toEqual([T0 + SECOND])
  })
})
