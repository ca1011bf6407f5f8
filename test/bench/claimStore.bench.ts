// The extend handler's claim store (issue 16): admin extends per session per minInterval when
// one session's activity pings are spread over 1, 3 and 10 app instances, with the default
// per-process memory store against the shared Redis store; and what a claim costs (p50/p95).
// A real redis-server (free port, no persistence), fake-kratos and the instances (real
// processes behind one port: test/integration/extendCluster.ts, each with its own node-redis
// connection and the handler's default claimTimeout) on loopback, all started and stopped here.
//
// Bounded: BENCH_TRIALS (default 50) / 10 sessions per row, at least 2, PINGS pings at once
// for each, and BENCH_TRIALS × 20 claims per store for the latency, alone and in bursts. BENCH_INSTANCES=10 (a comma
// list) runs only those instance counts.
import { type ClaimStore, createMemoryClaimStore } from '@session-keeper/core/server'
import { createRedisClaimStore } from '@session-keeper/core/server/redis'
import { startFakeKratos } from '@session-keeper/fake-kratos'
import { createClient } from 'redis'
import { startRedisServer } from '../../packages/core/src/server/__tests__/redisServer.js'
import { startExtendCluster } from '../integration/extendCluster.js'
import { count, ms, percentile } from './benchKit.js'
import type { BenchResult } from './run.js'

const TRIALS = count('BENCH_TRIALS', 50)
const SESSIONS = Math.max(2, Math.round(TRIALS / 10))
const CLAIMS = TRIALS * 20
const PINGS = 300
const INSTANCES = (process.env.BENCH_INSTANCES ?? '1,3,10').split(',').map(Number)
const MIN_INTERVAL = 300_000
const API_KEY = 'ory_pat_benchSECRET'

/** A burst of claims at once, as one instance sees its share of a 300-ping storm. */
const BURST = 100

/** Claim times (ms) of `store`: `CLAIMS` one at a time, then in bursts of `BURST`; a new session id each. */
async function claimTimes(store: ClaimStore, label: string) {
  const timed = async (i: number) => {
    const t0 = performance.now()
    await store.claim(`bench-${label}-${i}`, MIN_INTERVAL)
    return performance.now() - t0
  }
  const alone: number[] = []
  for (let i = 0; i < CLAIMS; i++) alone.push(await timed(i))
  const bursts: number[] = []
  for (let start = CLAIMS; start < 2 * CLAIMS; start += BURST) {
    bursts.push(...(await Promise.all(Array.from({ length: BURST }, (_, i) => timed(start + i)))))
  }
  return { alone, bursts }
}

export async function run(): Promise<BenchResult[]> {
  const redis = await startRedisServer()
  const kratos = await startFakeKratos({ host: '127.0.0.1', apiKey: API_KEY, lifespan: '1h' })
  const client = await createClient({ url: redis.url })
    .on('error', () => {})
    .connect()
  try {
    const storms: (string | number)[][] = []
    for (const instances of INSTANCES) {
      for (const store of ['memory', 'redis'] as const) {
        const cluster = await startExtendCluster({
          workers: instances,
          kratosUrl: kratos.url,
          apiKey: API_KEY,
          redisUrl: redis.url,
          minInterval: MIN_INTERVAL,
          store,
        })
        try {
          if (store === 'redis') {
            await cluster.until(
              (events) => events.filter((e) => e.type === 'redis-ready').length >= instances,
            )
          }
          const perSession: number[] = []
          for (let s = 0; s < SESSIONS; s++) {
            const { session, cookie } = kratos.createSession('user@example.com')
            const answers = await cluster.storm(cookie, PINGS)
            if (answers.some((answer) => answer.status !== 200))
              throw new Error('a ping was not answered 200')
            perSession.push(kratos.stats().requests[`PATCH /admin/sessions/${session.id}/extend`] ?? 0)
          }
          const failures = cluster.events.filter((event) => event.type === 'claim-error')
          for (const failure of failures) console.error(JSON.stringify(failure))
          const fallbacks = failures.length
          storms.push([
            instances,
            store,
            SESSIONS,
            Math.min(...perSession),
            Math.max(...perSession),
            fallbacks,
          ])
        } finally {
          await cluster.stop()
        }
      }
    }
    const latency: (string | number)[][] = []
    const stores: [string, ClaimStore][] = [
      ['memory', createMemoryClaimStore()],
      ['redis', createRedisClaimStore({ client })],
    ]
    for (const [label, store] of stores) {
      const { alone, bursts } = await claimTimes(store, label)
      latency.push(
        [label, 'one at a time', alone.length, ms(percentile(alone, 50)), ms(percentile(alone, 95))],
        [label, `${BURST} at once`, bursts.length, ms(percentile(bursts, 50)), ms(percentile(bursts, 95))],
      )
    }
    return [
      {
        title: `Claim store: admin extends per session per minInterval (${PINGS} concurrent pings per session)`,
        columns: [
          'instances',
          'store',
          'sessions',
          'admin extends, min',
          'admin extends, max',
          'store failures',
        ],
        rows: storms,
        note:
          'Each instance is a process behind one port (node:cluster, connections round robin); fake-kratos ' +
          'counts `PATCH /admin/sessions/{id}/extend` per session. "store failures": reports to onError ' +
          '(Redis slower than claimTimeout, 1 s), each a fallback to per-process memory.',
      },
      {
        title: 'Claim store: time of one claim (ms)',
        columns: ['store', 'claims', 'count', 'p50', 'p95'],
        rows: latency,
        note: 'Around `claimStore.claim()` in this process; Redis: one EVAL round trip on loopback.',
      },
    ]
  } finally {
    client.destroy()
    await kratos.close()
    await redis.stop()
  }
}
