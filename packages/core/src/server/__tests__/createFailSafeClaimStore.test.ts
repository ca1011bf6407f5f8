// The fail-safe wrapper over a real Redis claim store (redis-server started here): answers from
// per-process memory when Redis fails or hangs, one report per outage, and shared claims again
// once Redis answers.
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ClaimStore } from '../ClaimStore.js'
import { createFailSafeClaimStore } from '../createFailSafeClaimStore.js'
import { createRedisClaimStore } from '../redis/index.js'
import { type RedisServer, startRedisServer } from './redisServer.js'

let redis: RedisServer
const connect = (url: string) =>
  createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: 20 } })
    .on('error', () => {})
    .connect()
let client: Awaited<ReturnType<typeof connect>>

beforeAll(async () => {
  redis = await startRedisServer()
  client = await connect(redis.url)
})

afterAll(async () => {
  client?.destroy()
  await redis?.stop()
})

let n = 0
const newId = () => `fa11${String(++n).padStart(4, '0')}-0000-4000-8000-000000000000`
const MINUTE = 60_000

function wrap(store: ClaimStore, timeout = 200) {
  const onError = vi.fn()
  const claims = createFailSafeClaimStore(store, { timeout, onError, now: () => Date.now() })
  return { claims, onError }
}

/** A store that fails (or hangs, or answers garbage) while `mode` says so, else uses `inner`. */
function switchable(inner: ClaimStore) {
  const state = { mode: 'ok' as 'ok' | 'fail' | 'hang' | 'garbage', signals: [] as AbortSignal[] }
  const store: ClaimStore = {
    claim(id, ttl, signal) {
      if (signal) state.signals.push(signal)
      if (state.mode === 'fail') return Promise.reject(new Error('connection refused'))
      if (state.mode === 'hang') return new Promise(() => {})
      if (state.mode === 'garbage') return Promise.resolve(true as never)
      return inner.claim(id, ttl, signal)
    },
    release(id, signal) {
      if (state.mode === 'fail') return Promise.reject(new Error('connection refused'))
      return inner.release(id, signal)
    },
  }
  return { state, store }
}

describe('createFailSafeClaimStore', () => {
  it('should pass the shared store’s answers through while it works', async () => {
    const { claims, onError } = wrap(createRedisClaimStore({ client }))
    const id = newId()

    expect(await claims.claim(id, MINUTE)).toEqual({ claimed: true })
    expect((await claims.claim(id, MINUTE)).claimed).toBe(false)
    expect(onError).not.toHaveBeenCalled()
  })

  it('should answer from memory when the store fails, and report once per outage', async () => {
    const { state, store } = switchable(createRedisClaimStore({ client }))
    const { claims, onError } = wrap(store)
    state.mode = 'fail'
    const [a, b] = [newId(), newId()]

    expect(await claims.claim(a, MINUTE)).toEqual({ claimed: true })
    expect((await claims.claim(a, MINUTE)).claimed).toBe(false)
    expect(await claims.claim(b, MINUTE)).toEqual({ claimed: true })
    expect(onError).toHaveBeenCalledTimes(1)
    const [error] = onError.mock.calls[0] as [Error & { cause: Error }]
    expect(error.name).toBe('NetworkError')
    expect(error.message).toMatch(/claim store failed to claim \(connection refused\)/)
    expect(error.cause.message).toBe('connection refused')

    state.mode = 'ok'
    expect(await claims.claim(newId(), MINUTE)).toEqual({ claimed: true })
    state.mode = 'fail'
    await claims.claim(newId(), MINUTE)
    expect(onError).toHaveBeenCalledTimes(2)
  })

  it('should keep honouring a shared claim it saw once the store goes down', async () => {
    const { state, store } = switchable(createRedisClaimStore({ client }))
    const { claims } = wrap(store)
    const id = newId()
    await createRedisClaimStore({ client }).claim(id, MINUTE) // another instance extended it
    expect((await claims.claim(id, MINUTE)).claimed).toBe(false)

    state.mode = 'fail'

    const result = await claims.claim(id, MINUTE)
    expect(result.claimed).toBe(false)
    expect(!result.claimed && result.retryAfter).toBeGreaterThan(MINUTE - 5_000)
  })

  it('should stop waiting after the timeout, abort the store’s signal and answer from memory', async () => {
    const { state, store } = switchable(createRedisClaimStore({ client }))
    const { claims, onError } = wrap(store, 50)
    state.mode = 'hang'

    expect(await claims.claim(newId(), MINUTE)).toEqual({ claimed: true })
    expect(state.signals.at(-1)?.aborted).toBe(true)
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringMatching(/no answer within 50 ms/) }),
    )
  })

  it('should treat an answer that is not a ClaimResult as a failure', async () => {
    const { state, store } = switchable(createRedisClaimStore({ client }))
    const { claims, onError } = wrap(store)
    state.mode = 'garbage'

    expect(await claims.claim(newId(), MINUTE)).toEqual({ claimed: true })
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringMatching(/answered true, not a ClaimResult/) }),
    )
  })

  it('should survive an onError that throws', async () => {
    const { state, store } = switchable(createRedisClaimStore({ client }))
    state.mode = 'fail'
    const claims = createFailSafeClaimStore(store, {
      timeout: 100,
      onError: () => {
        throw new Error('logger down')
      },
      now: () => Date.now(),
    })

    expect(await claims.claim(newId(), MINUTE)).toEqual({ claimed: true })
  })

  it('should release in memory and in the store, and never reject when the store fails', async () => {
    const { state, store } = switchable(createRedisClaimStore({ client }))
    const { claims, onError } = wrap(store)
    const id = newId()
    await claims.claim(id, MINUTE)

    await claims.release(id)
    expect(await client.exists(`session-keeper:extend:${id}`)).toBe(0)

    await claims.claim(id, MINUTE)
    state.mode = 'fail'
    await expect(claims.release(id)).resolves.toBeUndefined()
    expect(onError).toHaveBeenCalledTimes(1)
    expect(await claims.claim(id, MINUTE)).toEqual({ claimed: true }) // memory was freed
  })

  it('should answer within the timeout while Redis hangs (SIGSTOP), and share claims again after', async () => {
    const { claims, onError } = wrap(createRedisClaimStore({ client }), 100)
    const id = newId()
    redis.pause()
    try {
      expect(await claims.claim(id, MINUTE)).toEqual({ claimed: true })
      expect((await claims.claim(id, MINUTE)).claimed).toBe(false)
      expect(onError).toHaveBeenCalledTimes(1)
    } finally {
      redis.resume()
    }
    const other = newId()

    expect(await claims.claim(other, MINUTE)).toEqual({ claimed: true })
    expect(await client.exists(`session-keeper:extend:${other}`)).toBe(1)
  })

  it('should answer from memory at once while Redis is down, and share claims again once it is back', async () => {
    const { claims, onError } = wrap(createRedisClaimStore({ client }), 5_000)
    // Wait until the client has seen the connection go, as it does within ms of a real crash.
    const lost = new Promise((resolve) => client.once('error', resolve))
    await redis.kill()
    await lost
    expect(client.isReady).toBe(false)
    const down = newId()

    expect(await claims.claim(down, MINUTE)).toEqual({ claimed: true })
    // Refused by the store itself, not by the 5 s timeout: a client that is not ready is not waited for.
    expect(onError).toHaveBeenCalledTimes(1)
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringMatching(/not ready/) }),
    )

    const ready = new Promise((resolve) => client.once('ready', resolve))
    await redis.start()
    await ready
    const back = newId()
    expect(await claims.claim(back, MINUTE)).toEqual({ claimed: true })
    expect(await client.exists(`session-keeper:extend:${back}`)).toBe(1)
  })
})
