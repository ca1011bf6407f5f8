import type { ClaimStore } from './ClaimStore.js'
import { createFailSafeClaimStore } from './createFailSafeClaimStore.js'
import { createMemoryClaimStore } from './createMemoryClaimStore.js'
import type { ExtendHandlerOptions } from './ExtendHandlerOptions.js'
import { type AdminTarget, resolveAdminTarget } from './requestAdminSession.js'
import { validate } from './validate.js'

/**
 * The extend handler's options, checked once, with every default filled in.
 *
 * @example
 * const { minInterval, claims }: ResolvedExtendHandlerOptions = resolveExtendHandlerOptions(options)
 */
export interface ResolvedExtendHandlerOptions {
  admin: AdminTarget
  whoami: { baseUrl: string; fetch: typeof fetch; timeout: number }
  extendWindow: number | undefined
  minInterval: number
  allowedOrigins: Set<string>
  now: () => number
  /** Never rejects: a shared store is wrapped by {@link createFailSafeClaimStore}. */
  claims: ClaimStore
}

const DEFAULT_CLAIM_TIMEOUT = 1_000

const warn = (error: Error) => console.warn(error.message)

const isClaimStore = (value: unknown): value is ClaimStore =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ClaimStore).claim === 'function' &&
  typeof (value as ClaimStore).release === 'function'

/**
 * Checks the options of `createExtendHandler`, each bad one a `TypeError` that names it.
 * Private to the package.
 *
 * @example
 * const { admin, claims, minInterval } = resolveExtendHandlerOptions(options)
 */
export function resolveExtendHandlerOptions(options: ExtendHandlerOptions): ResolvedExtendHandlerOptions {
  const where = 'createExtendHandler'
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`[@session-keeper/core/server] ${where}: options must be an object`)
  }
  const admin = resolveAdminTarget(where, options)
  const baseUrl = validate.httpUrl(where, 'baseUrl', options.baseUrl)
  const now = validate.func(where, 'now', options.now, () => Date.now())
  const onError = validate.func(where, 'onError', options.onError, warn)
  const timeout = validate.duration(where, 'claimTimeout', options.claimTimeout, DEFAULT_CLAIM_TIMEOUT, true)
  let claims: ClaimStore
  if (options.claimStore === undefined) {
    claims = createMemoryClaimStore({ now })
  } else if (isClaimStore(options.claimStore)) {
    claims = createFailSafeClaimStore(options.claimStore, { timeout, onError, now })
  } else {
    throw new TypeError(
      `[@session-keeper/core/server] ${where}: "claimStore" must have claim() and release() (e.g. createRedisClaimStore({ client }))`,
    )
  }
  return {
    admin,
    whoami: { baseUrl, fetch: admin.fetch, timeout: admin.timeout },
    extendWindow:
      options.earliestPossibleExtend === undefined
        ? undefined
        : validate.duration(where, 'earliestPossibleExtend', options.earliestPossibleExtend, 0),
    minInterval: validate.duration(where, 'minInterval', options.minInterval, 300_000),
    allowedOrigins: validate.origins(where, 'allowedOrigins', options.allowedOrigins),
    now,
    claims,
  }
}
