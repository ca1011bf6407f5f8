// The asker alone: a real store and scheduler on the synchronous unit clock, a recording
// checker, and `send` recorded instead of a channel. Time moves only by hand.
import { describe, expect, it, vi } from 'vitest'
import { createAsker } from '../createAsker.js'
import type { Checker } from '../createChecker.js'
import { createScheduler } from '../createScheduler.js'
import { createSessionStore } from '../createSessionStore.js'
import { NetworkError } from '../SessionKeeperError.js'
import type { RemoteState } from '../TabMessage.js'
import { keptSession, MINUTE, quiet, SECOND, T0, unitClock } from './unitKit.js'

const TIMEOUT = 10 * SECOND

function setup() {
  const clock = unitClock()
  const store = createSessionStore({
    now: clock.now,
    expiringThreshold: 5 * MINUTE,
    initialSession: undefined,
  })
  const scheduler = createScheduler(clock, quiet)
  scheduler.start()
  const checker = {
    check: vi.fn(async () => store.getState()),
    // As the real checker does with a newer answer.
    hear: vi.fn((remote: RemoteState) => store.accept(remote)),
  }
  const send = vi.fn<(maxAge: number) => void>()
  const asker = createAsker({
    now: clock.now,
    store,
    scheduler,
    checker: () => checker as unknown as Checker,
    timeout: TIMEOUT,
    send,
  })
  return { clock, store, checker, send, asker }
}

const remote = (partial: Partial<RemoteState> = {}): RemoteState => ({
  at: T0,
  status: 'authenticated',
  session: keptSession(),
  aal2RedirectTo: null,
  clockSkew: 0,
  ...partial,
})

describe('createAsker', () => {
  it('should send the question, and ask the server when no tab answers within a second', () => {
    const { clock, checker, send, asker } = setup()
    asker.ask(MINUTE)
    expect(send).toHaveBeenCalledExactlyOnceWith(MINUTE)
    clock.advance(SECOND - 1)
    expect(checker.check).not.toHaveBeenCalled()
    clock.advance(1)
    expect(checker.check).toHaveBeenCalledExactlyOnceWith({ why: 'tabs' })
  })

  it("should not ask the server once another tab's state arrived", () => {
    const { clock, checker, asker } = setup()
    asker.ask(MINUTE)
    asker.hear(remote())
    clock.advance(TIMEOUT + 2 * SECOND)
    expect(checker.hear).toHaveBeenCalledOnce()
    expect(checker.check).not.toHaveBeenCalled()
  })

  it('should wait for a leader that is asking the server as long as a request may take, and no longer', () => {
    const { clock, checker, asker } = setup()
    asker.ask(MINUTE)
    asker.hear(remote({ at: 0, status: 'loading', session: null }))
    expect(checker.hear).not.toHaveBeenCalled()
    clock.advance(TIMEOUT + SECOND - 1)
    expect(checker.check).not.toHaveBeenCalled()
    clock.advance(1)
    expect(checker.check).toHaveBeenCalledExactlyOnceWith({ why: 'tabs' })
  })

  it("should take the leader's answer after its promise, and then not ask the server", () => {
    const { clock, store, checker, asker } = setup()
    asker.ask(MINUTE)
    asker.hear(remote({ at: 0, status: 'loading', session: null }))
    clock.advance(3 * SECOND)
    asker.hear(remote({ at: clock.now() }))
    clock.advance(TIMEOUT)
    expect(store.getState().status).toBe('authenticated')
    expect(checker.check).not.toHaveBeenCalled()
  })

  it("should count a leader's failure as its answer, though it never had a session", () => {
    const { clock, checker, asker } = setup()
    asker.ask(MINUTE)
    asker.hear(remote({ at: 0, status: 'loading', session: null, error: new NetworkError('down') }))
    clock.advance(TIMEOUT + 2 * SECOND)
    expect(checker.hear).toHaveBeenCalledOnce()
    expect(checker.check).not.toHaveBeenCalled()
  })

  it('should confirm a signed-out answer with the server when asked to', () => {
    const { checker, asker } = setup()
    asker.ask(MINUTE, true)
    asker.hear(remote({ status: 'unauthenticated', session: null }))
    expect(checker.check).toHaveBeenCalledExactlyOnceWith({ why: 'tabs' })
  })
})
