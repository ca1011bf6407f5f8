// @vitest-environment jsdom
// check(): single-flight, force, monotonic answers and structural sharing (DESIGN §3, issue 3).
import { describe, expect, it, vi } from 'vitest'
import type { SessionState } from '../types.js'
import { flush, kratosSession, UNAUTHORIZED } from './fakeKratosFetch.js'
import { useFakeTimerKeepers } from './keeperKit.js'

const MINUTE = 60_000
const { setup } = useFakeTimerKeepers({ visible: true })

/** Tracks whether a promise has settled, without awaiting it. */
function track<T>(promise: Promise<T>) {
  const tracked = { settled: false, value: undefined as T | undefined }
  void promise.then((value) => {
    tracked.settled = true
    tracked.value = value
  })
  return tracked
}

describe('check()', () => {
  it('should share one request between concurrent calls', async () => {
    const { kratos, keeper } = setup()
    const answer = kratos.pending()

    const first = keeper.check()
    const second = keeper.check()
    await flush()
    await answer.resolve({ status: 200, body: kratosSession() })

    expect(kratos.count).toBe(1)
    expect(second).toBe(first)
    expect((await first).status).toBe('authenticated')
  })

  it('should make a new request once the previous one has settled', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(200, kratosSession()).reply(200, kratosSession())

    await keeper.check()
    await keeper.check()

    expect(kratos.count).toBe(2)
  })

  it('should never resolve check({ force: true }) with the answer of a request started before it', async () => {
    const { kratos, keeper } = setup()
    const older = kratos.pending()
    const newer = kratos.pending()
    const first = keeper.check()
    await flush()

    const forced = track(keeper.check({ force: true }))
    await flush()
    expect(kratos.count).toBe(2)
    await older.resolve({ status: 200, body: kratosSession({ email: 'old@example.org' }) })

    expect((await first).status).toBe('authenticated')
    expect(forced.settled).toBe(false)
    await newer.resolve({ status: 401, body: UNAUTHORIZED })
    expect(forced.settled).toBe(true)
    expect(forced.value?.status).toBe('unauthenticated')
  })

  it('should let a later check() share the forced request', async () => {
    const { kratos, keeper } = setup()
    const older = kratos.pending()
    const newer = kratos.pending()
    keeper.check()
    const forced = keeper.check({ force: true })

    const later = keeper.check()
    await flush()
    await older.resolve({ status: 200, body: kratosSession() })
    await newer.resolve({ status: 200, body: kratosSession() })

    expect(later).toBe(forced)
    expect(kratos.count).toBe(2)
  })

  it('should never reject, even when the request fails', async () => {
    const { kratos, keeper } = setup()
    kratos.fail(new Error('boom'))

    await expect(keeper.check()).resolves.toMatchObject({ stale: true })
  })
})

describe('monotonic answers', () => {
  it('should drop an older sign-in that arrives after a newer sign-out', async () => {
    const { kratos, keeper } = setup()
    const older = kratos.pending()
    const newer = kratos.pending()
    const first = keeper.check()
    const second = keeper.check({ force: true })
    await flush()

    await newer.resolve({ status: 401, body: UNAUTHORIZED })
    await older.resolve({ status: 200, body: kratosSession() })

    expect(keeper.getState()).toMatchObject({ status: 'unauthenticated', session: null })
    expect((await first).status).toBe('unauthenticated')
    expect((await second).status).toBe('unauthenticated')
  })

  it('should drop an older session that arrives after a newer one', async () => {
    const { kratos, keeper } = setup()
    const older = kratos.pending()
    const newer = kratos.pending()
    keeper.check()
    keeper.check({ force: true })
    await flush()

    await newer.resolve({ status: 200, body: kratosSession({ id: 'new', aal: 'aal2' }) })
    await older.resolve({ status: 200, body: kratosSession({ id: 'old', aal: 'aal1' }) })

    expect(keeper.getState().session?.id).toBe('new')
  })

  it('should drop an older failure that arrives after a newer success', async () => {
    const onError = vi.fn()
    const { kratos, keeper } = setup({ onError })
    const older = kratos.pending()
    const newer = kratos.pending()
    keeper.check()
    keeper.check({ force: true })
    await flush()

    await newer.resolve({ status: 200, body: kratosSession() })
    await older.resolve({ status: 500 })

    expect(keeper.getState()).toMatchObject({ status: 'authenticated', stale: false, error: null })
  })

  it('should apply answers that arrive in order', async () => {
    const { kratos, keeper } = setup()
    const older = kratos.pending()
    const newer = kratos.pending()
    keeper.check()
    keeper.check({ force: true })
    await flush()

    await older.resolve({ status: 200, body: kratosSession() })
    expect(keeper.getState().status).toBe('authenticated')
    await newer.resolve({ status: 401, body: UNAUTHORIZED })
    expect(keeper.getState().status).toBe('unauthenticated')
  })
})

describe('structural sharing', () => {
  it('should keep the same session object and call no listener for an equal answer, but update lastCheckedAt', async () => {
    const { kratos, keeper } = setup()
    const body = kratosSession()
    kratos.reply(200, body).reply(200, structuredClone(body))
    const { session } = await keeper.check()
    const listener = vi.fn()
    keeper.subscribe(listener)
    const changed = vi.fn()
    keeper.on('changed', changed)

    await vi.advanceTimersByTimeAsync(5_000)
    const state = await keeper.check()

    expect(state.session).toBe(session)
    expect(keeper.getState().session).toBe(session)
    expect(listener).not.toHaveBeenCalled()
    expect(changed).not.toHaveBeenCalled()
    expect(keeper.getState().lastCheckedAt).toBe(Date.now())
  })

  it('should render nothing for polls that change nothing', async () => {
    const { kratos, keeper } = setup()
    const body = kratosSession({ expiresIn: 24 * 60 * MINUTE })
    kratos.always(() => ({ status: 200, body }))
    keeper.start()
    await flush()
    const listener = vi.fn()
    keeper.subscribe(listener)
    const selected: unknown[] = []
    keeper.subscribe((state: SessionState) => selected.push(state.session))

    await vi.advanceTimersByTimeAsync(10 * MINUTE)
    await flush()

    expect(kratos.count).toBe(11)
    expect(listener).not.toHaveBeenCalled()
    expect(selected).toEqual([])
  })

  it('should hand out a new session object when the answer differs', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(200, kratosSession({ expiresIn: 60 * MINUTE }))
    kratos.reply(200, kratosSession({ expiresIn: 90 * MINUTE }))
    const { session } = await keeper.check()
    const listener = vi.fn()
    keeper.subscribe(listener)

    const state = await keeper.check()

    expect(state.session).not.toBe(session)
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('should keep the session object when recovering from a failure with an equal answer', async () => {
    const { kratos, keeper } = setup()
    const body = kratosSession()
    kratos.reply(200, body).reply(503).reply(200, body)
    const { session } = await keeper.check()
    await keeper.check()

    const state = await keeper.check()

    expect(state).toMatchObject({ stale: false, error: null })
    expect(state.session).toBe(session)
  })

  it('should key nothing on the session id: a new id with new data replaces the session', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(200, kratosSession({ id: 'before-refresh' }))
    kratos.reply(200, kratosSession({ id: 'after-refresh', authenticatedAgo: 0 }))
    await keeper.check()
    const signedIn = vi.fn()
    keeper.on('signed-in', signedIn)

    const state = await keeper.check()

    expect(state).toMatchObject({ status: 'authenticated', session: { id: 'after-refresh' } })
    expect(signedIn).not.toHaveBeenCalled()
  })
})
