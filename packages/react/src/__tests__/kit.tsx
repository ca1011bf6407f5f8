// Shared set-up of the React tests: a real keeper from core on a scripted Kratos `fetch`, fake
// timers, a stubbed `location` and a controllable page visibility.
import { createSessionKeeper, type SessionKeeper, type SessionKeeperOptions } from '@session-keeper/core'
import { act, cleanup } from '@testing-library/react'
import type { ReactNode } from 'react'
import { vi } from 'vitest'
import { fakeKratosFetch, flush, kratosSession } from '../../../core/src/__tests__/fakeKratosFetch.js'
import { SessionKeeperProvider } from '../SessionKeeperProvider.js'

export {
  aal2Required,
  fakeKratosFetch,
  kratosSession,
  UNAUTHORIZED,
} from '../../../core/src/__tests__/fakeKratosFetch.js'

export const BASE = 'https://auth.example'
export const SECOND = 1_000
export const MINUTE = 60 * SECOND

let visibility: DocumentVisibilityState = 'visible'
const keepers: SessionKeeper[] = []

/** beforeEach: fake time, a page at https://app.example/settings, visible. */
export function installPage(): void {
  vi.useFakeTimers({ now: new Date('2026-03-02T10:00:00.000Z') })
  vi.stubGlobal('location', {
    href: 'https://app.example/settings',
    origin: 'https://app.example',
    assign: vi.fn(),
  })
  visibility = 'visible'
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility)
}

/** afterEach: unmount, stop every keeper, back to real time. */
export async function removePage(): Promise<void> {
  cleanup()
  for (const keeper of keepers.splice(0)) keeper.stop()
  await vi.runOnlyPendingTimersAsync()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
}

/** A real keeper (one tab: no tab sync) answering from a scripted Kratos. */
export function testKeeper(options: Partial<SessionKeeperOptions> = {}) {
  const kratos = fakeKratosFetch()
  const keeper = createSessionKeeper({ baseUrl: BASE, fetch: kratos.fetch, tabSync: false, ...options })
  keepers.push(keeper)
  return { kratos, keeper }
}

/** A {@link testKeeper} signed in 10 minutes ago (at `aal`), already past its first check: stale for `maxAge: '5m'`. */
export async function staleKeeper(aal = 'aal1') {
  const tab = testKeeper({ pollInterval: '1h', hiddenPollInterval: '1h' })
  tab.kratos.reply(200, kratosSession({ authenticatedAgo: 10 * MINUTE, aal }))
  await tab.keeper.check()
  return tab
}

/** Moves time (and lets the keeper's answers apply) inside `act`. */
export async function advance(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms)
    await flush()
  })
}

/** Hides or shows the page, as a tab switch does. */
export function setHidden(hidden: boolean): void {
  visibility = hidden ? 'hidden' : 'visible'
  act(() => {
    document.dispatchEvent(new Event('visibilitychange'))
  })
}

export function withKeeper(keeper: SessionKeeper) {
  return ({ children }: { children?: ReactNode }) => (
    <SessionKeeperProvider keeper={keeper}>{children}</SessionKeeperProvider>
  )
}
