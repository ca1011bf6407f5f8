// Public API of @session-keeper/core/server/redis: the extend handler's claim store on Redis.
// Its own entry point so that nobody who does not use it pays for it. It imports nothing from
// the `redis` package at run time (the app passes its own client); the peer dependency only
// states which versions fit.

export type { ClaimResult, ClaimStore } from '../ClaimStore.js'
export {
  createRedisClaimStore,
  type RedisClaimClient,
  type RedisClaimStoreOptions,
} from './createRedisClaimStore.js'
