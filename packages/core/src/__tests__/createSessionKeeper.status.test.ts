// @vitest-environment jsdom
// Status mapping and the whoami request (DESIGN §3 "Status", issue 3 "HTTP through ky").
import { describe, expect, it, vi } from 'vitest'
import {
  InvalidResponseError,
  NetworkError,
  RateLimitedError,
  ServerError,
  type SessionKeeperError,
} from '../SessionKeeperError.js'
import { aal2Required, type fakeKratosFetch, flush, kratosSession, UNAUTHORIZED } from './fakeKratosFetch.js'
import { BASE, useFakeTimerKeepers } from './keeperKit.js'

const PAGE = 'https://app.example/settings?tab=security#mfa'
const { setup } = useFakeTimerKeepers({ href: PAGE })

describe('status mapping', () => {
  it('should become authenticated with Date timestamps on 200', async () => {
    const { kratos, keeper } = setup()
    const body = kratosSession({ expiresIn: 3_600_000 })
    kratos.reply(200, body)

    const state = await keeper.check()

    expect(state.status).toBe('authenticated')
    expect(state.session?.id).toBe('session-1')
    expect(state.session?.expires_at).toEqual(new Date(body.expires_at))
    expect(state.session?.authenticated_at).toEqual(new Date(body.authenticated_at))
    expect(state).toMatchObject({ phase: 'active', stale: false, error: null, lastCheckedAt: Date.now() })
  })

  it.each([
    ['the Kratos body without error.id', UNAUTHORIZED],
    ['an error.id', { error: { id: 'session_inactive', code: 401 } }],
    ['no body', undefined],
  ])('should become unauthenticated on 401 with %s', async (_, body) => {
    const { kratos, keeper } = setup()
    kratos.reply(200, kratosSession()).reply(401, body)
    await keeper.check()

    const state = await keeper.check()

    expect(state).toMatchObject({ status: 'unauthenticated', session: null, phase: null, stale: false })
  })

  it('should become unauthenticated on 401 with a body that is not JSON', async () => {
    const { kratos, keeper } = setup()
    kratos.replyText(401, '<html>Unauthorized</html>')

    expect((await keeper.check()).status).toBe('unauthenticated')
  })

  it('should become aal2-required with Kratos redirect_browser_to plus return_to=location.href on 403 session_aal2_required', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(403, aal2Required())

    const state = await keeper.check()

    expect(state.status).toBe('aal2-required')
    const url = new URL(state.aal2RedirectTo ?? '')
    expect(url.origin + url.pathname).toBe(`${BASE}/self-service/login/browser`)
    expect(url.searchParams.get('aal')).toBe('aal2')
    expect(url.searchParams.get('return_to')).toBe(PAGE)
  })

  it.each([
    ['another origin', 'https://evil.example/self-service/login/browser?aal=aal2'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a protocol-relative URL', '//evil.example/self-service/login/browser?aal=aal2'],
    ['userinfo', 'https://auth.example@evil.example/self-service/login/browser?aal=aal2'],
  ])(
    'should not trust a redirect_browser_to on %s and build a same-origin step-up URL',
    async (_, redirect) => {
      const { kratos, keeper } = setup({ baseUrl: `${BASE}/kratos/` })
      kratos.reply(403, aal2Required(redirect))

      const state = await keeper.check()

      expect(state.status).toBe('aal2-required')
      const url = new URL(state.aal2RedirectTo ?? '')
      expect(url.origin + url.pathname).toBe(`${BASE}/kratos/self-service/login/browser`)
      expect(url.searchParams.get('aal')).toBe('aal2')
      expect(url.searchParams.get('return_to')).toBe(PAGE)
    },
  )

  it('should clear aal2RedirectTo once the session satisfies the AAL', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(403, aal2Required()).reply(200, kratosSession({ aal: 'aal2' }))
    await keeper.check()

    const state = await keeper.check()

    expect(state).toMatchObject({ status: 'authenticated', aal2RedirectTo: null })
  })
})

describe('failures never sign the user out', () => {
  const validSession = kratosSession()
  const { id: _id, ...withoutId } = validSession
  const { expires_at: _e, ...withoutExpiresAt } = validSession
  const { authenticated_at: _a, ...withoutAuthenticatedAt } = validSession

  it.each<
    [string, (kratos: ReturnType<typeof fakeKratosFetch>) => void, (error: SessionKeeperError) => void]
  >([
    ['a network error', (k) => k.fail(), (e) => expect(e).toBeInstanceOf(NetworkError)],
    [
      '500',
      (k) => k.reply(500, { error: { code: 500 } }),
      (e) => expect(e).toMatchObject({ name: 'ServerError', status: 500 }),
    ],
    ['502 without a body', (k) => k.reply(502), (e) => expect(e).toMatchObject({ status: 502 })],
    [
      '503',
      (k) => k.replyText(503, 'Service Unavailable'),
      (e) => expect(e).toMatchObject({ name: 'ServerError', status: 503 }),
    ],
    [
      '429',
      (k) => k.reply(429, undefined, { 'retry-after': '120' }),
      (e) => {
        expect(e).toBeInstanceOf(RateLimitedError)
        expect(e).toMatchObject({ status: 429, retryAfter: 120_000 })
      },
    ],
    ['400', (k) => k.reply(400, { error: { code: 400 } }), (e) => expect(e).toMatchObject({ status: 400 })],
    ['404', (k) => k.reply(404), (e) => expect(e).toMatchObject({ status: 404 })],
    [
      '403 with another error id',
      (k) => k.reply(403, { error: { id: 'security_csrf_violation', code: 403 } }),
      (e) => expect(e).toMatchObject({ name: 'ServerError', status: 403 }),
    ],
    [
      'malformed JSON',
      (k) => k.replyText(200, '{"id": "session-1", '),
      (e) => expect(e).toBeInstanceOf(InvalidResponseError),
    ],
    ['an empty 200', (k) => k.reply(200), (e) => expect(e).toBeInstanceOf(InvalidResponseError)],
    [
      'a body without id',
      (k) => k.reply(200, withoutId),
      (e) => expect(e).toBeInstanceOf(InvalidResponseError),
    ],
    [
      'a body without expires_at',
      (k) => k.reply(200, withoutExpiresAt),
      (e) => expect(e).toBeInstanceOf(InvalidResponseError),
    ],
    [
      'a body without authenticated_at',
      (k) => k.reply(200, withoutAuthenticatedAt),
      (e) => expect(e).toBeInstanceOf(InvalidResponseError),
    ],
    [
      'an unparseable expires_at',
      (k) => k.reply(200, { ...validSession, expires_at: 'tomorrow' }),
      (e) => expect(e).toBeInstanceOf(InvalidResponseError),
    ],
    ['a JSON array', (k) => k.reply(200, []), (e) => expect(e).toBeInstanceOf(InvalidResponseError)],
    [
      'a numeric expires_at',
      (k) => k.reply(200, { ...validSession, expires_at: 1_772_445_600 }),
      (e) => expect(e).toBeInstanceOf(InvalidResponseError),
    ],
  ])('should keep the session, set stale and a typed error on %s', async (_, fail, assertError) => {
    const onError = vi.fn()
    const { kratos, keeper } = setup({ onError })
    const signedOut = vi.fn()
    keeper.on('signed-out', signedOut)
    kratos.reply(200, kratosSession())
    const { session } = await keeper.check()
    fail(kratos)

    const state = await keeper.check()

    expect(state.status).toBe('authenticated')
    expect(state.session).toBe(session)
    expect(state.stale).toBe(true)
    expect(state.error).not.toBeNull()
    assertError(state.error as SessionKeeperError)
    expect(onError).toHaveBeenCalledWith(state.error)
    expect(signedOut).not.toHaveBeenCalled()
  })

  it('should keep status loading when the first check fails', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(503)

    const state = await keeper.check()

    expect(state).toMatchObject({ status: 'loading', session: null, stale: true })
    expect(state.error).toBeInstanceOf(ServerError)
  })

  it('should time out after 10 s by default with a NetworkError', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(200, kratosSession())
    await keeper.check()
    kratos.pending()
    const result = keeper.check()

    await vi.advanceTimersByTimeAsync(9_999)
    expect(keeper.getState().stale).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const state = await result

    expect(state).toMatchObject({ status: 'authenticated', stale: true })
    expect(state.error).toBeInstanceOf(NetworkError)
    expect(state.error?.message).toMatch(/timed out/)
  })

  it('should use the timeout option', async () => {
    const { kratos, keeper } = setup({ timeout: '2s' })
    kratos.pending()
    const result = keeper.check()

    await vi.advanceTimersByTimeAsync(2_000)

    expect((await result).error).toBeInstanceOf(NetworkError)
  })

  it('should clear stale and error once a check succeeds again', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(200, kratosSession()).fail().reply(200, kratosSession())
    await keeper.check()
    await keeper.check()

    const state = await keeper.check()

    expect(state).toMatchObject({ status: 'authenticated', stale: false, error: null })
  })
})

describe('the whoami request', () => {
  it('should GET {baseUrl}/sessions/whoami with credentials and Accept: application/json', async () => {
    const { kratos, keeper } = setup()
    kratos.reply(200, kratosSession())

    await keeper.check()

    expect(kratos.requests).toHaveLength(1)
    const [request] = kratos.requests
    expect(request).toMatchObject({ method: 'GET', url: `${BASE}/sessions/whoami`, credentials: 'include' })
    expect(request?.headers.get('accept')).toBe('application/json')
    expect(request?.headers.has('x-session-token')).toBe(false)
  })

  it('should keep the path of baseUrl and drop its trailing slash', async () => {
    const { kratos, keeper } = setup({ baseUrl: `${BASE}/.ory/kratos/public/` })
    kratos.reply(200, kratosSession())

    await keeper.check()

    expect(kratos.requests[0]?.url).toBe(`${BASE}/.ory/kratos/public/sessions/whoami`)
  })

  it('should send X-Session-Token in token mode', async () => {
    const { kratos, keeper } = setup({ sessionToken: 'ory_st_abc' })
    kratos.reply(200, kratosSession())

    await keeper.check()

    expect(kratos.requests[0]?.headers.get('x-session-token')).toBe('ory_st_abc')
  })

  it.each([
    ['a network error', (k: ReturnType<typeof fakeKratosFetch>) => k.fail()],
    ['500', (k: ReturnType<typeof fakeKratosFetch>) => k.reply(500)],
    ['503', (k: ReturnType<typeof fakeKratosFetch>) => k.reply(503)],
    ['429', (k: ReturnType<typeof fakeKratosFetch>) => k.reply(429)],
    ['408', (k: ReturnType<typeof fakeKratosFetch>) => k.reply(408)],
  ])('should not let ky retry after %s', async (_, fail) => {
    const { kratos, keeper } = setup()
    fail(kratos)
    kratos.always({ status: 200, body: kratosSession() })

    await keeper.check()
    await vi.advanceTimersByTimeAsync(999)
    await flush()

    expect(kratos.count).toBe(1)
  })

  it('should make no request before start() or check()', async () => {
    const { kratos } = setup()

    await vi.advanceTimersByTimeAsync(600_000)

    expect(kratos.count).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })
})
