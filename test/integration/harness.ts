import {
  createSessionKeeper,
  type SessionKeeper,
  type SessionKeeperEvent,
  type SessionKeeperOptions,
} from '@session-keeper/core'
import { type FakeKratos, type FakeKratosOptions, startFakeKratos } from '@session-keeper/fake-kratos'
import { onTestFinished } from 'vitest'
import { ALL_EVENTS } from '../../packages/core/src/__tests__/keeperEvents.js'

/**
 * The frozen start time of every fake and keeper clock. A whole second, so the fake's `Date`
 * header (whole seconds) equals its clock and a keeper clock at the same time sees no skew.
 */
export const T0 = Date.UTC(2031, 0, 15, 9, 0, 0)

/** A fake Kratos on 127.0.0.1 whose clock stands at {@link T0} until moved; closed after the test. */
export async function startKratos(options: FakeKratosOptions = {}): Promise<FakeKratos> {
  const kratos = await startFakeKratos({ host: '127.0.0.1', now: () => T0, ...options })
  onTestFinished(() => kratos.close())
  return kratos
}

/** A keeper for `kratos`, stopped after the test. */
export function keeperFor(
  kratos: FakeKratos,
  options: Omit<SessionKeeperOptions, 'baseUrl'> = {},
): SessionKeeper {
  // One tab: tab sync has its own tests.
  const keeper = createSessionKeeper({ baseUrl: kratos.url, tabSync: false, ...options })
  onTestFinished(() => keeper.stop())
  return keeper
}

/** A keeper for `kratos` with the token of a new session for `email` (user@example.com), stopped after the test. */
export function tokenKeeperFor(
  kratos: FakeKratos,
  {
    email = 'user@example.com',
    ...options
  }: Omit<SessionKeeperOptions, 'baseUrl' | 'sessionToken'> & { email?: string } = {},
): SessionKeeper {
  return keeperFor(kratos, { sessionToken: kratos.createSession(email).sessionToken, ...options })
}

/** Counts every event the keeper fires, by name. */
export function countEvents(keeper: SessionKeeper): Record<SessionKeeperEvent, number> {
  const counts = Object.fromEntries(ALL_EVENTS.map((event) => [event, 0])) as Record<
    SessionKeeperEvent,
    number
  >
  for (const event of ALL_EVENTS) keeper.on(event, () => counts[event]++)
  return counts
}

/** Requests the fake has answered on one route, e.g. `GET /sessions/whoami`. */
export const requestsTo = (kratos: FakeKratos, route: string) => kratos.stats().requests[route] ?? 0
