// The Redis claim store against a real redis-server started here (free port, no persistence).
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisClaimStore } from '../redis/index.js'
import { type RedisServer, startRedisServer } from './redisServer.js'

let redis: RedisServer
const connect = (url: string) => createClient({ url }).connect()
let client: Awaited<ReturnType<typeof connect>>
/** A second connection, subscribed to key expiry events. */
let events: Awaited<ReturnType<typeof connect>>

beforeAll(async () => {
  redis = await startRedisServer()
  client = await connect(redis.url)
  await client.configSet('notify-keyspace-events', 'Ex')
  events = await connect(redis.url)
})

afterAll(async () => {
  await events?.quit()
  await client?.quit()
  await redis?.stop()
})

let n = 0
/** A session id of its own per test, so the tests share nothing in Redis. */
const newId = () => `5f0c${String(++n).padStart(4, '0')}-0000-4000-8000-000000000000`

/** Subscribes to the expiry of `key`; the promise it gives resolves when Redis expires it. */
async function expiryOf(key: string, within = 5_000): Promise<{ done: Promise<void> }> {
  let seen!: () => void
  const expired = new Promise<void>((resolve) => {
    seen = resolve
  })
  await events.subscribe('__keyevent@0__:expired', (name) => {
    if (name === key) seen()
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  const bounded = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${key} did not expire within ${within} ms`)), within)
  })
  const done = Promise.race([expired, bounded]).finally(async () => {
    clearTimeout(timer)
    await events.unsubscribe('__keyevent@0__:expired')
  })
  return { done }
}

describe('createRedisClaimStore', () => {
  it('should give a claim to the first caller and the time left to the next', async () => {
    const store = createRedisClaimStore({ client })
    const id = newId()

    expect(await store.claim(id, 60_000)).toEqual({ claimed: true })
    const second = await store.claim(id, 60_000)

    expect(second.claimed).toBe(false)
    expect(!second.claimed && second.retryAfter).toBeGreaterThan(59_000)
    expect(!second.claimed && second.retryAfter).toBeLessThanOrEqual(60_000)
  })

  it('should let exactly one of many concurrent stores win a session', async () => {
    const stores = Array.from({ length: 50 }, () => createRedisClaimStore({ client }))
    const id = newId()

    const results = await Promise.all(stores.map((store) => store.claim(id, 60_000)))

    expect(results.filter((result) => result.claimed)).toHaveLength(1)
  })

  it('should write one namespaced key per session that expires after the ttl, holding no session data', async () => {
    const store = createRedisClaimStore({ client })
    const id = newId()

    await store.claim(id, 30_000)

    const key = `session-keeper:extend:${id}`
    expect(await client.keys(`*${id}*`)).toEqual([key])
    const ttl = await client.pTTL(key)
    expect(ttl).toBeGreaterThan(29_000)
    expect(ttl).toBeLessThanOrEqual(30_000)
    const value = (await client.get(key)) ?? ''
    expect(value).toMatch(/^[0-9a-f-]{36}$/)
    expect(value).not.toContain(id)
  })

  it('should use the prefix it is given', async () => {
    const store = createRedisClaimStore({ client, prefix: 'shop:extend:' })
    const id = newId()

    await store.claim(id, 30_000)

    expect(await client.keys(`*${id}*`)).toEqual([`shop:extend:${id}`])
  })

  it('should free the session once Redis expires the claim', async () => {
    const store = createRedisClaimStore({ client })
    const id = newId()
    const expired = await expiryOf(`session-keeper:extend:${id}`)

    expect(await store.claim(id, 200)).toEqual({ claimed: true })
    expect((await store.claim(id, 200)).claimed).toBe(false)
    await expired.done

    expect(await store.claim(id, 200)).toEqual({ claimed: true })
  })

  it('should release its own claim and leave another store’s alone', async () => {
    const mine = createRedisClaimStore({ client })
    const theirs = createRedisClaimStore({ client })
    const id = newId()
    await mine.claim(id, 60_000)

    await theirs.release(id)
    expect((await theirs.claim(id, 60_000)).claimed).toBe(false)

    await mine.release(id)
    expect(await theirs.claim(id, 60_000)).toEqual({ claimed: true })
  })

  it('should give a key left without expiry one, so a session is never locked out for good', async () => {
    const store = createRedisClaimStore({ client })
    const id = newId()
    await client.set(`session-keeper:extend:${id}`, 'written by something else')

    const result = await store.claim(id, 10_000)

    expect(result).toEqual({ claimed: false, retryAfter: 10_000 })
    expect(await client.pTTL(`session-keeper:extend:${id}`)).toBeGreaterThan(9_000)
  })

  it('should reject at once, sending nothing, while the client is not ready', async () => {
    const offline = createClient({ url: redis.url })
    const store = createRedisClaimStore({ client: offline })
    const id = newId()

    await expect(store.claim(id, 60_000)).rejects.toThrow(/not ready/)
    await expect(store.release(id)).rejects.toThrow(/not ready/)
    expect(await client.keys(`*${id}*`)).toEqual([])
  })

  it('should reject at once when the signal has already aborted', async () => {
    const store = createRedisClaimStore({ client })
    const id = newId()

    await expect(store.claim(id, 60_000, AbortSignal.abort(new Error('too late')))).rejects.toThrow(
      'too late',
    )
    expect(await client.keys(`*${id}*`)).toEqual([])
  })

  it.each([
    ['no options', undefined, /options must be an object/],
    ['no client', {}, /"client" must be a node-redis client/],
    ['an ioredis-style client', { client: { status: 'ready' } }, /"client" must be a node-redis client/],
  ])('should throw a TypeError naming the problem for %s', (_, options, message) => {
    expect(() => createRedisClaimStore(options as never)).toThrow(TypeError)
    expect(() => createRedisClaimStore(options as never)).toThrow(message)
  })

  it('should throw a TypeError naming an empty prefix', () => {
    expect(() => createRedisClaimStore({ client, prefix: '' })).toThrow(/"prefix" must be a non-empty string/)
  })
})
