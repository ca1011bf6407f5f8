// Issue 14 part 7: `createExtendHandler` under load and attack, against a real fake-kratos
// started here (its admin API behind an API key, as on Ory Network), the handler's clock on the
// fake's. Bursts of 1,000 concurrent requests for one session must make exactly one admin
// extend per minInterval (counted at the fake); the forged and cross-site requests of
// extendAttacks.ts must all be refused with their status before Kratos hears of them; and the
// admin key must appear in no answer (body or header), no log line (the handler's onError and
// every console method) and no error, on the happy path and on every admin failure.
import { format } from 'node:util'
import { createExtendHandler, type ExtendHandlerOptions } from '@session-keeper/core/server'
import { type FakeKratos, startFakeKratos } from '@session-keeper/fake-kratos'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP, ATTACKS, EXTEND_URL } from './extendAttacks.js'
import { figure } from './figure.js'

const API_KEY = 'ory_pat_reliabilityADMINkey7f3c9e1d'
const MINUTE = 60_000
const MIN_INTERVAL = 5 * MINUTE
/** Concurrent requests per burst; RELIABILITY_EXTEND_BURST overrides. */
const BURST = Number(process.env.RELIABILITY_EXTEND_BURST ?? 1_000)
/** minIntervals under load: a burst at the start of each and one halfway through. */
const INTERVALS = 3
const T0 = Date.UTC(2031, 0, 15, 9, 0, 0)

let kratos: FakeKratos
/** Everything the run printed or reported: console lines, onError, thrown errors. */
const logged: string[] = []
/** Every answer: status line, headers and body. */
const answers: string[] = []
const CONSOLE = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const
const originalConsole = CONSOLE.map((name) => console[name])

beforeAll(async () => {
  for (const name of CONSOLE) {
    const original = console[name]
    console[name] = (...args: unknown[]) => {
      logged.push(format(...args))
      original.apply(console, args)
    }
  }
  kratos = await startFakeKratos({ host: '127.0.0.1', apiKey: API_KEY, lifespan: '1h', now: () => T0 })
})
afterAll(async () => {
  CONSOLE.forEach((name, i) => {
    console[name] = originalConsole[i] as (typeof console)[typeof name]
  })
  await kratos?.close()
})

const handlerFor = (options: Partial<ExtendHandlerOptions> = {}) =>
  createExtendHandler({
    baseUrl: kratos.url,
    adminUrl: kratos.url,
    apiKey: API_KEY,
    minInterval: MIN_INTERVAL,
    now: () => kratos.clock.now(),
    onError: (error) => logged.push(format(error), format(error.cause)),
    ...options,
  })

/** Calls the handler, recording the whole answer (and any throw) for the key search. */
async function call(handler: (request: Request) => Promise<Response>, request: Request) {
  try {
    const response = await handler(request)
    const text = await response.text()
    answers.push(`${response.status} ${format([...response.headers])} ${text}`)
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null }
  } catch (error) {
    logged.push(format(error))
    throw error
  }
}

const sameOrigin = (cookie: string) =>
  new Request(EXTEND_URL, {
    method: 'POST',
    headers: { 'sec-fetch-site': 'same-origin', origin: APP, cookie },
  })

const adminExtends = () =>
  Object.entries(kratos.stats().requests)
    .filter(([route]) => /^PATCH \/admin\/sessions\/[^/]+\/extend$/.test(route))
    .reduce((sum, [, n]) => sum + n, 0)

describe('createExtendHandler under load', () => {
  it(`should make exactly one admin extend per minInterval under bursts of ${BURST} concurrent requests`, async () => {
    const handler = handlerFor()
    const { cookie } = kratos.createSession('user@example.com')
    kratos.resetStats()
    const perInterval: number[] = []
    const statuses = new Map<number, number>()
    let extended = 0
    const burst = async () => {
      const all = await Promise.all(Array.from({ length: BURST }, () => call(handler, sameOrigin(cookie))))
      for (const { status, body } of all) {
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        if (body?.extended) extended++
      }
    }
    for (let interval = 0; interval < INTERVALS; interval++) {
      const before = adminExtends()
      await burst()
      kratos.clock.advance(MIN_INTERVAL / 2)
      await burst()
      kratos.clock.advance(MIN_INTERVAL / 2)
      perInterval.push(adminExtends() - before)
    }

    const whoamis = kratos.stats().requests['GET /sessions/whoami'] ?? 0
    figure('extend handler: requests in bursts of 1,000 at once', BURST * 2 * INTERVALS, { min: 6_000 })
    figure(
      'extend handler: minIntervals without exactly one admin extend',
      perInterval.filter((n) => n !== 1).length,
      { max: 0 },
    )
    figure(
      'extend handler: answers other than 200 under load',
      BURST * 2 * INTERVALS - (statuses.get(200) ?? 0),
      {
        max: 0,
      },
    )
    expect(perInterval).toEqual(Array(INTERVALS).fill(1))
    // Every request asked Kratos who it is; the ones sharing the one extension all say so.
    expect(whoamis).toBe(BURST * 2 * INTERVALS)
    expect(extended).toBeGreaterThanOrEqual(INTERVALS)
  })
})

describe('createExtendHandler under attack', () => {
  it('should refuse every forged or cross-site request with its status, before asking Kratos', async () => {
    const handler = handlerFor()
    const { cookie } = kratos.createSession('user@example.com')
    kratos.resetStats()
    const wrong: string[] = []
    for (const attack of ATTACKS) {
      const method = attack.method ?? 'POST'
      const request = new Request(EXTEND_URL, {
        method,
        headers: { ...attack.headers, cookie },
        body: method === 'GET' || method === 'HEAD' ? undefined : attack.body,
      })
      const { status, headers, body } = await call(handler, request)
      const allow = attack.status === 405 ? headers.get('allow') === 'POST' : true
      if (status !== attack.status || body?.error?.id !== attack.id || !allow) {
        wrong.push(`${attack.name}: ${status} ${body?.error?.id}`)
      }
    }
    const reachedKratos = Object.values(kratos.stats().requests).reduce((sum, n) => sum + n, 0)

    figure('extend handler: forged and cross-site requests tried', ATTACKS.length, { min: 30 })
    figure(
      'extend handler: forged requests refused with the right status (%)',
      Math.floor((100 * (ATTACKS.length - wrong.length)) / ATTACKS.length),
      { min: 100 },
    )
    figure('extend handler: forged requests that reached Kratos', reachedKratos, { max: 0 })
    expect(wrong).toEqual([])
  })

  it('should still extend for a request that is same-origin by each of the rules (the refusals are not blanket)', async () => {
    const handler = handlerFor({ minInterval: 0 })
    const { cookie } = kratos.createSession('user@example.com')
    const allowed: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-origin', origin: APP },
      { 'sec-fetch-site': 'same-site', origin: 'https://www.example.com' },
      { origin: APP },
      {}, // a server or native client: no browser, no ambient cookie
      { 'sec-fetch-site': 'same-origin', 'content-type': 'text/plain' },
      { origin: APP, 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'application/json' },
    ]
    const statuses = []
    for (const headers of allowed) {
      kratos.clock.advance(MINUTE)
      const { status, body } = await call(
        handler,
        // A string body would add `text/plain` by itself: only where the row names a type.
        new Request(EXTEND_URL, {
          method: 'POST',
          headers: { ...headers, cookie },
          body: headers['content-type'] ? 'x' : undefined,
        }),
      )
      statuses.push([status, body?.extended])
    }

    expect(statuses).toEqual(allowed.map(() => [200, true]))
  })
})

describe('createExtendHandler and the admin key', () => {
  it('should keep the admin key out of every answer, log line and error, on success and on every admin failure', async () => {
    const { cookie, session } = kratos.createSession('user@example.com')
    const route = `PATCH /admin/sessions/${session.id}/extend`
    // A proxy agent whose errors echo the request, key and all.
    const echoed: string[] = []
    const leakyFetch: typeof fetch = async (input, init) => {
      if (String(input).includes('/admin/')) {
        echoed.push(`proxy refused ${String(input)} with ${JSON.stringify(init?.headers)}`)
        throw new TypeError(echoed.at(-1))
      }
      return fetch(input, init)
    }
    const failures: Array<[string, () => void, Partial<ExtendHandlerOptions>]> = [
      ['admin 500', () => kratos.addFault({ route, status: 500, times: 1 }), {}],
      [
        'admin 401 body',
        () => kratos.addFault({ route, status: 401, body: { error: { code: 401 } }, times: 1 }),
        {},
      ],
      ['admin connection reset', () => kratos.addFault({ route, reset: true, times: 1 }), {}],
      ['admin bad body', () => kratos.addFault({ route, status: 200, body: '{"id": tru', times: 1 }), {}],
      [
        'admin hangs past the timeout',
        () => kratos.addFault({ route, delayMs: 1_000, times: 1 }),
        { timeout: 100 },
      ],
      ['whoami 503', () => kratos.addFault({ route: 'GET /sessions/whoami', status: 503, times: 1 }), {}],
      ['a proxy fetch whose error echoes the key', () => {}, { fetch: leakyFetch }],
      ['a wrong key', () => {}, { apiKey: 'ory_pat_wrongKEY' }],
    ]
    const statuses: number[] = []
    for (const [, inject, options] of failures) {
      inject()
      const { status } = await call(handlerFor({ minInterval: 0, ...options }), sameOrigin(cookie))
      statuses.push(status)
      kratos.clearFaults()
    }
    kratos.clock.advance(MINUTE)
    const ok = await call(handlerFor({ minInterval: 0 }), sameOrigin(cookie))

    // The whole run so far: the load, the attacks and these failures.
    const outputs = [...answers, ...logged]
    const found = outputs.filter((text) => text.includes(API_KEY) || text.includes('ory_pat_wrongKEY'))
    figure('extend handler: answers and log lines searched for the admin key', outputs.length, { min: 6_000 })
    figure('extend handler: admin key found in an answer, header, log line or error', found.length, {
      max: 0,
    })
    expect(found).toEqual([])
    expect(statuses).toEqual(failures.map(() => 502))
    // The search has something to miss: the proxy's error did hold the key.
    expect(echoed.some((text) => text.includes(API_KEY))).toBe(true)
    // The key was in real use: the fake accepts only it.
    expect(ok.body).toMatchObject({ extended: true })
  })
})
