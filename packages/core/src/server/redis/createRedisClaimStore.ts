import type { ClaimResult, ClaimStore } from '../ClaimStore.js'

// One round trip per claim, atomic in Redis: SET NX PX takes the claim; when it is taken, PTTL
// says how long it has left. A key without expiry (written by something else) gets one, so a
// session can never be locked out of extensions for good.
const CLAIM = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return tonumber(ARGV[2]) end
return math.max(left, 1)`
// Deletes the claim only while it is still this store's: one that expired and was taken by
// another instance stays.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`

/**
 * The part of a node-redis (`redis` 5 or 6) client the store uses. A client from `createClient()`
 * fits as it is, including one with modules, RESP3 or type mapping.
 *
 * @example
 * import { createClient } from 'redis'
 * const client: RedisClaimClient = await createClient({ url: process.env.REDIS_URL }).connect()
 */
export interface RedisClaimClient {
  /** node-redis: true while connected and ready; commands are not sent otherwise. */
  readonly isReady: boolean
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  /** node-redis 5+: the same client, with commands that leave its queue when `signal` aborts. */
  withAbortSignal?(signal: AbortSignal): Pick<RedisClaimClient, 'eval'>
}

/**
 * Options of {@link createRedisClaimStore}.
 *
 * @example
 * const options: RedisClaimStoreOptions = { client, prefix: 'shop:session-keeper:extend:' }
 */
export interface RedisClaimStoreOptions {
  /** A connected node-redis client, kept and closed by the app (the store never connects or quits it). */
  client: RedisClaimClient
  /** Put before every key, so the store's keys are easy to find and never collide. @default 'session-keeper:extend:' */
  prefix?: string
}

/**
 * A {@link ClaimStore} on Redis (or Valkey), shared by every instance of an app, so that a
 * session is extended once per `minInterval` whatever the number of instances. One key per
 * claimed session, `<prefix><session id>`, set with `SET key value NX PX ttl` (so it expires by
 * itself after `minInterval`); its value is a random id of this store, never a session token,
 * cookie or API key.
 *
 * The store does not wait for a client that is not ready (disconnected, reconnecting): it
 * rejects at once, and the handler answers from per-process memory and tells its `onError`,
 * while node-redis reconnects by its own `reconnectStrategy`. Shared claims resume as soon as
 * the client is ready again.
 *
 * @example
 * // app/api/session/extend/route.ts (Next.js App Router)
 * import { createClient } from 'redis'
 * import { createExtendHandler } from '@session-keeper/core/server'
 * import { createRedisClaimStore } from '@session-keeper/core/server/redis'
 *
 * const client = await createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true })
 *   .on('error', (error) => console.error('redis', error))
 *   .connect()
 *
 * export const POST = createExtendHandler({
 *   baseUrl: process.env.KRATOS_PUBLIC_URL!,
 *   adminUrl: process.env.KRATOS_ADMIN_URL!,
 *   apiKey: process.env.ORY_API_KEY,
 *   claimStore: createRedisClaimStore({ client }),
 * })
 */
/* @__NO_SIDE_EFFECTS__ */
export function createRedisClaimStore(options: RedisClaimStoreOptions): ClaimStore {
  const where = 'createRedisClaimStore'
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`[@session-keeper/core/server/redis] ${where}: options must be an object`)
  }
  const client = options.client
  if (typeof (client as RedisClaimClient | undefined)?.eval !== 'function') {
    throw new TypeError(
      `[@session-keeper/core/server/redis] ${where}: "client" must be a node-redis client (from createClient() of the redis package)`,
    )
  }
  const prefix = options.prefix ?? 'session-keeper:extend:'
  if (typeof prefix !== 'string' || !prefix) {
    throw new TypeError(`[@session-keeper/core/server/redis] ${where}: "prefix" must be a non-empty string`)
  }
  // Which store holds a claim, so release deletes only its own. Random, so it tells nothing.
  const owner = globalThis.crypto.randomUUID()

  const run = async (script: string, key: string, args: string[], signal?: AbortSignal) => {
    if (!client.isReady) throw new Error('the Redis client is not ready (disconnected or reconnecting)')
    signal?.throwIfAborted()
    const target = signal && client.withAbortSignal ? client.withAbortSignal(signal) : client
    return target.eval(script, { keys: [`${prefix}${key}`], arguments: args })
  }

  return {
    async claim(sessionId, ttl, signal): Promise<ClaimResult> {
      const reply = await run(CLAIM, sessionId, [owner, String(Math.max(1, Math.ceil(ttl)))], signal)
      if (typeof reply !== 'number') throw new Error(`Redis answered ${typeof reply} to the claim script`)
      return reply === 0 ? { claimed: true } : { claimed: false, retryAfter: reply }
    },
    async release(sessionId, signal) {
      await run(RELEASE, sessionId, [owner], signal)
    },
  }
}
