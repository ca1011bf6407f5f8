// @vitest-environment jsdom
// keeper.inspect over in-page re-authentication: a `reauth-flow` record when a flow is created and
// when a submit settles, with the flow's id and the result's status, never its nodes or the values.
import { describe, expect, it, vi } from 'vitest'
import type { InspectRecord } from '../InspectRecord.js'
import type { SessionKeeper } from '../SessionKeeper.js'
import { InvalidResponseError, ReauthFlowError } from '../SessionKeeperError.js'
import { kratosSession } from './fakeKratosFetch.js'
import { APP, BASE, useFakeTimerKeepers } from './keeperKit.js'
import { passwordFlow, totpFlow } from './kratosFlows.js'

const MINUTE = 60_000
const PASSWORD = 'correct horse battery staple'
const CSRF = 'csrf-value-never-recorded'
const SECOND_CSRF = 'csrf-of-the-aal2-step'
const CODE = '918273'
const { setup } = useFakeTimerKeepers({ href: `${APP}/account/security`, sessionStorage: true })

/** A keeper signed in 10 minutes ago, recording every `reauth-flow` record from then on. */
async function signedIn(options: { debug?: boolean } = {}) {
  const tab = setup(options)
  tab.kratos.reply(200, kratosSession({ authenticatedAgo: 10 * MINUTE }))
  await tab.keeper.check()
  return { ...tab, records: recordAll(tab.keeper) }
}

function recordAll(keeper: SessionKeeper) {
  const records: InspectRecord[] = []
  keeper.inspect((record) => records.push(record))
  return records
}

const flowRecords = (records: InspectRecord[]) => records.filter((record) => record.type === 'reauth-flow')

/** A password refresh whose hidden CSRF node holds `csrf`. */

const toAal2 = {
  error: { id: 'browser_location_change_required', code: 422 },
  redirect_browser_to: `${BASE}/self-service/login/browser?aal=aal2`,
}

describe('keeper.inspect over createReauthFlow', () => {
  it('should record a created flow by its id and each submit by its flow id and status alone', async () => {
    const { kratos, keeper, records } = await signedIn()
    kratos.reply(200, passwordFlow('flow-1', CSRF))
    const flow = await keeper.createReauthFlow({ maxAge: '5m', aal: 'aal2' })
    kratos.reply(400, passwordFlow('flow-1', CSRF))
    await flow.submit({ method: 'password', password: 'wrong' })
    kratos.reply(422, toAal2).reply(200, totpFlow('flow-2', SECOND_CSRF))
    const next = await flow.submit({ method: 'password', password: PASSWORD })
    if (next.status !== 'next') throw new Error(`expected next, got ${next.status}`)
    kratos.reply(200, { session: kratosSession({ aal: 'aal2' }) })
    await next.flow.submit({ method: 'totp', totp_code: CODE })
    await flow.submit({ method: 'webauthn' })

    const at = expect.any(Number)
    expect(flowRecords(records)).toStrictEqual([
      { type: 'reauth-flow', at, step: 'create', flow: 'flow-1' },
      { type: 'reauth-flow', at, step: 'submit', flow: 'flow-1', status: 'invalid' },
      { type: 'reauth-flow', at, step: 'submit', flow: 'flow-1', status: 'next' },
      { type: 'reauth-flow', at, step: 'submit', flow: 'flow-2', status: 'done' },
      { type: 'reauth-flow', at, step: 'submit', flow: 'flow-1', status: 'redirect' },
    ])
  })

  it('should record a failed create and a failed submit with their typed errors', async () => {
    const { kratos, keeper, records } = await signedIn()
    kratos.reply(200, { id: 'flow-1' })
    await expect(keeper.createReauthFlow({ maxAge: '5m' })).rejects.toThrow(InvalidResponseError)
    kratos.reply(200, passwordFlow('flow-3', CSRF))
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    kratos.reply(403, { error: { id: 'security_csrf_violation', code: 403, reason: 'CSRF token mismatch' } })
    await expect(flow.submit({ method: 'password', password: PASSWORD })).rejects.toThrow(ReauthFlowError)

    const at = expect.any(Number)
    const [failed, created, refused] = flowRecords(records)
    expect(failed).toStrictEqual({
      type: 'reauth-flow',
      at,
      step: 'create',
      error: expect.any(InvalidResponseError),
    })
    expect(created).toStrictEqual({ type: 'reauth-flow', at, step: 'create', flow: 'flow-3' })
    expect(refused).toStrictEqual({
      type: 'reauth-flow',
      at,
      step: 'submit',
      flow: 'flow-3',
      error: expect.any(ReauthFlowError),
    })
    expect(refused?.error).toMatchObject({ status: 403, id: 'security_csrf_violation' })
  })

  it('should never put a CSRF token or a submitted value in a record, nor in the debug output', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const { kratos, keeper, records } = await signedIn({ debug: true })
    kratos.reply(200, passwordFlow('flow-1', CSRF))
    const flow = await keeper.createReauthFlow({ maxAge: '5m', aal: 'aal2' })
    kratos.reply(400, passwordFlow('flow-1', CSRF))
    const invalid = await flow.submit({ method: 'password', password: PASSWORD })
    kratos.reply(422, toAal2).reply(200, totpFlow('flow-2', SECOND_CSRF))
    const next = await flow.submit({ method: 'password', password: PASSWORD })
    if (next.status !== 'next') throw new Error(`expected next, got ${next.status}`)
    kratos.reply(403, { error: { id: 'security_csrf_violation', code: 403 } })
    await expect(next.flow.submit({ method: 'totp', totp_code: CODE })).rejects.toThrow(ReauthFlowError)

    // The results did hold the CSRF tokens, and the requests the values: the records must not.
    expect(JSON.stringify([invalid, next])).toContain(CSRF)
    expect(JSON.stringify(next)).toContain(SECOND_CSRF)
    expect(kratos.requests.map(({ body }) => body).join()).toContain(PASSWORD)
    expect(flowRecords(records)).toHaveLength(4)
    const written = JSON.stringify([records, debug.mock.calls], (_, value) =>
      value instanceof Error ? { ...value, message: value.message } : value,
    )
    for (const secret of [PASSWORD, CSRF, SECOND_CSRF, CODE]) expect(written).not.toContain(secret)
  })
})
