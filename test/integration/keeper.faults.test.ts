// Faults on GET /sessions/whoami, injected into a real fake Kratos: none of them signs the user
// out (DESIGN §3). The last session stays, `stale` is set, `error` has the right type, and the
// first good answer clears both. Backoff timing is in keeper.started.test.ts.

import {
  isInvalidResponseError,
  isNetworkError,
  isRateLimitedError,
  isServerError,
  type SessionKeeperError,
} from '@session-keeper/core'
import type { Fault } from '@session-keeper/fake-kratos'
import { describe, expect, it } from 'vitest'
import { createCookieJarFetch } from './cookieJarFetch.js'
import { countEvents, keeperFor, requestsTo, startKratos, T0, tokenKeeperFor } from './harness.js'
import { createManualClock } from './manualClock.js'

const WHOAMI = 'GET /sessions/whoami'

interface FaultCase {
  name: string
  fault: Omit<Fault, 'route'>
  /** The error the keeper must report. */
  expectError(error: SessionKeeperError | null): void
}

const CASES: FaultCase[] = [
  {
    name: '500',
    fault: { status: 500 },
    expectError(error) {
      expect(isServerError(error) && error.status).toBe(500)
      expect(isRateLimitedError(error)).toBe(false)
    },
  },
  {
    name: '503',
    fault: { status: 503 },
    expectError(error) {
      expect(isServerError(error) && error.status).toBe(503)
      expect(error?.name).toBe('ServerError')
    },
  },
  {
    name: 'a reset connection',
    fault: { reset: true },
    expectError(error) {
      expect(isNetworkError(error)).toBe(true)
    },
  },
  {
    name: 'a malformed JSON body with status 200',
    fault: { body: '{not json' },
    expectError(error) {
      expect(isInvalidResponseError(error)).toBe(true)
    },
  },
  {
    name: 'a JSON body that is not a session',
    fault: { status: 200, body: { id: 42, expires_at: 'soon' } },
    expectError(error) {
      expect(isInvalidResponseError(error)).toBe(true)
    },
  },
  {
    name: '429 with Retry-After: 7',
    fault: { status: 429, retryAfter: 7 },
    expectError(error) {
      expect(isRateLimitedError(error)).toBe(true)
      expect(isRateLimitedError(error) && error.retryAfter).toBe(7_000)
      expect(isServerError(error) && error.status).toBe(429)
    },
  },
  {
    name: '403 that is not session_aal2_required',
    fault: { status: 403 },
    expectError(error) {
      expect(isServerError(error) && error.status).toBe(403)
    },
  },
]

describe.each(['token', 'cookie'] as const)('whoami faults in %s mode', (mode) => {
  it.each(CASES)('should keep the session, go stale and recover on $name', async ({ fault, expectError }) => {
    const kratos = await startKratos()
    const created = kratos.createSession('user@example.com')
    const browser = createCookieJarFetch()
    browser.jar.set(created.cookie)
    const errors: SessionKeeperError[] = []
    const keeper = keeperFor(kratos, {
      clock: createManualClock(T0),
      onError: (error) => errors.push(error),
      ...(mode === 'token' ? { sessionToken: created.sessionToken } : { fetch: browser.fetch }),
    })
    const events = countEvents(keeper)
    const good = await keeper.check()
    expect(good.status).toBe('authenticated')

    kratos.addFault({ route: WHOAMI, ...fault })
    const failed = await keeper.check()

    expect(failed).toMatchObject({ status: 'authenticated', phase: 'active', stale: true })
    expect(failed.session).toBe(good.session)
    expectError(failed.error)
    expect(errors).toEqual([failed.error])
    expect(events.error).toBe(1)
    expect(events['signed-out']).toBe(0)
    expect(events.changed).toBe(1)
    expect(failed.lastCheckedAt).toBe(T0)

    kratos.clearFaults()
    const recovered = await keeper.check()

    expect(recovered).toMatchObject({ status: 'authenticated', stale: false, error: null })
    expect(recovered.session).toBe(good.session)
    expect(requestsTo(kratos, WHOAMI)).toBe(3)
  })
})

describe('whoami timeout', () => {
  it('should report a NetworkError when whoami answers later than the timeout option, and keep the session', async () => {
    const kratos = await startKratos()
    // A timeout far above a loaded machine's whoami, far below the injected delay.
    const keeper = tokenKeeperFor(kratos, { clock: createManualClock(T0), timeout: '1s' })
    const good = await keeper.check()
    kratos.addFault({ route: WHOAMI, delayMs: 10_000, times: 1 })

    const failed = await keeper.check()

    expect(isNetworkError(failed.error)).toBe(true)
    expect(failed.error?.message).toMatch(/timed out/)
    expect(failed).toMatchObject({ status: 'authenticated', stale: true })
    expect(failed.session).toBe(good.session)

    const recovered = await keeper.check()
    expect(recovered).toMatchObject({ status: 'authenticated', stale: false, error: null })
  })
})

describe('faults while signed out', () => {
  it('should stay loading with the error when whoami fails before any answer, then settle on unauthenticated', async () => {
    const kratos = await startKratos()
    kratos.addFault({ route: WHOAMI, status: 502 })
    const keeper = keeperFor(kratos, { fetch: createCookieJarFetch().fetch, clock: createManualClock(T0) })

    const first = await keeper.check()
    expect(first).toMatchObject({ status: 'loading', session: null, stale: true })
    expect(isServerError(first.error) && first.error.status).toBe(502)

    kratos.clearFaults()
    expect(await keeper.check()).toMatchObject({ status: 'unauthenticated', stale: false, error: null })
  })
})
