// @vitest-environment jsdom
// extend() and autoExtend (issue 7, browser half): the call to the app's backend, the check that
// follows, the extension window, minInterval, activity throttling, and activity in a follower
// tab extending through the leader. Polls never count as activity.
import { describe, expect, it, vi } from 'vitest'
import { createSessionKeeper } from '../createSessionKeeper.js'
import type { SessionKeeperOptions } from '../resolveOptions.js'
import { NetworkError, ServerError } from '../SessionKeeperError.js'
import { type FakeKratos, flush, kratosSession } from './fakeKratosFetch.js'
import { APP, BASE, useFakeTimerKeepers } from './keeperKit.js'

const SECOND = 1_000
const MINUTE = 60_000
const EXTEND_URL = `${APP}/api/session/extend`
const WHOAMI_URL = `${BASE}/sessions/whoami`

const { setup } = useFakeTimerKeepers({ href: `${APP}/account`, visible: true })

/** `METHOD url` of each request since the last reset. */
const wire = (kratos: FakeKratos) => kratos.requests.map((r) => `${r.method} ${r.url}`)

/** A started keeper signed in with `expiresIn` left; the request log starts empty. */
async function signedIn(options: Partial<SessionKeeperOptions> = {}, expiresIn = 60 * MINUTE) {
  const tab = setup({ extend: { url: '/api/session/extend' }, ...options })
  tab.kratos.reply(200, kratosSession({ expiresIn }))
  tab.keeper.start()
  await flush()
  expect(tab.keeper.getState().status).toBe('authenticated')
  tab.kratos.requests.length = 0
  return tab
}

/** Queues the backend's answer to the extension and Kratos's whoami after it. */
function extensionAnswers(kratos: FakeKratos, expiresIn: number, status = 200) {
  kratos.reply(status, { extended: true }).reply(200, kratosSession({ expiresIn }))
}

const expiresAt = (state: { session: { expires_at?: Date } | null }) => state.session?.expires_at?.getTime()

const act = (type = 'pointerdown') => window.dispatchEvent(new Event(type))

describe('extend()', () => {
  it('should POST to the extend URL (resolved against the page, with credentials), then check, and resolve true when expires_at moved', async () => {
    const { kratos, keeper } = await signedIn()
    const changed = vi.fn()
    keeper.on('changed', changed)
    extensionAnswers(kratos, 120 * MINUTE)

    await expect(keeper.extend()).resolves.toBe(true)

    expect(wire(kratos)).toEqual([`POST ${EXTEND_URL}`, `GET ${WHOAMI_URL}`])
    expect(kratos.requests[0]?.credentials).toBe('include')
    expect(kratos.requests[0]?.headers.get('accept')).toBe('application/json')
    expect(expiresAt(keeper.getState())).toBe(Date.now() + 120 * MINUTE)
    expect(changed).toHaveBeenCalledOnce()
  })

  it("should read the backend's answer to the end, so the request finishes", async () => {
    const { kratos, keeper } = await signedIn()
    extensionAnswers(kratos, 120 * MINUTE)
    const answers: Response[] = []
    const original = kratos.mock.getMockImplementation() as typeof fetch
    kratos.mock.mockImplementation(async (input, init) => {
      const response = await original(input, init)
      answers.push(response)
      return response
    })

    await keeper.extend()

    // The keeper holds this response or ky's clone of it; reading either disturbs it.
    expect(answers[0]?.bodyUsed).toBe(true)
  })

  it('should send X-Session-Token to the backend in token mode', async () => {
    const { kratos, keeper } = await signedIn({ sessionToken: 'ory_st_abc' })
    extensionAnswers(kratos, 120 * MINUTE)

    await keeper.extend()

    expect(kratos.requests[0]?.headers.get('x-session-token')).toBe('ory_st_abc')
  })

  it('should call a function given as extend with the state, then check; false when expires_at did not move', async () => {
    const how = vi.fn(async () => {})
    const { kratos, keeper } = await signedIn({ extend: how })
    kratos.reply(200, kratosSession({ expiresIn: 60 * MINUTE }))

    await expect(keeper.extend()).resolves.toBe(false)

    expect(how).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ status: 'authenticated' }))
    expect(wire(kratos)).toEqual([`GET ${WHOAMI_URL}`])
  })

  it('should share one extension between concurrent calls', async () => {
    const { kratos, keeper } = await signedIn()
    extensionAnswers(kratos, 120 * MINUTE)

    const results = await Promise.all([keeper.extend(), keeper.extend()])

    expect(results).toEqual([true, true])
    expect(wire(kratos)).toEqual([`POST ${EXTEND_URL}`, `GET ${WHOAMI_URL}`])
  })

  it('should take 429 (the backend extended a moment ago) as done and check', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.reply(429, { extended: false, reason: 'too_soon' }).reply(200, kratosSession())

    await expect(keeper.extend()).resolves.toBe(false)

    expect(wire(kratos)).toEqual([`POST ${EXTEND_URL}`, `GET ${WHOAMI_URL}`])
  })

  it('should reject with ServerError on a failing backend, without checking or touching the state', async () => {
    const { kratos, keeper } = await signedIn()
    const before = keeper.getState()
    kratos.reply(500, { error: 'boom' })

    const error = await keeper.extend().catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ status: 500, message: 'extend answered 500' })
    expect(wire(kratos)).toEqual([`POST ${EXTEND_URL}`])
    expect(keeper.getState()).toBe(before)
  })

  it('should reject with NetworkError when the backend cannot be reached', async () => {
    const { kratos, keeper } = await signedIn()
    kratos.fail()

    await expect(keeper.extend()).rejects.toBeInstanceOf(NetworkError)
  })

  it('should reject with a TypeError naming the option when there is no extend option', async () => {
    const { keeper } = setup()

    await expect(keeper.extend()).rejects.toThrow(/"extend" option/)
  })

  it('should resolve false without a request outside the autoExtend window', async () => {
    const { kratos, keeper } = await signedIn({ autoExtend: { earliestPossibleExtend: '10m' } })

    await expect(keeper.extend()).resolves.toBe(false)

    expect(kratos.count).toBe(0)
  })
})

describe('autoExtend', () => {
  const window10m = { autoExtend: { earliestPossibleExtend: '10m' } } as const

  it('should send nothing for activity outside the window, and extend once activity comes inside it', async () => {
    const { kratos, keeper } = await signedIn(window10m, 15 * MINUTE)
    act()
    await flush()
    expect(kratos.count).toBe(0)

    kratos.always({ status: 200, body: kratosSession({ expiresIn: 15 * MINUTE }) })
    await vi.advanceTimersByTimeAsync(5 * MINUTE + SECOND) // 9m59s left: inside
    kratos.requests.length = 0 // the polls of those minutes
    extensionAnswers(kratos, 15 * MINUTE)
    act('keydown')
    await flush()

    expect(wire(kratos)).toEqual([`POST ${EXTEND_URL}`, `GET ${WHOAMI_URL}`])
    expect(keeper.timeLeft()).toBe(15 * MINUTE)
  })

  it('should never extend on polls alone, inside the window', async () => {
    const { kratos } = await signedIn(window10m, 5 * MINUTE)
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 5 * MINUTE }) })

    await vi.advanceTimersByTimeAsync(3 * MINUTE)

    expect(kratos.count).toBeGreaterThanOrEqual(3)
    expect(wire(kratos).every((line) => line === `GET ${WHOAMI_URL}`)).toBe(true)
  })

  it('should extend at most once per minInterval', async () => {
    // A window as long as the lifespan (Kratos's default): always extendable, only minInterval bounds it.
    const { kratos } = await signedIn({ autoExtend: { earliestPossibleExtend: '2h', minInterval: '5m' } })
    const extensions = () => wire(kratos).filter((line) => line.startsWith('POST')).length
    kratos.always({ status: 200, body: kratosSession() })
    kratos.reply(200, {})

    for (let i = 0; i < 50; i++) act('pointermove')
    await flush()
    expect(extensions()).toBe(1)
    expect(kratos.count).toBe(2) // the extension and its check

    await vi.advanceTimersByTimeAsync(4 * MINUTE)
    act()
    await flush()
    expect(extensions()).toBe(1)

    await vi.advanceTimersByTimeAsync(MINUTE)
    act()
    await flush()
    expect(extensions()).toBe(2)
  })

  it('should count an expires_at that moved later (a login elsewhere) towards minInterval', async () => {
    const { kratos, keeper } = await signedIn({ autoExtend: { earliestPossibleExtend: '2h' } })
    kratos.reply(200, kratosSession({ expiresIn: 90 * MINUTE }))
    await keeper.check()
    kratos.requests.length = 0

    act()
    await flush()

    expect(kratos.count).toBe(0)
  })

  it('should not extend a session that has expired', async () => {
    const { kratos, keeper } = await signedIn(window10m, 5 * MINUTE)
    kratos.always({ status: 401, body: { error: { code: 401 } } })
    await vi.advanceTimersByTimeAsync(5 * MINUTE)
    expect(keeper.getState().status).toBe('unauthenticated')
    kratos.requests.length = 0

    act()
    await flush()

    expect(kratos.count).toBe(0)
  })

  it('should pass a failed extension to onError and leave the state alone', async () => {
    const onError = vi.fn()
    const { kratos, keeper } = await signedIn({ ...window10m, onError }, 5 * MINUTE)
    const before = keeper.getState()
    kratos.reply(503)

    act()
    await flush()

    expect(onError).toHaveBeenCalledExactlyOnceWith(expect.any(ServerError))
    expect(keeper.getState()).toBe(before)
  })

  it('should listen to the events given, and to none after stop()', async () => {
    const { kratos, keeper } = await signedIn(
      { autoExtend: { earliestPossibleExtend: '10m', activityEvents: ['custom-activity'] } },
      5 * MINUTE,
    )
    act('pointerdown')
    await flush()
    expect(kratos.count).toBe(0)

    keeper.stop()
    act('custom-activity')
    await flush()
    expect(kratos.count).toBe(0)

    keeper.start()
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 5 * MINUTE }) })
    await flush()
    kratos.requests.length = 0
    extensionAnswers(kratos, 60 * MINUTE)
    act('custom-activity')
    await flush()
    expect(wire(kratos)[0]).toBe(`POST ${EXTEND_URL}`)
  })
})

describe('options', () => {
  const make = (options: Partial<SessionKeeperOptions>) => () =>
    createSessionKeeper({ baseUrl: BASE, ...options })

  it.each([
    [{ extend: { url: 'javascript:alert(1)' } }, /option "extend" needs \{ url \}/],
    [{ extend: { url: '' } }, /option "extend" needs \{ url \}/],
    [{ extend: {} as { url: string } }, /option "extend" needs \{ url \}/],
    [{ extend: 'https://app.example/extend' as never }, /option "extend" must be of type object or function/],
    [{ autoExtend: { earliestPossibleExtend: '5m' } }, /option "autoExtend" needs the "extend" option/],
    [
      { extend: { url: '/x' }, autoExtend: {} as { earliestPossibleExtend: string } },
      /option "autoExtend.earliestPossibleExtend" Invalid duration undefined/,
    ],
    [
      { extend: { url: '/x' }, autoExtend: { earliestPossibleExtend: '5m', minInterval: '-1s' } },
      /option "autoExtend.minInterval" Invalid duration "-1s"/,
    ],
    [
      {
        extend: { url: '/x' },
        autoExtend: { earliestPossibleExtend: '5m', activityEvents: 'keydown' as never },
      },
      /option "autoExtend.activityEvents" must be an array of event names/,
    ],
  ])('should throw a TypeError naming the option for %j', (options, message) => {
    expect(make(options)).toThrow(TypeError)
    expect(make(options)).toThrow(message)
  })

  it('should accept an absolute URL, a relative one and a function', () => {
    expect(make({ extend: { url: 'https://app.example/extend' } })).not.toThrow()
    expect(make({ extend: { url: '/extend' }, autoExtend: { earliestPossibleExtend: 0 } })).not.toThrow()
    expect(make({ extend: async () => {} })).not.toThrow()
  })
})
