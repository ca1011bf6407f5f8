import { describe, expect, it, vi } from 'vitest'
import { InvalidResponseError, NetworkError, ServerError } from '../../SessionKeeperError.js'
import { extendSession } from '../extendSession.js'
import { ADMIN_URL, API_KEY, everyRendering, HOUR, json, SESSION_ID, sessionBody, T0 } from './kratosStub.js'

const answering = (response: () => Response | Promise<Response>) => {
  const calls: Request[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(new Request(input, init))
    return response()
  }) as unknown as typeof globalThis.fetch
  return { fetch, calls }
}

const failureOf = async (promise: Promise<unknown>) => {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

describe('extendSession', () => {
  it('should PATCH the extend route with the API key and resolve null on 204', async () => {
    const { fetch, calls } = answering(() => new Response(null, { status: 204 }))

    const result = await extendSession({
      sessionId: SESSION_ID,
      adminUrl: `${ADMIN_URL}/`,
      apiKey: API_KEY,
      fetch,
    })

    expect(result).toBeNull()
    expect(calls).toHaveLength(1)
    expect(calls[0]?.method).toBe('PATCH')
    expect(calls[0]?.url).toBe(`${ADMIN_URL}/admin/sessions/${SESSION_ID}/extend`)
    expect(calls[0]?.headers.get('authorization')).toBe(`Bearer ${API_KEY}`)
    expect(calls[0]?.redirect).toBe('manual')
  })

  it('should resolve the revived session on 200', async () => {
    const { fetch } = answering(() => json(200, sessionBody(T0 + 24 * HOUR)))

    const session = await extendSession({ sessionId: SESSION_ID, adminUrl: ADMIN_URL, fetch })

    expect(session?.id).toBe(SESSION_ID)
    expect(session?.expires_at).toEqual(new Date(T0 + 24 * HOUR))
  })

  it('should send no Authorization without an apiKey and encode the id into the path', async () => {
    const { fetch, calls } = answering(() => new Response(null, { status: 204 }))

    await extendSession({ sessionId: 'a/b?c', adminUrl: `${ADMIN_URL}/kratos`, fetch })

    expect(calls[0]?.url).toBe(`${ADMIN_URL}/kratos/admin/sessions/a%2Fb%3Fc/extend`)
    expect(calls[0]?.headers.has('authorization')).toBe(false)
  })

  it.each([
    [400, /400: Kratos could not parse the session id/],
    [401, /401: Kratos refused the admin API key/],
    [403, /403: the admin API key is not allowed/],
    [404, /404: no session has this id, or another request is extending it/],
    [500, /500: the Kratos admin API failed/],
    [503, /503: the Kratos admin API failed/],
    [302, /302: a redirect, not followed/],
    [418, /418: a status Kratos does not send here/],
    [201, /201: a status Kratos does not send here/],
  ])(
    'should reject %i with a ServerError that says what it means, without the key',
    async (status, message) => {
      const { fetch } = answering(() =>
        json(status, { error: { code: status, message: `echo Bearer ${API_KEY}` } }, { location: ADMIN_URL }),
      )

      const error = await failureOf(
        extendSession({ sessionId: SESSION_ID, adminUrl: ADMIN_URL, apiKey: API_KEY, fetch }),
      )

      expect(error).toBeInstanceOf(ServerError)
      expect((error as ServerError).status).toBe(status)
      expect(error.message).toMatch(message)
      for (const text of everyRendering(error)) expect(text).not.toContain(API_KEY)
    },
  )

  it('should reject a network failure with a NetworkError keeping its cause', async () => {
    const cause = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 10.0.0.1:4434') })
    const { fetch } = answering(() => Promise.reject(cause))

    const error = await failureOf(
      extendSession({ sessionId: SESSION_ID, adminUrl: ADMIN_URL, apiKey: API_KEY, fetch }),
    )

    expect(error).toBeInstanceOf(NetworkError)
    expect(error.message).toMatch(/could not reach the Kratos admin API: fetch failed/)
    expect(error.cause).toBe(cause)
    for (const text of everyRendering(error)) expect(text).not.toContain(API_KEY)
  })

  it('should drop a fetch failure that quotes the key, cause and text', async () => {
    const leaky = new TypeError('bad request', {
      cause: Object.assign(new Error('inner'), { headers: { authorization: `Bearer ${API_KEY}` } }),
    })
    const { fetch } = answering(() => Promise.reject(leaky))

    const error = await failureOf(
      extendSession({ sessionId: SESSION_ID, adminUrl: ADMIN_URL, apiKey: API_KEY, fetch }),
    )

    expect(error).toBeInstanceOf(NetworkError)
    expect(error.cause).toBeUndefined()
    expect(error.message).toMatch(/the request failed/)
    for (const text of everyRendering(error)) expect(text).not.toContain(API_KEY)
  })

  it('should reject with a NetworkError when the admin API does not answer within timeout', async () => {
    const fetch = ((_: RequestInfo | URL, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
      })) as typeof globalThis.fetch

    const error = await failureOf(
      extendSession({ sessionId: SESSION_ID, adminUrl: ADMIN_URL, apiKey: API_KEY, fetch, timeout: 1 }),
    )

    expect(error).toBeInstanceOf(NetworkError)
    expect(error.message).toMatch(/did not answer within 1 ms/)
  })

  it.each([
    ['not JSON', () => new Response('<html>', { status: 200 }), /not JSON/],
    [
      'no session',
      () => json(200, { id: SESSION_ID }),
      /without a valid session: Invalid session: bad "expires_at"/,
    ],
  ])('should reject a 200 with %s as an InvalidResponseError', async (_, response, message) => {
    const { fetch } = answering(response)

    const error = await failureOf(extendSession({ sessionId: SESSION_ID, adminUrl: ADMIN_URL, fetch }))

    expect(error).toBeInstanceOf(InvalidResponseError)
    expect(error.message).toMatch(message)
  })

  it.each([
    [{ sessionId: '' }, /"sessionId" must be a non-empty string/],
    [{ sessionId: 42 }, /"sessionId" must be a non-empty string/],
    [{ sessionId: undefined }, /"sessionId" must be a non-empty string/],
    [{ adminUrl: 'kratos:4434' }, /"adminUrl" must be an absolute http\(s\) URL/],
    [{ adminUrl: '/admin' }, /"adminUrl" must be an absolute http\(s\) URL/],
    [{ adminUrl: 'ftp://admin.example.com' }, /"adminUrl" must be an absolute http\(s\) URL/],
    [{ adminUrl: undefined }, /"adminUrl" must be an absolute http\(s\) URL/],
    [{ apiKey: '' }, /"apiKey" must be a non-empty string/],
    [{ apiKey: `${API_KEY}\n` }, /"apiKey" must be a non-empty string of visible ASCII/],
    [{ fetch: 'fetch' }, /"fetch" must be a function/],
    [{ timeout: 0 }, /"timeout" must be longer than 0/],
    [{ timeout: '5 minutes' }, /"timeout" Invalid duration/],
  ])(
    'should reject bad arguments %o with a TypeError naming them, before any request',
    async (bad, message) => {
      const { fetch, calls } = answering(() => new Response(null, { status: 204 }))

      const error = await failureOf(
        extendSession({ sessionId: SESSION_ID, adminUrl: ADMIN_URL, fetch, ...bad } as never),
      )

      expect(error).toBeInstanceOf(TypeError)
      expect(error.message).toMatch(/^\[@session-keeper\/core\/server\] extendSession: /)
      expect(error.message).toMatch(message)
      for (const text of everyRendering(error)) expect(text).not.toContain(API_KEY)
      expect(calls).toHaveLength(0)
    },
  )

  it('should reject options that are not an object with a TypeError', async () => {
    await expect(extendSession(undefined as never)).rejects.toThrow(TypeError)
  })
})
