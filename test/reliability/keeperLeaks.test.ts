// @vitest-environment jsdom
// Issue 14 part 6, the keeper alone: one keeper started, stopped and started again 1,000 times
// in cookie mode against a real fake-kratos (its session cookie in a jar), with tab sync over
// the native BroadcastChannel, auto-extension's activity listeners and the real clock, so every
// timer, listener and channel goes through the globals that leakProbe.ts counts.
import { createSessionKeeper, type SessionKeeper } from '@session-keeper/core'
import { type FakeKratos, startFakeKratos } from '@session-keeper/fake-kratos'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../../packages/core/src/__tests__/tabKit.js'
import { connectTabs, type TabHost, type TabLink } from '../../packages/core/src/connectTabs.js'
import { createCookieJarFetch } from '../integration/cookieJarFetch.js'
import { figure } from './figure.js'
import { heapAfterGc } from './heap.js'
import { installLeakProbe, type LeakProbe } from './leakProbe.js'

/** RELIABILITY_LEAK_CYCLES overrides the 1,000 start/stop/start cycles. */
const CYCLES = Number(process.env.RELIABILITY_LEAK_CYCLES ?? 1_000)
/** Every so many cycles the keeper is left running until it leads and has the session. */
const SETTLE_EVERY = 100
/** Cycles before the heap's baseline, so that every lazily built part exists already. */
const WARM_UP = 100
/**
 * The heap growth allowed over the cycles after the warm-up (RELIABILITY.md says why): a leak
 * of one tab link per cycle, measured by the last test, would pass it at least twice over.
 */
const HEAP_BOUND = 524_288
/** Closed tab links the teeth test keeps. */
const TEETH_LINKS = 200

let kratos: FakeKratos
let probe: LeakProbe

beforeAll(async () => {
  kratos = await startFakeKratos({ host: '127.0.0.1' })
  probe = installLeakProbe()
})
afterAll(async () => {
  probe?.uninstall()
  await kratos?.close()
})

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

function keeperFor(channel: string): SessionKeeper {
  const { fetch, jar } = createCookieJarFetch()
  jar.set(kratos.createSession('user@example.com').cookie)
  return createSessionKeeper({
    baseUrl: kratos.url,
    fetch,
    tabSync: { channel, method: 'native' },
    // No poll falls due during the test: what is live is what start() made.
    pollInterval: '1h',
    hiddenPollInterval: '1h',
    extend: { url: '/api/session/extend' },
    autoExtend: { earliestPossibleExtend: '10m' },
  })
}

describe('keeper start/stop/start (leaks)', () => {
  it(`should leave no timer, listener or channel behind after ${CYCLES} start/stop/start cycles`, async () => {
    const keeper = keeperFor(`session-keeper:leaks-${process.pid}`)
    const running: Array<ReturnType<LeakProbe['live']>> = []
    let baseline = 0
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      keeper.start()
      keeper.stop()
      keeper.start()
      if (cycle % SETTLE_EVERY === 1) {
        await until(keeper, (state) => state.isLeader && state.status === 'authenticated')
        running.push(probe.live())
      }
      await turn()
      keeper.stop()
      await turn()
      if (cycle === WARM_UP) {
        await probe.timersDone()
        baseline = await heapAfterGc()
      }
    }
    await probe.timersDone()
    const left = probe.live()
    const growth = (await heapAfterGc()) - baseline
    // Running, a keeper holds one start's listeners and one channel, however often it restarted.
    const [first] = running
    const beyond = running.filter((live) => live.listeners !== first?.listeners || live.channels !== 1)
    figure('keeper start/stop/start: timers left over', left.timers, { max: 0 })
    figure('keeper start/stop/start: listeners left over', left.listeners, { max: 0 })
    figure('keeper start/stop/start: channels left open', left.channels, { max: 0 })
    figure('keeper start/stop/start: running with more than one start of listeners/channels', beyond.length, {
      max: 0,
    })
    figure('keeper start/stop/start: heap growth after GC (KiB)', Math.round(growth / 1024), {
      max: HEAP_BOUND / 1024,
    })
    expect(first?.listeners).toBeGreaterThan(0)
    expect(probe.origins()).toEqual([])
  })

  it('should see the heap grow by far more than the bound when each cycle leaks its tab link (the bound has teeth)', async () => {
    const host: TabHost = {
      leader() {},
      state() {},
      hint() {},
      ask() {},
      visible: () => true,
      visibilityChanged() {},
      activity() {},
      log() {},
    }
    const kept: TabLink[] = []
    const before = await heapAfterGc()
    for (let i = 0; i < TEETH_LINKS; i++) {
      const link = connectTabs(`session-keeper:leaks-teeth-${process.pid}`, 'native', true, host)
      kept.push(link)
      await link.close()
    }
    await probe.timersDone()
    const perLink = ((await heapAfterGc()) - before) / kept.length
    figure('keeper start/stop/start: heap one leaked tab link holds (bytes)', Math.round(perLink), {
      min: Math.ceil((2 * HEAP_BOUND) / (CYCLES - WARM_UP)),
    })
    expect(kept).toHaveLength(TEETH_LINKS)
  })
})
