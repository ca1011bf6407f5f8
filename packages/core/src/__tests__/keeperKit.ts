// The harness shared by the createSessionKeeper.*.test.ts files: a page stub (location and
// visibility), keepers made on a scripted server and stopped after each test, and — for the one-tab
// tests — fake timers frozen at 2026-03-02T10:00:00Z. Hooks are registered by the `use…` functions,
// so call them once at the top level of a test file.
import { afterEach, beforeEach, type Mock, vi } from 'vitest'
import { createSessionKeeper } from '../createSessionKeeper.js'
import type { SessionKeeperOptions } from '../resolveOptions.js'
import type { SessionKeeper, SessionKeeperEvent } from '../SessionKeeper.js'
import { type FakeKratos, fakeKratosFetch } from './fakeKratosFetch.js'
import { ALL_EVENTS } from './keeperEvents.js'
import { closeTabRig, type TabRig, tabRig } from './tabKit.js'

export { ALL_EVENTS }

export const BASE = 'https://auth.example'
export const APP = 'https://app.example'

export function setVisibility(state: DocumentVisibilityState) {
  vi.spyOn(document, 'visibilityState', 'get').mockReturnValue(state)
}

/** Stubs `location` at `href` (its origin taken from it), with `assign` recording redirects. */
export function stubLocation(href: string, assign: (url: string) => void = vi.fn()) {
  vi.stubGlobal('location', { href, origin: new URL(href).origin, assign })
}

/** Names, in firing order, the `events` the keeper fires from now on. */
export function recordEvents(
  keeper: SessionKeeper,
  events: readonly SessionKeeperEvent[] = ALL_EVENTS,
): SessionKeeperEvent[] {
  const fired: SessionKeeperEvent[] = []
  for (const event of events) keeper.on(event, () => fired.push(event))
  return fired
}

/** The page each test starts on. */
export interface PageOptions {
  /** `location.href`; `${APP}/` unless given. */
  href?: string
  /** Stub `document.visibilityState` as `'visible'`. */
  visible?: boolean
  /** Clear `sessionStorage` before and after each test (the re-authentication loop guard lives there). */
  sessionStorage?: boolean
}

/** A keeper and the scripted server it talks to. */
export interface Tab {
  keeper: SessionKeeper
  kratos: FakeKratos
}

export interface KeeperHarness {
  /** The `location.assign` stub: one mock for the whole file, reset before each test. */
  readonly assign: Mock<(url: string) => void>
  /** A keeper on its own scripted server, with the given defaults and `options`, stopped after the test. */
  setup(options?: Partial<SessionKeeperOptions>): Tab
}

/**
 * Registers the page stub and the keeper teardown around each test. `prepare` sets up what the
 * test file adds before each test (fake timers, a channel); `teardown` gets the function that
 * stops the test's keepers and calls it when its own order wants.
 */
export function useKeeperHarness({
  page = {},
  defaults = () => ({}),
  prepare = () => {},
  teardown = async (stopKeepers) => stopKeepers(),
}: {
  page?: PageOptions
  defaults?: () => Partial<SessionKeeperOptions>
  prepare?: () => void
  teardown?: (stopKeepers: () => void) => Promise<void>
}): KeeperHarness {
  const keepers: SessionKeeper[] = []
  const assign = vi.fn<(url: string) => void>()

  beforeEach(() => {
    prepare()
    assign.mockReset()
    stubLocation(page.href ?? `${APP}/`, assign)
    if (page.visible) setVisibility('visible')
    if (page.sessionStorage) sessionStorage.clear()
  })

  afterEach(async () => {
    await teardown(() => {
      for (const keeper of keepers.splice(0)) keeper.stop()
    })
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
    if (page.sessionStorage) sessionStorage.clear()
  })

  return {
    assign,
    setup(options = {}) {
      const kratos = fakeKratosFetch()
      const keeper = createSessionKeeper({ baseUrl: BASE, fetch: kratos.fetch, ...defaults(), ...options })
      keepers.push(keeper)
      return { kratos, keeper }
    },
  }
}

/**
 * One tab (`tabSync: false`) on fake timers frozen at 2026-03-02T10:00:00Z; pending timers run
 * out after each test, once its keepers have stopped.
 */
export function useFakeTimerKeepers(
  page: PageOptions = {},
  defaults: Partial<SessionKeeperOptions> = {},
): KeeperHarness {
  return useKeeperHarness({
    page,
    defaults: () => ({ tabSync: false, ...defaults }),
    prepare: () => void vi.useFakeTimers({ now: new Date('2026-03-02T10:00:00.000Z') }),
    async teardown(stopKeepers) {
      stopKeepers()
      await vi.runOnlyPendingTimersAsync()
      vi.useRealTimers()
    },
  })
}

/**
 * Keepers in "tabs" of one process on a fresh in-memory channel per test, on the hand clock of
 * that test (`clock` option). `onEach` receives the channel's name, its spy and the clock before
 * each test; `cleanups` run after the keepers stop, before the spy closes. Every channel opened
 * under the name must be closed by then, or the test times out.
 */
export function useTabKeepers({
  onEach,
  page = {},
  defaults = () => ({}),
}: {
  onEach: (rig: TabRig) => void
  page?: PageOptions
  defaults?: (rig: TabRig) => Partial<SessionKeeperOptions>
}): KeeperHarness & { cleanups: Array<() => Promise<unknown>> } {
  let rig: TabRig
  const cleanups: Array<() => Promise<unknown>> = []
  const harness = useKeeperHarness({
    page,
    defaults: () => ({ clock: rig.clock, ...defaults(rig) }),
    prepare() {
      rig = tabRig()
      onEach(rig)
    },
    teardown: (stopKeepers) => closeTabRig(rig, stopKeepers, cleanups),
  })
  return { ...harness, cleanups }
}
