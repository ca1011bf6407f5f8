// CORS on the public API (serve.public.cors) per FACTS.md §7 (and the Cache-Control caveat of §1).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Fake, type FakeKratosOptions, USER } from './fake.js'
import { type Reply, request } from './http.js'

const APP = 'https://app.example.test'

function list(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean)
    .sort()
}

function preflight(fake: Fake, origin: string, method: string, headers: string): Promise<Reply> {
  return request(fake.at('/sessions/whoami'), {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': headers,
    },
  })
}

async function startCors(options: FakeKratosOptions): Promise<Fake> {
  return Fake.start(options)
}

describe('CORS off (the Kratos default)', () => {
  let fake: Fake
  beforeAll(async () => {
    fake = await startCors({})
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  it.each<[string, (fake: Fake) => Promise<Reply>]>([
    [
      'a cross-origin whoami with a session',
      async (fake) => {
        const created = await fake.createSession(USER.email)
        return fake.whoami({ headers: { Origin: APP, 'X-Session-Token': created.session_token } })
      },
    ],
    ['a cross-origin whoami without a session', (fake) => fake.whoami({ headers: { Origin: APP } })],
    ['a preflight', (fake) => preflight(fake, APP, 'GET', 'x-session-token')],
  ])('should send no Access-Control-* headers on %s', async (_, send) => {
    const reply = await send(fake)
    for (const header of [
      'access-control-allow-origin',
      'access-control-allow-credentials',
      'access-control-expose-headers',
      'access-control-allow-methods',
      'access-control-allow-headers',
    ]) {
      expect(reply.headers.get(header), header).toBeNull()
    }
  })
})

describe.each<[string, FakeKratosOptions['cors'], string[]]>([
  ['CORS on with the default exposed headers', { origins: [APP] }, ['content-type']],
  [
    'CORS on with exposed identity and cache headers',
    {
      origins: [APP],
      exposedHeaders: ['Content-Type', 'X-Kratos-Authenticated-Identity-Id', 'Ory-Session-Cache-For'],
    },
    ['content-type', 'ory-session-cache-for', 'x-kratos-authenticated-identity-id'],
  ],
])('%s', (_, cors, exposed) => {
  let fake: Fake
  beforeAll(async () => {
    fake = await startCors({ cors })
  })
  afterAll(() => fake.close())
  beforeEach(() => fake.isolate())

  it.each<[string, (fake: Fake) => Promise<Reply>, number]>([
    [
      'a 200 whoami',
      async (fake) => {
        const created = await fake.createSession(USER.email)
        return fake.whoami({ headers: { Origin: APP, 'X-Session-Token': created.session_token } })
      },
      200,
    ],
    ['a 401 whoami', (fake) => fake.whoami({ headers: { Origin: APP } }), 401],
    [
      'a login flow',
      (fake) => request(fake.at('/self-service/login/browser'), { accept: 'json', headers: { Origin: APP } }),
      200,
    ],
  ])(
    'should reflect the allowed origin with credentials and exposed headers on %s',
    async (_, send, status) => {
      const reply = await send(fake)
      expect(reply.status, reply.text).toBe(status)
      expect(reply.headers.get('access-control-allow-origin')).toBe(APP)
      expect(reply.headers.get('access-control-allow-credentials')).toBe('true')
      expect(list(reply.headers.get('access-control-expose-headers'))).toStrictEqual(exposed)
      expect(list(reply.headers.get('vary'))).toContain('origin')
    },
  )

  it('should not allow an origin that is not listed', async () => {
    const reply = await fake.whoami({ headers: { Origin: 'https://evil.example' } })
    expect(reply.status).toBe(401)
    expect(reply.headers.get('access-control-allow-origin')).toBeNull()
    expect(reply.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it.each<[string, string, string]>([
    ['GET with X-Session-Token', 'GET', 'x-session-token'],
    ['POST with Content-Type and X-CSRF-Token', 'POST', 'content-type,x-csrf-token'],
    ['DELETE with Authorization', 'DELETE', 'authorization'],
  ])('should allow a preflight for %s', async (_, method, headers) => {
    const reply = await preflight(fake, APP, method, headers)
    expect(reply.status).toBeGreaterThanOrEqual(200)
    expect(reply.status).toBeLessThan(300)
    expect(reply.headers.get('access-control-allow-origin')).toBe(APP)
    expect(reply.headers.get('access-control-allow-credentials')).toBe('true')
    expect(list(reply.headers.get('access-control-allow-methods'))).toContain(method.toLowerCase())
    expect(list(reply.headers.get('access-control-allow-headers'))).toStrictEqual(
      expect.arrayContaining(list(headers)),
    )
  })

  it.each<[string, string, string, string]>([
    ['from an origin that is not listed', 'https://evil.example', 'GET', 'x-session-token'],
    ['asking for Cache-Control (not in the default allowed headers, FACTS §1)', APP, 'GET', 'cache-control'],
    ['asking for a method that is not allowed', APP, 'TRACE', ''],
  ])('should refuse a preflight %s', async (_, origin, method, headers) => {
    const reply = await preflight(fake, origin, method, headers)
    expect(reply.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('CORS on with origins ["*"]', () => {
  let fake: Fake
  beforeAll(async () => {
    fake = await startCors({ cors: { origins: ['*'] } })
  })
  afterAll(() => fake.close())

  it('should reflect the request origin rather than *, as credentials are allowed', async () => {
    const reply = await fake.whoami({ headers: { Origin: 'https://any.example' } })
    expect(reply.headers.get('access-control-allow-origin')).toBe('https://any.example')
    expect(reply.headers.get('access-control-allow-credentials')).toBe('true')
  })
})
