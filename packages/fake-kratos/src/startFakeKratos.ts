import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createClock, type FakeClock } from './clock.js'
import type { Config } from './config.js'
import type { FakeState } from './context.js'
import { type CreatedSession, createSessionFor, revokeSessionById } from './control.js'
import { createHandler } from './createHandler.js'
import { createFaults, type Fault } from './faults.js'
import { type FakeKratosOptions, resolveOptions } from './options.js'
import { createStats } from './stats.js'
import { createStore } from './store.js'

/**
 * A running fake Kratos. Every method mirrors a route of the `/__fake/` control API.
 *
 * @example
 * const kratos = await startFakeKratos()
 * kratos.addFault({ route: 'GET /sessions/whoami', status: 503, times: 1 })
 * kratos.stats().requests['GET /sessions/whoami'] // 0, then 1 after a request
 * await kratos.close()
 */
export interface FakeKratos {
  /** Public URL, no trailing slash (`serve.public.base_url`). */
  readonly url: string
  readonly port: number
  /** The fake's clock: every timestamp, expiry and `Date` header follows it. */
  readonly clock: FakeClock
  /** Signs an identity in (by email) without a login flow. Throws a TypeError for an unknown one. */
  createSession(email: string, options?: { aal?: 'aal1' | 'aal2' }): CreatedSession
  /** Revokes a session; `false` when the id is unknown. */
  revokeSession(id: string): boolean
  /** Request counts by `METHOD /path`, control API excluded. */
  stats(): { requests: Record<string, number> }
  resetStats(): void
  /** Injects a fault; throws a TypeError naming a bad field. */
  addFault(fault: Fault): void
  clearFaults(): void
  /** Stops listening and closes every socket. Safe to call twice. */
  close(): Promise<void>
}

// IPv6 hosts need brackets in URLs; wildcard addresses are reached through localhost.
const urlHost = (host: string) =>
  host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host

/**
 * Starts a fake Kratos and resolves once it listens. Bad options throw a TypeError naming the
 * option before anything listens.
 *
 * @example
 * const kratos = await startFakeKratos({ lifespan: '1h', privilegedSessionMaxAge: '5m' })
 * const { cookie } = kratos.createSession('user@example.com')
 * const res = await fetch(`${kratos.url}/sessions/whoami`, { headers: { cookie } })
 * kratos.clock.advance(3_600_000) // the session is now expired
 * await kratos.close()
 */
export async function startFakeKratos(options?: FakeKratosOptions): Promise<FakeKratos> {
  const resolved = resolveOptions(options)
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new Error(`fake-kratos: cannot listen on ${resolved.host}:${resolved.port}: ${error.message}`)),
    )
    server.listen(resolved.port, resolved.host, resolve)
  })
  const { port } = server.address() as AddressInfo
  const publicUrl = resolved.publicUrl ?? `http://${urlHost(resolved.host)}:${port}`
  const config: Config = {
    ...resolved,
    publicUrl,
    defaultReturnUrl: resolved.defaultReturnUrl ?? `${publicUrl}/`,
  }
  const clock = createClock(resolved.now)
  const state: FakeState = {
    config,
    clock,
    store: createStore(resolved.identities, clock.now()),
    faults: createFaults(),
    stats: createStats(),
  }
  const shutdown = new AbortController()
  server.on('request', createHandler(state, shutdown.signal))

  let closing: Promise<void> | undefined
  return {
    url: publicUrl,
    port,
    clock,
    createSession: (email, { aal = 'aal1' } = {}) => createSessionFor(state, email, aal),
    revokeSession: (id) => revokeSessionById(state, id),
    stats: () => state.stats.snapshot(),
    resetStats: () => state.stats.reset(),
    addFault: (fault) => void state.faults.add(fault),
    clearFaults: () => state.faults.clear(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        shutdown.abort()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
}
