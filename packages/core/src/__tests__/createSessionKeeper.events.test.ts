// @vitest-environment jsdom
// Events once per real transition, onError and debug output (issue 3 "Behaviour").
import { describe, expect, it, vi } from 'vitest'
import type { SessionKeeperOptions } from '../resolveOptions.js'
import { NetworkError, ServerError } from '../SessionKeeperError.js'
import { aal2Required, flush, kratosSession, UNAUTHORIZED } from './fakeKratosFetch.js'
import { ALL_EVENTS, recordEvents, useFakeTimerKeepers } from './keeperKit.js'

const MINUTE = 60_000
const harness = useFakeTimerKeepers({ visible: true })

function setup(options: Partial<SessionKeeperOptions> = {}) {
  const { kratos, keeper } = harness.setup(options)
  return { kratos, keeper, events: recordEvents(keeper, ALL_EVENTS) }
}

async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms)
  await flush()
}

describe('events', () => {
  it('should fire signed-in once when a signed-out user signs in', async () => {
    const { kratos, keeper, events } = setup({ initialSession: null })
    kratos.reply(200, kratosSession()).reply(200, kratosSession())

    await keeper.check()
    await keeper.check()

    expect(events).toEqual(['signed-in', 'changed'])
  })

  it('should fire signed-out once when the server says 401', async () => {
    const { kratos, keeper, events } = setup()
    kratos.reply(200, kratosSession())
    await keeper.check()
    events.length = 0
    kratos.reply(401, UNAUTHORIZED).reply(401, UNAUTHORIZED)

    await keeper.check()
    await keeper.check()

    expect(events.sort()).toEqual(['changed', 'signed-out'])
  })

  it('should fire aal2-required once across repeated 403 answers, and signed-in after the step-up', async () => {
    const { kratos, keeper, events } = setup({ initialSession: null })
    kratos
      .reply(403, aal2Required())
      .reply(403, aal2Required())
      .reply(200, kratosSession({ aal: 'aal2' }))

    await keeper.check()
    await keeper.check()
    expect(events).toEqual(['aal2-required'])
    await keeper.check()

    expect(events.filter((e) => e === 'signed-in')).toHaveLength(1)
    expect(events.filter((e) => e === 'aal2-required')).toHaveLength(1)
  })

  it('should fire changed when the session changes and not when an equal one arrives', async () => {
    const { kratos, keeper, events } = setup()
    const body = kratosSession()
    kratos
      .reply(200, body)
      .reply(200, body)
      .reply(200, { ...body, authenticator_assurance_level: 'aal2' })

    await keeper.check()
    await keeper.check()
    expect(events.filter((e) => e === 'changed')).toHaveLength(1)
    await keeper.check()
    expect(events.filter((e) => e === 'changed')).toHaveLength(2)
  })

  it('should fire expiring once while polls keep answering during the expiring phase', async () => {
    const { kratos, keeper, events } = setup()
    const body = kratosSession({ expiresIn: 10 * MINUTE })
    kratos.always(() => ({ status: 200, body }))
    keeper.start()
    await advance(0)

    await advance(9 * MINUTE)

    expect(keeper.getState().phase).toBe('expiring')
    expect(kratos.count).toBe(10)
    expect(events.filter((e) => e === 'expiring')).toHaveLength(1)
  })

  it('should fire nothing on polls that change nothing', async () => {
    const { kratos, keeper, events } = setup()
    const body = kratosSession({ expiresIn: 24 * 60 * MINUTE })
    kratos.always(() => ({ status: 200, body }))
    keeper.start()
    await advance(0)
    events.length = 0

    await advance(15 * MINUTE)

    expect(kratos.count).toBe(16)
    expect(events).toEqual([])
  })

  it('should fire error once per run of failures and again after a recovery', async () => {
    const onError = vi.fn()
    const { kratos, keeper, events } = setup({ onError })
    kratos.reply(200, kratosSession()).reply(503).fail().reply(500).reply(200, kratosSession()).reply(502)

    for (let i = 0; i < 6; i++) await keeper.check()

    expect(events.filter((e) => e === 'error')).toHaveLength(2)
    expect(onError).toHaveBeenCalledTimes(4)
  })

  it('should pass the current state to listeners', async () => {
    const { kratos, keeper } = setup({ initialSession: null })
    const listener = vi.fn()
    keeper.on('signed-in', listener)
    kratos.reply(200, kratosSession())

    await keeper.check()

    expect(listener).toHaveBeenCalledWith(keeper.getState())
  })

  it('should stop calling a listener once unsubscribed', async () => {
    const { kratos, keeper } = setup({ initialSession: null })
    const listener = vi.fn()
    const off = keeper.on('signed-in', listener)
    off()
    kratos.reply(200, kratosSession())

    await keeper.check()

    expect(listener).not.toHaveBeenCalled()
  })
})

describe('onError', () => {
  it('should receive failures of background polls', async () => {
    const onError = vi.fn()
    const { kratos, keeper } = setup({ onError })
    kratos
      .reply(200, kratosSession({ expiresIn: 24 * 60 * MINUTE }))
      .reply(500)
      .fail()
    kratos.always({ status: 200, body: kratosSession({ expiresIn: 24 * 60 * MINUTE }) })
    keeper.start()

    await advance(MINUTE + 2_000)

    expect(onError).toHaveBeenCalledTimes(2)
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(ServerError)
    expect(onError.mock.calls[1]?.[0]).toBeInstanceOf(NetworkError)
  })

  it('should receive a timeout of a background poll', async () => {
    const onError = vi.fn()
    const { kratos, keeper } = setup({ onError })
    kratos.pending()
    keeper.start()

    await advance(10_000)

    expect(onError).toHaveBeenCalledWith(expect.any(NetworkError))
  })
})

describe('debug', () => {
  /** Everything the keeper printed, as argument lists, from console.debug and console.warn. */
  function captureConsole() {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    return () => [...debug.mock.calls, ...warn.mock.calls]
  }

  it('should log state changes and scheduling decisions with a [session-keeper] prefix', async () => {
    const printed = captureConsole()
    const { kratos, keeper } = setup({ debug: true })
    kratos.always({ status: 200, body: kratosSession() })

    keeper.start()
    await advance(0)

    const calls = printed()
    expect(calls.length).toBeGreaterThan(1)
    for (const call of calls) expect(call[0]).toBe('[session-keeper]')
    const logged = calls.flatMap((call) => call.slice(1))
    expect(logged).toContainEqual(
      expect.objectContaining({
        type: 'state',
        state: expect.objectContaining({ status: 'authenticated', isLeader: true }),
      }),
    )
    expect(logged).toContain('timer')
  })

  it('should log nothing without debug while checks succeed', async () => {
    const printed = captureConsole()
    const { kratos, keeper } = setup()
    kratos.always({ status: 200, body: kratosSession() })

    keeper.start()
    await advance(120_000)

    expect(printed()).toEqual([])
  })

  it('should warn once per outage without onError or debug, so failures are never silent', async () => {
    const printed = captureConsole()
    const { kratos, keeper } = setup()
    kratos.reply(500).reply(503).reply(500).always({ status: 200, body: kratosSession() })

    await keeper.check()
    await keeper.check()
    await keeper.check()
    expect(printed()).toEqual([['[session-keeper]', expect.objectContaining({ status: 500 })]])

    await keeper.check()
    kratos.reply(500)
    await keeper.check()
    expect(printed()).toHaveLength(2)
  })

  it('should print a background failure with the prefix when debug is on and there is no onError', async () => {
    const printed = captureConsole()
    const { kratos, keeper } = setup({ debug: true })
    kratos.reply(500)

    await keeper.check()

    expect(printed()).toContainEqual(['[session-keeper]', expect.any(ServerError)])
  })
})
