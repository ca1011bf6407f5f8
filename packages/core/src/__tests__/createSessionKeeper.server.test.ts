// Server rendering (node environment, no `window`): creating a keeper touches no browser global,
// and start() does nothing (issue 3 "Server rendering", STYLE principle 7).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSessionKeeper } from '../createSessionKeeper.js'
import { parseSession } from '../parseSession.js'
import { fakeKratosFetch, kratosSession } from './fakeKratosFetch.js'

const BROWSER_GLOBALS = ['window', 'document', 'location', 'sessionStorage', 'localStorage', 'navigator']
const BASE = 'https://auth.example'

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-02T10:00:00.000Z') })
})

afterEach(async () => {
  await vi.runOnlyPendingTimersAsync()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

/** Replaces browser globals with getters that record every read, and restores them after `run`. */
function recordBrowserGlobalReads(run: () => void): string[] {
  const reads: string[] = []
  const saved = BROWSER_GLOBALS.map(
    (name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const,
  )
  for (const name of BROWSER_GLOBALS) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        reads.push(name)
        return undefined
      },
    })
  }
  try {
    run()
  } finally {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor)
      else delete (globalThis as Record<string, unknown>)[name]
    }
  }
  return reads
}

describe('createSessionKeeper on the server', () => {
  it('should touch no browser global, make no request and set no timer when created', () => {
    const kratos = fakeKratosFetch()

    const reads = recordBrowserGlobalReads(() => {
      createSessionKeeper({ baseUrl: BASE, fetch: kratos.fetch, debug: true })
      createSessionKeeper({
        baseUrl: BASE,
        fetch: kratos.fetch,
        initialSession: parseSession(kratosSession()),
      })
      createSessionKeeper({ baseUrl: BASE, fetch: kratos.fetch, initialSession: null })
    })

    expect(reads).toEqual([])
    expect(kratos.count).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('should give the server and the client the same initial state', () => {
    const session = parseSession(kratosSession())
    const keeper = createSessionKeeper({ baseUrl: BASE, initialSession: session })

    expect(keeper.getInitialState()).toBe(keeper.getState())
    expect(keeper.getInitialState()).toMatchObject({ status: 'authenticated', session, isLeader: false })
  })

  it('should do nothing on start() without a window and say so in debug output', async () => {
    expect(typeof window).toBe('undefined')
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const kratos = fakeKratosFetch()
    const keeper = createSessionKeeper({ baseUrl: BASE, fetch: kratos.fetch, debug: true })
    const before = keeper.getState()

    const stop = keeper.start()
    await vi.advanceTimersByTimeAsync(10 * 60_000)

    expect(stop).toBe(keeper.stop)
    expect(kratos.count).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    expect(keeper.getState()).toBe(before)
    expect(debug).toHaveBeenCalledWith(
      '[session-keeper]',
      'no-window',
      expect.objectContaining({ type: 'no-window' }),
    )
    expect(() => stop()).not.toThrow()
  })
})
