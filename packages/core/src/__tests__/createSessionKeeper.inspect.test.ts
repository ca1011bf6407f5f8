// @vitest-environment jsdom
// keeper.inspect (issue 19): the typed record stream that `debug` writes and devtools read.
import { describe, expect, it, vi } from 'vitest'
import type { InspectRecord } from '../InspectRecord.js'
import type { SessionKeeper } from '../SessionKeeper.js'
import { NetworkError, ReauthFlowError } from '../SessionKeeperError.js'
import { flush, kratosSession } from './fakeKratosFetch.js'
import { APP, useFakeTimerKeepers } from './keeperKit.js'
import { loginFlow } from './kratosFlows.js'

const MINUTE = 60_000
const TOKEN = 'ory_st_secret_token'
const NEW_TOKEN = 'ory_st_brand_new_token'
const PASSWORD = 'correct horse battery staple'
const COOKIE = 'ory_kratos_session=cookie-value'
const harness = useFakeTimerKeepers({ href: `${APP}/account`, visible: true, sessionStorage: true })

/** Every record `keeper` emits from now on. */
function recordAll(keeper: SessionKeeper) {
  const records: InspectRecord[] = []
  const stop = keeper.inspect((record) => records.push(record))
  return { records, stop }
}

const of = <T extends InspectRecord['type']>(records: InspectRecord[], type: T) =>
  records.filter((record): record is Extract<InspectRecord, { type: T }> => record.type === type)

describe('keeper.inspect', () => {
  it('should record a check with why it ran, its status and duration, and the deadlines it left', async () => {
    const { kratos, keeper } = harness.setup({ pollInterval: '1m', expiringThreshold: '5m' })
    kratos.reply(200, kratosSession({ expiresIn: 60 * MINUTE }))
    const { records } = recordAll(keeper)

    keeper.start()
    await flush()

    const [check] = of(records, 'check')
    expect(check).toMatchObject({ why: 'start', status: 'authenticated', error: undefined, dropped: false })
    expect(check?.ms).toBeGreaterThanOrEqual(0)
    expect(of(records, 'state').at(-1)?.state).toMatchObject({ status: 'authenticated', isLeader: true })
    const deadlines = of(records, 'timer').at(-1)?.deadlines ?? []
    const at = Object.fromEntries(deadlines.map(({ name, at }) => [name, at]))
    expect(at.poll).toBe(Date.now() + MINUTE)
    expect(at.expiry).toBe(Date.now() + 55 * MINUTE)
  })

  it("should say 'app' for keeper.check(), 'poll' for the cadence, and give a failure's class", async () => {
    const { kratos, keeper } = harness.setup({ pollInterval: '1m', onError: () => {} })
    kratos.reply(200, kratosSession()).fail()
    const { records } = recordAll(keeper)
    keeper.start()
    await flush()

    await vi.advanceTimersByTimeAsync(MINUTE)
    await flush()
    kratos.reply(200, kratosSession())
    await keeper.check({ force: true })

    expect(of(records, 'check').map(({ why }) => why)).toEqual(['start', 'poll', 'app'])
    expect(of(records, 'check')[1]?.error).toBeInstanceOf(NetworkError)
  })

  it('should mark an answer dropped when a newer one was already applied', async () => {
    const { kratos, keeper } = harness.setup()
    const slow = kratos.pending()
    kratos.reply(200, kratosSession())
    const { records } = recordAll(keeper)

    const first = keeper.check()
    await keeper.check({ force: true })
    await slow.resolve({ status: 200, body: kratosSession() })
    await first

    expect(of(records, 'check').map(({ dropped }) => dropped)).toEqual([false, true])
  })

  it('should record extend() and how it settled', async () => {
    const { kratos, keeper } = harness.setup({ extend: { url: '/api/session/extend' } })
    kratos.reply(200, kratosSession({ expiresIn: 10 * MINUTE }))
    await keeper.check()
    const { records } = recordAll(keeper)
    kratos.reply(200, { extended: true }).reply(200, kratosSession({ expiresIn: 60 * MINUTE }))
    await keeper.extend()
    kratos.reply(500, {})
    await keeper.extend().catch(() => {})
    await flush()

    expect(of(records, 'extend').map(({ result, error }) => [result, (error as Error)?.name])).toEqual([
      [true, undefined],
      [undefined, 'ServerError'],
    ])
    expect(of(records, 'check').map(({ why }) => why)).toEqual(['extend'])
  })

  it('should never put the token, a cookie or a submitted value in a record', async () => {
    const { kratos, keeper } = harness.setup({ sessionToken: TOKEN, debug: true })
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const { records } = recordAll(keeper)
    kratos.reply(200, kratosSession({ authenticatedAgo: 30 * MINUTE }), { 'set-cookie': COOKIE })
    keeper.start()
    await flush()
    kratos.reply(200, loginFlow())
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    kratos.reply(200, { session: kratosSession(), session_token: TOKEN }) // a refresh keeps the token
    expect(await flow.submit({ method: 'password', password: PASSWORD })).toMatchObject({ status: 'done' })
    // A new token (Kratos made a new session) is refused: neither it nor the error names it.
    kratos.reply(200, loginFlow())
    const second = await keeper.createReauthFlow({ maxAge: '1s' })
    kratos.reply(200, { session: kratosSession(), session_token: NEW_TOKEN })
    await expect(second.submit({ method: 'password', password: PASSWORD })).rejects.toThrow(ReauthFlowError)
    await flush()

    expect(records.length).toBeGreaterThan(3)
    const written = JSON.stringify([records, debug.mock.calls], (_, value) =>
      value instanceof Error ? { ...value, message: value.message } : value,
    )
    for (const secret of [TOKEN, NEW_TOKEN, PASSWORD, 'cookie-value']) expect(written).not.toContain(secret)
  })

  it('should stop calling a listener once it unsubscribes, and write nothing without debug', async () => {
    const { kratos, keeper } = harness.setup()
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const { records, stop } = recordAll(keeper)
    kratos.reply(200, kratosSession()).reply(200, kratosSession())
    await keeper.check()
    const count = records.length
    stop()
    await keeper.check({ force: true })

    expect(count).toBeGreaterThan(0)
    expect(records.length).toBe(count)
    expect(debug).not.toHaveBeenCalled()
  })
})
