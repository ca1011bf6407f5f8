// keeper.createReauthFlow() in token mode (issue 13) against a real fake-kratos over HTTP: the API
// login flow with X-Session-Token, password refresh, a wrong password, and the second factor.
// Plain Node, no browser globals (as an app holding a session token runs): the keeper is not
// started, answers come from `check()` and from the flow itself.

import { ReauthFlowError } from '@session-keeper/core'
import type { FakeKratos } from '@session-keeper/fake-kratos'
import { describe, expect, it } from 'vitest'
import { createFetchRecorder } from './fetchRecorder.js'
import { keeperFor, requestsTo, startKratos, T0 } from './harness.js'
import { createManualClock, type ManualClock } from './manualClock.js'

const USER = 'user@example.com'
const MFA = 'mfa@example.com'
const PASSWORD = 'password'
const TOTP = '123456'
const HOUR = 3_600_000

/** A token keeper for a new `email` session (at `aal`), on a clock that moves with the fake's. */
async function tokenKeeper(kratos: FakeKratos, email: string, aal: 'aal1' | 'aal2' = 'aal1') {
  const clock = createManualClock(T0)
  const created = kratos.createSession(email, { aal })
  const recorder = createFetchRecorder()
  const keeper = keeperFor(kratos, { sessionToken: created.sessionToken, clock, fetch: recorder.fetch })
  await keeper.check()
  return { keeper, clock, created, recorder }
}

const elapse = (kratos: FakeKratos, clock: ManualClock, ms: number) => {
  kratos.clock.advance(ms)
  clock.advance(ms)
}

const names = (flow: { nodes: { attributes: { name?: string } }[] }) =>
  flow.nodes.map((n) => n.attributes.name)

describe('createReauthFlow in token mode, against fake-kratos', () => {
  it("should refresh with the password over the API flow: 'done', a newer authenticated_at, same session and token, no whoami", async () => {
    const kratos = await startKratos()
    const { keeper, clock, created, recorder } = await tokenKeeper(kratos, USER)
    elapse(kratos, clock, 2 * HOUR)
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(false)
    const whoamis = requestsTo(kratos, 'GET /sessions/whoami')

    const flow = await keeper.createReauthFlow({ maxAge: '5m' })
    expect(names(flow)).toStrictEqual(['identifier', 'password', 'method'])
    expect(flow.messages.map((m) => m.id)).toStrictEqual([1010003])
    const result = await flow.submit({ method: 'password', password: PASSWORD })

    expect(result.status).toBe('done')
    if (result.status !== 'done') return
    expect(result.state.session?.id).toBe(created.session.id)
    expect(result.state.session?.authenticated_at).toEqual(new Date(T0 + 2 * HOUR))
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
    expect(requestsTo(kratos, 'GET /sessions/whoami')).toBe(whoamis)
    const [create, submit] = recorder.calls.slice(-2)
    expect(create?.url).toBe(`${kratos.url}/self-service/login/api?refresh=true`)
    expect(submit?.headers.get('x-session-token')).toBe(created.sessionToken)
    expect(submit?.headers.get('cookie')).toBeNull()
    // The token still holds the refreshed session: a later whoami agrees.
    expect((await keeper.check()).session?.authenticated_at).toEqual(new Date(T0 + 2 * HOUR))
  })

  it("should answer a wrong password with 'invalid' and Kratos's message, then take the right one", async () => {
    const kratos = await startKratos()
    const { keeper, clock } = await tokenKeeper(kratos, USER)
    elapse(kratos, clock, 2 * HOUR)
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })

    const wrong = await flow.submit({ method: 'password', password: 'wrong' })

    expect(wrong.status).toBe('invalid')
    if (wrong.status !== 'invalid') return
    expect(wrong.flow.id).toBe(flow.id)
    expect(wrong.flow.messages.map((m) => m.id)).toStrictEqual([4000006])
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(false)
    expect((await wrong.flow.submit({ method: 'password', password: PASSWORD })).status).toBe('done')
    expect(keeper.isFresh({ maxAge: '5m' })).toBe(true)
  })

  it("should re-verify the second factor of an aal2 session with TOTP: 'done' at aal2", async () => {
    const kratos = await startKratos()
    const { keeper, clock, created } = await tokenKeeper(kratos, MFA, 'aal2')
    elapse(kratos, clock, 2 * HOUR)

    const flow = await keeper.createReauthFlow({ maxAge: '5m', aal: 'aal2' })
    // Kratos offers only the second factor on refresh=true&aal=aal2.
    expect(names(flow)).toStrictEqual(['totp_code', 'method'])
    const result = await flow.submit({ method: 'totp', totp_code: TOTP })

    expect(result.status).toBe('done')
    expect(keeper.getState().session?.id).toBe(created.session.id)
    expect(keeper.isFresh({ maxAge: '5m', aal: 'aal2' })).toBe(true)
  })

  it("should step an aal1 session of an identity with TOTP up in one step: Kratos offers the second factor first, so no 'next'", async () => {
    const kratos = await startKratos()
    const { keeper } = await tokenKeeper(kratos, MFA, 'aal1')
    expect(keeper.getState().status).toBe('aal2-required')

    const flow = await keeper.createReauthFlow({ aal: 'aal2' })
    expect(names(flow)).toStrictEqual(['totp_code', 'method'])
    const wrong = await flow.submit({ method: 'totp', totp_code: '000000' })
    expect(wrong.status).toBe('invalid')
    const result = await flow.submit({ method: 'totp', totp_code: TOTP })

    expect(result.status).toBe('done')
    expect(keeper.getState()).toMatchObject({ status: 'authenticated' })
    expect(keeper.getState().session?.authenticator_assurance_level).toBe('aal2')
  })

  it("should show Kratos's refusal when run from a browser page: the API flow takes no request with an Origin header", async () => {
    const kratos = await startKratos()
    const created = kratos.createSession(USER)
    // What a browser's fetch adds to every cross-origin request and to same-origin POSTs.
    const browserFetch: typeof fetch = (input, init) => {
      const request = new Request(input, init)
      request.headers.set('origin', 'https://app.example')
      return fetch(request)
    }
    const keeper = keeperFor(kratos, { sessionToken: created.sessionToken, fetch: browserFetch })
    await keeper.check()
    const flow = await keeper.createReauthFlow({ maxAge: '5m' })

    const result = await flow.submit({ method: 'password', password: PASSWORD })

    expect(result.status).toBe('invalid')
    if (result.status !== 'invalid') return
    expect(result.flow.messages.map((m) => m.id)).toStrictEqual([4000001])
    expect(result.flow.messages[0]?.text).toMatch(/included the "Origin" key/)
  })

  describe('a token without a session (regression: a sign-in makes a token the keeper does not have)', () => {
    it('should refuse to start rather than sign in to a session it could not follow', async () => {
      const kratos = await startKratos()
      const { keeper, created } = await tokenKeeper(kratos, MFA, 'aal1')
      kratos.revokeSession(created.session.id)
      expect((await keeper.check()).status).toBe('unauthenticated')
      const logins = requestsTo(kratos, 'GET /self-service/login/api')

      await expect(keeper.createReauthFlow({ aal: 'aal2' })).rejects.toBeInstanceOf(ReauthFlowError)
      expect(requestsTo(kratos, 'GET /self-service/login/api')).toBe(logins)
    })

    it('should refuse the new session Kratos makes when the session is revoked mid-flow, keeping the state', async () => {
      const kratos = await startKratos()
      const { keeper, clock, created } = await tokenKeeper(kratos, USER)
      elapse(kratos, clock, 2 * HOUR)
      const flow = await keeper.createReauthFlow({ maxAge: '5m' })
      kratos.revokeSession(created.session.id)
      const before = keeper.getState()

      await expect(flow.submit({ method: 'password', password: PASSWORD })).rejects.toMatchObject({
        name: 'ReauthFlowError',
        status: 401,
      })
      expect(keeper.getState()).toBe(before)
      expect(keeper.isFresh({ maxAge: '5m' })).toBe(false)
    })
  })
})
