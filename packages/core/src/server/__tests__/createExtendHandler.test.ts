import { describe, expect, it, vi } from 'vitest'
import { createExtendHandler, type ExtendHandlerOptions } from '../createExtendHandler.js'
import { createMemoryClaimStore } from '../createMemoryClaimStore.js'
import {
  ADMIN_URL,
  API_KEY,
  APP,
  appRequest,
  BASE_URL,
  HOUR,
  json,
  type KratosStubOptions,
  kratosStub,
  MINUTE,
  SESSION_ID,
  sessionBody,
  T0,
} from './kratosStub.js'

/** A handler over a scripted Kratos; `clock.now` is the app server's own clock. */
function setup(stub: KratosStubOptions = {}, options: Partial<ExtendHandlerOptions> = {}) {
  const kratos = kratosStub(stub)
  const clock = { now: T0 }
  const handler = createExtendHandler({
    baseUrl: BASE_URL,
    adminUrl: ADMIN_URL,
    apiKey: API_KEY,
    fetch: kratos.fetch,
    now: () => clock.now,
    ...options,
  })
  return { kratos, clock, handler }
}

async function read(response: Response) {
  return { status: response.status, headers: response.headers, body: await response.json() }
}

describe('createExtendHandler', () => {
  describe('method and CSRF', () => {
    it.each(['GET', 'PUT', 'OPTIONS'])(
      'should answer %s with 405 and Allow: POST, asking nothing',
      async (method) => {
        const { handler, kratos } = setup()

        const { status, headers, body } = await read(await handler(appRequest({}, { method })))

        expect(status).toBe(405)
        expect(headers.get('allow')).toBe('POST')
        expect(body).toEqual({ error: { id: 'method_not_allowed', message: expect.any(String) } })
        expect(kratos.calls).toHaveLength(0)
      },
    )

    it.each([
      ['Sec-Fetch-Site same-origin', { 'sec-fetch-site': 'same-origin' }, 200],
      ['Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site', origin: 'https://www.example.com' }, 200],
      ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }, 403],
      [
        'Sec-Fetch-Site cross-site with an allowed Origin',
        { 'sec-fetch-site': 'cross-site', origin: 'https://partner.example' },
        403,
      ],
      ['Sec-Fetch-Site none', { 'sec-fetch-site': 'none' }, 403],
      ['no Sec-Fetch-Site, own Origin', { 'sec-fetch-site': '', origin: APP }, 200],
      ['no Sec-Fetch-Site, allowed Origin', { 'sec-fetch-site': '', origin: 'https://partner.example' }, 200],
      ['no Sec-Fetch-Site, foreign Origin', { 'sec-fetch-site': '', origin: 'https://evil.example' }, 403],
      ['no Sec-Fetch-Site, Origin null', { 'sec-fetch-site': '', origin: 'null' }, 403],
      ['no Sec-Fetch-Site, same host other port', { 'sec-fetch-site': '', origin: `${APP}:8443` }, 403],
      ['neither header (not a browser)', { 'sec-fetch-site': '', origin: '' }, 200],
      [
        'neither header, a JSON body',
        { 'sec-fetch-site': '', origin: '', 'content-type': 'application/json' },
        200,
      ],
      // Found by test/reliability/extendHandler.test.ts: the bodies a cross-site form can send,
      // as older browsers (Firefox before 70) POST them, with the cookie and no Origin.
      [
        'neither header, a form-encoded body',
        { 'sec-fetch-site': '', origin: '', 'content-type': 'application/x-www-form-urlencoded' },
        403,
      ],
      [
        'neither header, a multipart body',
        { 'sec-fetch-site': '', origin: '', 'content-type': 'multipart/form-data; boundary=x' },
        403,
      ],
      [
        'neither header, a text/plain body',
        { 'sec-fetch-site': '', origin: '', 'content-type': 'Text/Plain;charset=UTF-8' },
        403,
      ],
      [
        'own Origin, a form-encoded body',
        { 'sec-fetch-site': '', origin: APP, 'content-type': 'application/x-www-form-urlencoded' },
        200,
      ],
      [
        'same-origin, a text/plain body',
        { 'sec-fetch-site': 'same-origin', 'content-type': 'text/plain' },
        200,
      ],
    ])('should judge %s', async (_, headers, expected) => {
      const { handler, kratos } = setup(
        { expiresAt: T0 + 10 * MINUTE },
        { allowedOrigins: ['https://partner.example/'] },
      )
      const request = appRequest()
      for (const [name, value] of Object.entries(headers)) {
        if (value) request.headers.set(name, value)
        else request.headers.delete(name)
      }

      const { status, body } = await read(await handler(request))

      expect(status).toBe(expected)
      if (expected === 403) {
        expect(body.error.id).toBe('cross_site_request')
        expect(kratos.calls).toHaveLength(0)
      } else {
        expect(body.extended).toBe(true)
      }
    })
  })

  describe('session', () => {
    it('should answer 401 without a session, with no admin call', async () => {
      const { handler, kratos } = setup()

      const { status, body } = await read(await handler(appRequest({ cookie: 'other=1' })))

      expect(status).toBe(401)
      expect(body).toEqual({ error: { id: 'session_inactive', message: expect.any(String) } })
      expect(kratos.count('extend')).toBe(0)
    })

    it("should answer Kratos's 403 with 403 and its error id", async () => {
      const { handler, kratos } = setup()
      kratos.override('whoami', () => json(403, { error: { id: 'session_aal2_required', code: 403 } }))

      const { status, body } = await read(await handler(appRequest()))

      expect(status).toBe(403)
      expect(body.error.id).toBe('session_aal2_required')
      expect(kratos.count('extend')).toBe(0)
    })

    it('should answer a 403 without an error id as forbidden', async () => {
      const { handler, kratos } = setup()
      kratos.override('whoami', () => json(403, { error: { code: 403 } }))

      const { status, body } = await read(await handler(appRequest()))

      expect(status).toBe(403)
      expect(body.error.id).toBe('forbidden')
    })

    it.each([
      ['5xx', () => json(503, { error: { code: 503 } })],
      ['a network failure', () => Promise.reject(new TypeError('fetch failed'))],
      ['a bad body', () => json(200, { nope: true })],
    ])('should answer 502 when whoami gives %s', async (_, answer) => {
      const { handler, kratos } = setup()
      kratos.override('whoami', answer)

      const { status, body } = await read(await handler(appRequest()))

      expect(status).toBe(502)
      expect(body.error.id).toBe('kratos_unavailable')
      expect(kratos.count('extend')).toBe(0)
    })

    it('should extend the id whoami gives, whatever the client says', async () => {
      const { handler, kratos } = setup({ expiresAt: T0 + HOUR })

      await handler(
        appRequest(
          { 'x-session-id': 'someone-else' },
          { body: JSON.stringify({ sessionId: 'someone-else' }) },
        ),
      )

      const extend = kratos.calls.find((call) => call.route === 'extend')
      expect(extend?.request.url).toBe(`${ADMIN_URL}/admin/sessions/${SESSION_ID}/extend`)
    })
  })

  describe('extension', () => {
    it('should extend and answer the new expires_at from the 200 body', async () => {
      const { handler, kratos } = setup({ expiresAt: T0 + HOUR })

      const { status, headers, body } = await read(await handler(appRequest()))

      expect(status).toBe(200)
      expect(body).toEqual({ extended: true, expires_at: new Date(T0 + 24 * HOUR).toISOString() })
      expect(headers.get('content-type')).toBe('application/json')
      expect(headers.get('cache-control')).toBe('no-store')
      const extend = kratos.calls.find((call) => call.route === 'extend')?.request
      expect(extend?.method).toBe('PATCH')
      expect(extend?.headers.get('authorization')).toBe(`Bearer ${API_KEY}`)
      expect(kratos.count('get')).toBe(0)
    })

    it('should read expires_at with GET /admin/sessions/{id} after a 204', async () => {
      const { handler, kratos } = setup({ expiresAt: T0 + HOUR, fasterSessionExtend: true })

      const { status, body } = await read(await handler(appRequest()))

      expect(status).toBe(200)
      expect(body).toEqual({ extended: true, expires_at: new Date(T0 + 24 * HOUR).toISOString() })
      const get = kratos.calls.find((call) => call.route === 'get')?.request
      expect(get?.method).toBe('GET')
      expect(get?.url).toBe(`${ADMIN_URL}/admin/sessions/${SESSION_ID}`)
      expect(get?.headers.get('authorization')).toBe(`Bearer ${API_KEY}`)
    })

    it.each([false, true])(
      'should answer outside_window when Kratos no-ops (expires_at unchanged; faster=%s)',
      async (fasterSessionExtend) => {
        const { handler, kratos } = setup({ expiresAt: T0 + 20 * HOUR, window: HOUR, fasterSessionExtend })

        const { status, body } = await read(await handler(appRequest()))

        expect(status).toBe(200)
        expect(body).toEqual({
          extended: false,
          reason: 'outside_window',
          expires_at: new Date(T0 + 20 * HOUR).toISOString(),
        })
        expect(kratos.count('extend')).toBe(1)
      },
    )

    it('should answer outside_window with extendable_at and no admin call before earliestPossibleExtend', async () => {
      const { handler, kratos } = setup({ expiresAt: T0 + 2 * HOUR }, { earliestPossibleExtend: '1h0m0s' })

      const { status, body } = await read(await handler(appRequest()))

      expect(status).toBe(200)
      expect(body).toEqual({
        extended: false,
        reason: 'outside_window',
        expires_at: new Date(T0 + 2 * HOUR).toISOString(),
        extendable_at: new Date(T0 + HOUR).toISOString(),
      })
      expect(kratos.count('extend')).toBe(0)
    })

    it('should extend once the window has opened (strictly: expires_at - window < now)', async () => {
      const { handler, kratos } = setup(
        { expiresAt: T0 + HOUR, window: HOUR },
        { earliestPossibleExtend: HOUR },
      )

      const atEdge = await read(await handler(appRequest()))
      kratos.state.now = T0 + 1_000
      const inside = await read(await handler(appRequest()))

      expect(atEdge.body.reason).toBe('outside_window')
      expect(inside.body).toEqual({
        extended: true,
        expires_at: new Date(T0 + 1_000 + 24 * HOUR).toISOString(),
      })
    })

    it("should judge the window by Kratos's Date, not the local clock", async () => {
      // The app server's clock is 1.5 h behind Kratos's: by its own clock the window is not open yet.
      const { handler, kratos, clock } = setup(
        { expiresAt: T0 + 3 * HOUR, window: 2 * HOUR },
        { earliestPossibleExtend: '2h' },
      )
      kratos.state.now = T0 + 1.5 * HOUR
      clock.now = T0

      const { body } = await read(await handler(appRequest()))

      expect(body).toEqual({ extended: true, expires_at: new Date(T0 + 25.5 * HOUR).toISOString() })
    })

    it('should fall back to now() when Kratos sends no readable Date', async () => {
      const { handler, kratos, clock } = setup(
        { expiresAt: T0 + 3 * HOUR, date: false },
        { earliestPossibleExtend: '2h' },
      )
      kratos.state.now = T0 + 2 * HOUR // Kratos would allow it; the local clock does not.

      const first = await read(await handler(appRequest()))
      clock.now = T0 + HOUR + 1
      const second = await read(await handler(appRequest()))

      expect(first.body).toMatchObject({ extended: false, reason: 'outside_window' })
      expect(second.body.extended).toBe(true)
    })
  })

  describe('minInterval', () => {
    it('should answer 200 too_soon with retry_after until minInterval has passed', async () => {
      const { handler, kratos, clock } = setup({ expiresAt: T0 + HOUR })

      const first = await read(await handler(appRequest()))
      clock.now = T0 + 60_500
      const second = await read(await handler(appRequest()))
      clock.now = kratos.state.now = T0 + 5 * MINUTE
      const third = await read(await handler(appRequest()))

      expect(first.body.extended).toBe(true)
      // 200, not 429: a second tab asking is normal use, not an error in its console.
      expect(second.status).toBe(200)
      expect(second.headers.get('cache-control')).toBe('no-store')
      expect(second.body).toEqual({
        extended: false,
        reason: 'too_soon',
        expires_at: new Date(T0 + 24 * HOUR).toISOString(),
        retry_after: 240,
      })
      expect(third.body.extended).toBe(true)
      expect(kratos.count('extend')).toBe(2)
    })

    it('should make one admin call for concurrent requests of one session, and give each its answer', async () => {
      const { handler, kratos } = setup({ expiresAt: T0 + HOUR })
      let answer!: (response: Response) => void
      kratos.override('extend', () => new Promise<Response>((resolve) => (answer = resolve)))

      const requests = [handler(appRequest()), handler(appRequest()), handler(appRequest())]
      await vi.waitFor(() => expect(answer).toBeDefined())
      answer(json(200, sessionBody(T0 + 24 * HOUR)))
      const bodies = await Promise.all(requests.map(async (request) => (await read(await request)).body))

      const extended = { extended: true, expires_at: new Date(T0 + 24 * HOUR).toISOString() }
      expect(bodies).toEqual([extended, extended, extended])
      expect(kratos.count('extend')).toBe(1)
    })

    it('should count each session id on its own', async () => {
      const { handler, kratos } = setup({ expiresAt: T0 + HOUR })
      let id = 0
      kratos.override('whoami', () =>
        json(200, {
          id: `session-${++id}`,
          expires_at: new Date(T0 + HOUR).toISOString(),
          authenticated_at: new Date(T0).toISOString(),
        }),
      )

      const extended = [
        (await read(await handler(appRequest()))).body.extended,
        (await read(await handler(appRequest()))).body.extended,
      ]

      expect(extended).toEqual([true, true])
      expect(kratos.count('extend')).toBe(2)
    })

    it('should take minInterval as an Ory duration, and 0 as no limit', async () => {
      const short = setup({ expiresAt: T0 + HOUR }, { minInterval: '30s' })
      await short.handler(appRequest())
      short.clock.now = short.kratos.state.now = T0 + 30_000
      const off = setup({ expiresAt: T0 + HOUR }, { minInterval: 0 })
      await off.handler(appRequest())
      off.kratos.state.now = T0 + 1 // Kratos extends from its own now: the second call moves expires_at again

      expect((await read(await short.handler(appRequest()))).body.extended).toBe(true)
      expect((await read(await off.handler(appRequest()))).body.extended).toBe(true)
      expect(short.kratos.count('extend') + off.kratos.count('extend')).toBe(4)
    })

    it('should let the next request retry after a failed extension', async () => {
      const { handler, kratos } = setup({ expiresAt: T0 + HOUR })
      let down = true
      kratos.override('extend', () =>
        down ? json(503, { error: { code: 503 } }) : json(200, sessionBody(T0 + 24 * HOUR)),
      )

      const failed = await handler(appRequest())
      down = false
      const retried = await read(await handler(appRequest()))

      expect(failed.status).toBe(502)
      expect(retried.status).toBe(200)
      expect(retried.body.extended).toBe(true)
    })
  })

  describe('admin errors', () => {
    it.each([
      [
        '401 (key refused)',
        () => json(401, { error: { code: 401, reason: `got Bearer ${API_KEY}` } }),
        /401/,
      ],
      ['404 (unknown or being extended)', () => json(404, { error: { code: 404 } }), /404/],
      ['500', () => json(500, { error: { code: 500 } }), /500/],
      [
        'a network failure',
        () => Promise.reject(new TypeError(`fetch failed for Bearer ${API_KEY}`)),
        /request failed/,
      ],
      ['a bad body', () => json(200, { id: SESSION_ID }), /without a valid session/],
    ])('should answer 502 extend_failed for %s, never with the key', async (_, answer, message) => {
      const { handler, kratos } = setup({ expiresAt: T0 + HOUR })
      kratos.override('extend', answer)

      const response = await handler(appRequest())
      const text = await response.text()

      expect(response.status).toBe(502)
      expect(JSON.parse(text).error.id).toBe('extend_failed')
      expect(JSON.parse(text).error.message).toMatch(message)
      expect(text).not.toContain(API_KEY)
      expect(JSON.stringify([...response.headers])).not.toContain(API_KEY)
    })

    it('should answer 502 when the GET after a 204 fails', async () => {
      const { handler, kratos } = setup({ expiresAt: T0 + HOUR, fasterSessionExtend: true })
      kratos.override('get', () => json(404, { error: { code: 404 } }))

      const { status, body } = await read(await handler(appRequest()))

      expect(status).toBe(502)
      expect(body.error.message).toMatch(/admin get session answered 404: no session has this id$/)
    })

    it('should answer 500 internal_error, not throw, when something unexpected fails', async () => {
      const { handler, kratos } = setup()
      // A request whose URL cannot be parsed (the Origin check reads it).
      const broken = appRequest()
      Object.defineProperty(broken, 'url', { value: 'not a url' })
      broken.headers.delete('sec-fetch-site')

      const { status, body } = await read(await handler(broken))

      expect(status).toBe(500)
      expect(body.error.id).toBe('internal_error')
      expect(kratos.calls).toHaveLength(0)
    })
  })

  describe('claimStore', () => {
    /** A store that fails every call until `broken` is cleared, recording what it was asked. */
    const brokenStore = () => {
      const store = {
        broken: true,
        calls: [] as string[],
        async claim(id: string, ttl: number) {
          store.calls.push(`claim ${id} ${ttl}`)
          if (store.broken) throw new Error('ECONNREFUSED 127.0.0.1:6379')
          return { claimed: true as const }
        },
        async release(id: string) {
          store.calls.push(`release ${id}`)
          if (store.broken) throw new Error('ECONNREFUSED 127.0.0.1:6379')
        },
      }
      return store
    }

    it('should share claims through the store it is given: two instances, one admin call', async () => {
      const claimStore = createMemoryClaimStore({ now: () => T0 })
      const one = setup({ expiresAt: T0 + HOUR }, { claimStore })
      const two = createExtendHandler({
        baseUrl: BASE_URL,
        adminUrl: ADMIN_URL,
        fetch: one.kratos.fetch,
        now: () => T0,
        claimStore,
      })

      const first = await read(await one.handler(appRequest()))
      const second = await read(await two(appRequest()))

      expect(first.body.extended).toBe(true)
      expect(second.body).toMatchObject({ extended: false, reason: 'too_soon', retry_after: 300 })
      expect(one.kratos.count('extend')).toBe(1)
    })

    it('should answer from per-process memory when the store fails, and tell onError once', async () => {
      const store = brokenStore()
      const onError = vi.fn()
      const { handler, kratos } = setup({ expiresAt: T0 + HOUR }, { claimStore: store, onError })

      const first = await read(await handler(appRequest()))
      const second = await read(await handler(appRequest()))

      expect(first.body.extended).toBe(true)
      expect(second.body).toMatchObject({ extended: false, reason: 'too_soon' })
      expect(kratos.count('extend')).toBe(1)
      expect(store.calls).toEqual([`claim ${SESSION_ID} 300000`, `claim ${SESSION_ID} 300000`])
      expect(onError).toHaveBeenCalledTimes(1)
      expect(onError.mock.calls[0]?.[0]).toMatchObject({
        name: 'NetworkError',
        message: expect.stringMatching(/claim store failed to claim \(ECONNREFUSED/),
      })
    })

    it('should warn on the console by default when the store fails', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { handler } = setup({ expiresAt: T0 + HOUR }, { claimStore: brokenStore() })

      await handler(appRequest())
      await handler(appRequest())

      expect(warn).toHaveBeenCalledTimes(1)
      expect(warn.mock.calls[0]?.[0]).toMatch(/^\[@session-keeper\/core\/server\] the claim store failed/)
      warn.mockRestore()
    })

    it('should give the claim back to the store when the admin extend fails', async () => {
      const store = brokenStore()
      store.broken = false
      const { handler, kratos } = setup({ expiresAt: T0 + HOUR }, { claimStore: store })
      kratos.override('extend', () => json(500, { error: { code: 500 } }))

      const { status } = await read(await handler(appRequest()))

      expect(status).toBe(502)
      expect(store.calls).toEqual([`claim ${SESSION_ID} 300000`, `release ${SESSION_ID}`])
    })

    it('should not ask the store at all when minInterval is 0', async () => {
      const store = brokenStore()
      const { handler } = setup({ expiresAt: T0 + HOUR }, { claimStore: store, minInterval: 0 })

      await handler(appRequest())

      expect(store.calls).toEqual([])
    })
  })

  describe('options', () => {
    it.each([
      [{ baseUrl: 'localhost:4433' }, /"baseUrl" must be an absolute http\(s\) URL/],
      [{ adminUrl: undefined }, /"adminUrl" must be an absolute http\(s\) URL/],
      [
        { apiKey: 'has space' },
        /"apiKey" must be a non-empty string of visible ASCII characters \(value not shown\)/,
      ],
      [{ earliestPossibleExtend: 'soon' }, /"earliestPossibleExtend" Invalid duration "soon"/],
      [{ minInterval: -1 }, /"minInterval" Invalid duration -1/],
      [{ allowedOrigins: 'https://a.example' }, /"allowedOrigins" must be an array/],
      [{ allowedOrigins: ['null'] }, /"allowedOrigins" must be an absolute http\(s\) URL, got "null"/],
      [{ fetch: {} }, /"fetch" must be a function/],
      [{ now: 5 }, /"now" must be a function/],
      [{ timeout: '0s' }, /"timeout" must be longer than 0/],
      [{ claimStore: {} }, /"claimStore" must have claim\(\) and release\(\)/],
      [{ claimTimeout: '0s' }, /"claimTimeout" must be longer than 0/],
      [{ onError: 'log' }, /"onError" must be a function/],
    ])('should throw a TypeError naming a bad option %o at creation', (bad, message) => {
      expect(() =>
        createExtendHandler({ baseUrl: BASE_URL, adminUrl: ADMIN_URL, ...bad } as ExtendHandlerOptions),
      ).toThrow(message)
      expect(() =>
        createExtendHandler({ baseUrl: BASE_URL, adminUrl: ADMIN_URL, ...bad } as ExtendHandlerOptions),
      ).toThrow(TypeError)
    })

    it('should throw a TypeError without options', () => {
      expect(() => createExtendHandler(undefined as never)).toThrow(/options must be an object/)
    })
  })
})
