import { describe, expect, it } from 'vitest'
import { InvalidResponseError, NetworkError, ServerError } from '../../SessionKeeperError.js'
import { getSessionFromRequest } from '../getSessionFromRequest.js'
import { APP, BASE_URL, HOUR, json, kratosStub, SESSION_ID, T0 } from './kratosStub.js'

const incoming = (headers: Record<string, string>) => new Request(`${APP}/api/me`, { headers })

describe('getSessionFromRequest', () => {
  it('should forward only Cookie and X-Session-Token to whoami, asking for JSON', async () => {
    const kratos = kratosStub()
    const request = incoming({
      cookie: 'ory_kratos_session=abc; theme=dark',
      'x-session-token': 'ory_st_123',
      authorization: 'Bearer app-token',
      origin: APP,
      'x-forwarded-for': '203.0.113.7',
      'user-agent': 'Mozilla/5.0',
      'content-type': 'application/json',
    })

    const session = await getSessionFromRequest(request, { baseUrl: `${BASE_URL}/`, fetch: kratos.fetch })

    expect(session?.id).toBe(SESSION_ID)
    expect(kratos.calls).toHaveLength(1)
    const sent = kratos.calls[0]?.request as Request
    expect(sent.method).toBe('GET')
    expect(sent.url).toBe(`${BASE_URL}/sessions/whoami`)
    expect([...sent.headers].sort()).toEqual([
      ['accept', 'application/json'],
      ['cookie', 'ory_kratos_session=abc; theme=dark'],
      ['x-session-token', 'ory_st_123'],
    ])
  })

  it('should keep a path of baseUrl (e.g. an Ory proxy under /.ory)', async () => {
    const kratos = kratosStub()

    await getSessionFromRequest(incoming({ 'x-session-token': 't' }), {
      baseUrl: `${APP}/.ory`,
      fetch: kratos.fetch,
    })

    expect(kratos.calls[0]?.request.url).toBe(`${APP}/.ory/sessions/whoami`)
  })

  it('should resolve the session with Date timestamps on 200', async () => {
    const kratos = kratosStub({ expiresAt: T0 + HOUR })

    const session = await getSessionFromRequest(incoming({ 'x-session-token': 't' }), {
      baseUrl: BASE_URL,
      fetch: kratos.fetch,
    })

    expect(session?.expires_at).toEqual(new Date(T0 + HOUR))
    expect(session?.authenticated_at).toBeInstanceOf(Date)
  })

  it('should resolve null on 401', async () => {
    const kratos = kratosStub()
    kratos.override('whoami', () =>
      json(401, { error: { code: 401, message: 'The request could not be authorized' } }),
    )

    await expect(
      getSessionFromRequest(incoming({ cookie: 'ory_kratos_session=x' }), {
        baseUrl: BASE_URL,
        fetch: kratos.fetch,
      }),
    ).resolves.toBeNull()
    expect(kratos.count('whoami')).toBe(1)
  })

  it('should resolve null without asking Kratos when the request has no credentials', async () => {
    const kratos = kratosStub()

    await expect(
      getSessionFromRequest(incoming({ authorization: 'Bearer x', cookie: '' }), {
        baseUrl: BASE_URL,
        fetch: kratos.fetch,
      }),
    ).resolves.toBeNull()
    expect(kratos.calls).toHaveLength(0)
  })

  it('should reject 403 session_aal2_required with a ServerError naming the error id', async () => {
    const kratos = kratosStub()
    kratos.override('whoami', () =>
      json(403, {
        error: { id: 'session_aal2_required', code: 403, message: 'needs aal2' },
        redirect_browser_to: `${BASE_URL}/self-service/login/browser?aal=aal2`,
      }),
    )

    const promise = getSessionFromRequest(incoming({ 'x-session-token': 't' }), {
      baseUrl: BASE_URL,
      fetch: kratos.fetch,
    })

    await expect(promise).rejects.toThrow(ServerError)
    await expect(promise).rejects.toMatchObject({ status: 403 })
    await expect(promise).rejects.toThrow(/answered 403 session_aal2_required: .*second factor/)
  })

  it.each([
    [500, { error: { code: 500, message: 'db down' } }, /answered 500: Kratos failed/],
    [503, 'upstream unavailable', /answered 503: Kratos failed/],
    [
      400,
      { error: { code: 400, id: 'bad_tokenizer' } },
      /answered 400 bad_tokenizer: a status whoami does not send/,
    ],
    [429, { error: { code: 429 } }, /answered 429: a status whoami does not send/],
  ])('should reject %i with a ServerError carrying the status', async (status, body, message) => {
    const kratos = kratosStub()
    kratos.override('whoami', () =>
      typeof body === 'string' ? new Response(body, { status }) : json(status, body),
    )

    const promise = getSessionFromRequest(incoming({ 'x-session-token': 't' }), {
      baseUrl: BASE_URL,
      fetch: kratos.fetch,
    })

    await expect(promise).rejects.toMatchObject({ name: 'ServerError', status })
    await expect(promise).rejects.toThrow(message)
  })

  it('should reject a network failure with a NetworkError', async () => {
    const kratos = kratosStub()
    kratos.override('whoami', () => Promise.reject(new TypeError('fetch failed')))

    const promise = getSessionFromRequest(incoming({ 'x-session-token': 't' }), {
      baseUrl: BASE_URL,
      fetch: kratos.fetch,
    })

    await expect(promise).rejects.toThrow(NetworkError)
    await expect(promise).rejects.toThrow(/whoami could not be reached: fetch failed/)
  })

  it.each([
    ['a body that is not JSON', () => new Response('<html>', { status: 200 }), /not JSON/],
    ['a session without expires_at', () => json(200, { id: SESSION_ID }), /bad "expires_at"/],
  ])('should reject a 200 with %s as an InvalidResponseError', async (_, response, message) => {
    const kratos = kratosStub()
    kratos.override('whoami', response)

    const promise = getSessionFromRequest(incoming({ 'x-session-token': 't' }), {
      baseUrl: BASE_URL,
      fetch: kratos.fetch,
    })

    await expect(promise).rejects.toThrow(InvalidResponseError)
    await expect(promise).rejects.toThrow(message)
  })

  it.each([
    [{ baseUrl: 'auth.example.com' }, /"baseUrl" must be an absolute http\(s\) URL/],
    [{ baseUrl: undefined }, /"baseUrl" must be an absolute http\(s\) URL/],
    [{ fetch: 1 }, /"fetch" must be a function/],
    [{ timeout: -5 }, /"timeout" Invalid duration/],
  ])('should reject bad options %o with a TypeError naming them', async (bad, message) => {
    const kratos = kratosStub()

    const promise = getSessionFromRequest(incoming({ 'x-session-token': 't' }), {
      baseUrl: BASE_URL,
      fetch: kratos.fetch,
      ...bad,
    } as never)

    await expect(promise).rejects.toThrow(TypeError)
    await expect(promise).rejects.toThrow(message)
    expect(kratos.calls).toHaveLength(0)
  })

  it('should reject something that is not a Request with a TypeError naming "request"', async () => {
    await expect(getSessionFromRequest({} as never, { baseUrl: BASE_URL })).rejects.toThrow(
      /getSessionFromRequest: "request" must be a Fetch API Request/,
    )
  })
})
