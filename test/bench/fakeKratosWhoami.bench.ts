// How fast fake-kratos answers whoami, so later benchmarks (tabs, polls) know what the server
// itself costs. Bounded: a fixed number of requests to 127.0.0.1, then it stops.
import { startFakeKratos } from '@session-keeper/fake-kratos'
import type { BenchResult } from './run.js'

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN

async function measure(url: string, cookie: string, total: number, concurrency: number) {
  const latencies: number[] = []
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t0 = performance.now()
        const res = await fetch(`${url}/sessions/whoami`, { headers: { cookie, accept: 'application/json' } })
        await res.arrayBuffer()
        if (res.status !== 200) throw new Error(`whoami answered ${res.status}`)
        latencies.push(performance.now() - t0)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    rps: Math.round(latencies.length / seconds),
    p50: percentile(latencies, 50).toFixed(2),
    p95: percentile(latencies, 95).toFixed(2),
    p99: percentile(latencies, 99).toFixed(2),
  }
}

export async function run(): Promise<BenchResult[]> {
  const kratos = await startFakeKratos({ host: '127.0.0.1' })
  try {
    const { cookie } = kratos.createSession('user@example.com')
    await measure(kratos.url, cookie, 500, 4) // warm-up
    const rows: (string | number)[][] = []
    for (const concurrency of [1, 10, 50]) {
      const total = 5_000
      const r = await measure(kratos.url, cookie, total, concurrency)
      rows.push([concurrency, total, r.rps, r.p50, r.p95, r.p99])
    }
    return [
      {
        title: 'fake-kratos: GET /sessions/whoami (cookie, 200)',
        columns: ['concurrency', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms'],
        rows,
        note: 'Client: Node fetch (undici, keep-alive) in the same process as the server.',
      },
    ]
  } finally {
    await kratos.close()
  }
}
