import { describe, expect, it } from 'vitest'
import { ServerError } from '../../SessionKeeperError.js'
import { getSessionFromHeaders, type HeadersLike } from '../getSessionFromHeaders.js'
import { BASE_URL, HOUR, json, kratosStub, SESSION_ID, T0 } from './kratosStub.js'

/** Next.js's `headers()` hands out a read-only object with `get`, not a `Headers`. */
const readonly = (values: Record<string, string>): HeadersLike => ({
  get: (name) => values[name.toLowerCase()] ?? null,
})

describe('getSessionFromHeaders', () => {
  it('should forward only Cookie and X-Session-Token of a Headers to whoami, asking for JSON', async () => {
    const kratos = kratosStub({ expiresAt: T0 + HOUR })
    const headers = new Headers({
      cookie: 'ory_kratos_session=abc; theme=dark',
      'x-session-token': 'ory_st_123',
      authorization: 'Bearer app-token',
      'x-forwarded-for': '203.0.113.7',
    })

    const session = await getSessionFromHeaders(headers, { baseUrl: `${BASE_URL}/`, fetch: kratos.fetch })

    expect(session?.id).toBe(SESSION_ID)
    expect(session?.expires_at).toEqual(new Date(T0 + HOUR))
    const sent = kratos.calls[0]?.request as Request
    expect(kratos.calls).toHaveLength(1)
    expect(sent.url).toBe(`${BASE_URL}/sessions/whoami`)
    expect([...sent.headers].sort()).toEqual([
      ['accept', 'application/json'],
      ['cookie', 'ory_kratos_session=abc; theme=dark'],
      ['x-session-token', 'ory_st_123'],
    ])
  })

  it('should read any object with get, such as the ReadonlyHeaders of Next.js', async () => {
    const kratos = kratosStub()

    const session = await getSessionFromHeaders(readonly({ cookie: 'ory_kratos_session=abc' }), {
      baseUrl: BASE_URL,
      fetch: kratos.fetch,
    })

    expect(session?.id).toBe(SESSION_ID)
    expect(kratos.calls[0]?.request.headers.get('cookie')).toBe('ory_kratos_session=abc')
  })

  it('should resolve null without asking Kratos when neither header is there', async () => {
    const kratos = kratosStub()

    await expect(
      getSessionFromHeaders(readonly({ authorization: 'Bearer x' }), {
        baseUrl: BASE_URL,
        fetch: kratos.fetch,
      }),
    ).resolves.toBeNull()
    expect(kratos.calls).toHaveLength(0)
  })

  it('should resolve null on 401', async () => {
    const kratos = kratosStub()
    kratos.override('whoami', () => json(401, { error: { code: 401 } }))

    await expect(
      getSessionFromHeaders(readonly({ cookie: 'ory_kratos_session=x' }), {
        baseUrl: BASE_URL,
        fetch: kratos.fetch,
      }),
    ).resolves.toBeNull()
    expect(kratos.count('whoami')).toBe(1)
  })

  it('should reject 403 session_aal2_required with a ServerError naming the error id', async () => {
    const kratos = kratosStub()
    kratos.override('whoami', () => json(403, { error: { id: 'session_aal2_required', code: 403 } }))

    const promise = getSessionFromHeaders(readonly({ cookie: 'c=1' }), {
      baseUrl: BASE_URL,
      fetch: kratos.fetch,
    })

    await expect(promise).rejects.toThrow(ServerError)
    await expect(promise).rejects.toThrow(/answered 403 session_aal2_required/)
  })

  it.each([
    [null, /getSessionFromHeaders: "headers" must be a Headers/],
    [{ cookie: 'c=1' }, /getSessionFromHeaders: "headers" must be a Headers/],
  ])('should throw a TypeError for headers %j', async (headers, message) => {
    await expect(
      getSessionFromHeaders(headers as unknown as HeadersLike, { baseUrl: BASE_URL }),
    ).rejects.toThrow(message)
  })

  it('should throw a TypeError naming itself and the option for a bad baseUrl', async () => {
    await expect(getSessionFromHeaders(new Headers(), { baseUrl: 'auth.example.com' })).rejects.toThrow(
      /getSessionFromHeaders: "baseUrl" must be an absolute http\(s\) URL/,
    )
    await expect(
      getSessionFromHeaders(new Headers(), null as unknown as { baseUrl: string }),
    ).rejects.toThrow(/getSessionFromHeaders: options must be an object/)
  })
})
