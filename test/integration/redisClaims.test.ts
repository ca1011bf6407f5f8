// The extend handler on several instances sharing claims in a real Redis (issue 16): three
// handler processes behind one port (extendCluster.ts), a real redis-server and fake-kratos,
// all started here. 300 concurrent activity pings for one session make exactly one admin
// extend; with Redis killed every ping is still answered and extends are bounded by the
// per-process fallback; with Redis back, claims are shared again. Redis's keys and values are
// read to check that they are namespaced, expire, and hold no session token or API key.
import { type FakeKratos, startFakeKratos } from '@session-keeper/fake-kratos'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisServer, startRedisServer } from '../../packages/core/src/server/__tests__/redisServer.js'
import { type ExtendCluster, type Ping, startExtendCluster } from './extendCluster.js'
import { requestsTo, T0 } from './harness.js'

const WORKERS = 3
const PINGS = 300
const MIN_INTERVAL = 10 * 60_000
const API_KEY = 'ory_pat_clusterSECRET42'
const PREFIX = 'session-keeper:extend:'
/** Bursts of 300 requests through 3 processes on a shared 2-core machine take seconds. */
const TEST_TIMEOUT = 120_000

let redis: RedisServer
let kratos: FakeKratos
let cluster: ExtendCluster
let inspector: Awaited<ReturnType<typeof connectInspector>>
const connectInspector = (url: string) =>
  createClient({ url, socket: { reconnectStrategy: 20 } })
    .on('error', () => {})
    .connect()

beforeAll(async () => {
  redis = await startRedisServer()
  kratos = await startFakeKratos({ host: '127.0.0.1', now: () => T0, apiKey: API_KEY, lifespan: '1h' })
  cluster = await startExtendCluster({
    workers: WORKERS,
    kratosUrl: kratos.url,
    apiKey: API_KEY,
    redisUrl: redis.url,
    minInterval: MIN_INTERVAL,
    // Generous: a 300-request burst on a shared 2-core machine lags every event loop; this test
    // is about sharing and outages, the timeout has its own tests.
    claimTimeout: 5_000,
  })
  await cluster.until((events) => readyCount(events) >= WORKERS)
  inspector = await connectInspector(redis.url)
}, 60_000)

afterAll(async () => {
  inspector?.destroy()
  await cluster?.stop()
  await redis?.stop()
  await kratos?.close()
})

const readyCount = (events: ExtendCluster['events']) => events.filter((e) => e.type === 'redis-ready').length

/** A new session, 10 minutes into its life, so an extension really moves expires_at. */
function newSession() {
  const created = kratos.createSession('user@example.com')
  kratos.clock.advance(10 * 60_000)
  return created
}

const adminExtends = (id: string) => requestsTo(kratos, `PATCH /admin/sessions/${id}/extend`)
/** The pings not answered 200 with `extended` (none, when every ping was answered). */
const unanswered = (answers: Ping[]) =>
  answers.filter((answer) => answer.status !== 200 || typeof answer.body.extended !== 'boolean')

describe('the extend handler on three instances with the Redis claim store', () => {
  it(
    'should make exactly one admin extend for 300 concurrent pings of one session, spread over every instance',
    async () => {
      const { session, cookie } = newSession()

      const answers = await cluster.storm(cookie, PINGS)

      expect(unanswered(answers)).toEqual([])
      // The one extension's answer is shared by the pings its instance had in flight meanwhile;
      // every other ping, on any instance, is too_soon.
      const extended = answers.filter((answer) => answer.body.extended)
      expect(extended.length).toBeGreaterThanOrEqual(1)
      expect(new Set(extended.map((answer) => answer.worker)).size).toBe(1)
      expect(answers.filter((answer) => answer.body.reason === 'too_soon')).toHaveLength(
        PINGS - extended.length,
      )
      expect(new Set(answers.map((answer) => answer.worker)).size).toBe(WORKERS)
      expect(adminExtends(session.id)).toBe(1)
    },
    TEST_TIMEOUT,
  )

  it(
    'should keep only namespaced, expiring keys in Redis, with no session token, cookie or API key',
    async () => {
      const created = newSession()
      await cluster.storm(created.cookie, 30)

      const keys = await inspector.keys('*')
      expect(keys.length).toBeGreaterThan(0)
      expect(keys).toContain(`${PREFIX}${created.session.id}`)
      const secrets = [
        API_KEY,
        created.sessionToken,
        created.cookie,
        created.cookie.split('=')[1] ?? created.cookie,
      ]
      for (const key of keys) {
        expect(key.startsWith(PREFIX), key).toBe(true)
        const ttl = await inspector.pTTL(key)
        expect(ttl, key).toBeGreaterThan(0)
        expect(ttl, key).toBeLessThanOrEqual(MIN_INTERVAL)
        const value = String(await inspector.get(key))
        for (const secret of secrets) {
          expect(key).not.toContain(secret)
          expect(value).not.toContain(secret)
        }
      }
    },
    TEST_TIMEOUT,
  )

  it(
    'should answer every ping while Redis is killed mid-run, extends bounded by one per instance, and share claims again once it is back',
    async () => {
      // Killed while a storm of one session is under way.
      const during = newSession()
      let killed: Promise<void> | undefined
      const first = await cluster.storm(during.cookie, PINGS, (answered) => {
        if (answered === PINGS / 3) killed = redis.kill()
      })
      await killed
      const second = await cluster.storm(during.cookie, PINGS)
      expect(unanswered([...first, ...second])).toEqual([])
      expect(adminExtends(during.session.id)).toBeGreaterThanOrEqual(1)
      expect(adminExtends(during.session.id)).toBeLessThanOrEqual(1 + WORKERS)

      // A session first seen while Redis is down: per-process memory only.
      const down = newSession()
      const outage = await cluster.storm(down.cookie, PINGS)
      expect(unanswered(outage)).toEqual([])
      expect(adminExtends(down.session.id)).toBeGreaterThanOrEqual(1)
      expect(adminExtends(down.session.id)).toBeLessThanOrEqual(WORKERS)
      const errors = cluster.events.filter((event) => event.type === 'claim-error')
      expect(errors.length).toBeGreaterThanOrEqual(1)
      // Once per outage and worker, never once per request.
      expect(errors.length).toBeLessThanOrEqual(WORKERS)

      // Back: every worker's client reconnects by itself, and claims are shared again.
      const before = readyCount(cluster.events)
      await redis.start()
      await cluster.until((events) => readyCount(events) >= before + WORKERS)
      const after = newSession()
      const answers = await cluster.storm(after.cookie, PINGS)
      expect(unanswered(answers)).toEqual([])
      expect(adminExtends(after.session.id)).toBe(1)
      expect(await inspector.exists(`${PREFIX}${after.session.id}`)).toBe(1)
    },
    TEST_TIMEOUT,
  )
})
