// The one timer alone (issue 12), on a hand clock that records the timers set on it.
import { describe, expect, it, vi } from 'vitest'
import { createScheduler, type Watcher } from '../createScheduler.js'
import { quiet, SECOND, T0, unitClock } from './unitKit.js'

function setup() {
  const clock = unitClock()
  const scheduler = createScheduler(clock, quiet)
  return { clock, scheduler }
}

/** A watcher due at `at` (local time) that records its runs in `runs` under `name`. */
function watcher(at: () => number, runs: string[] = [], name = 'w'): Watcher & { run: () => void } {
  return { due: at, run: vi.fn(() => void runs.push(name)) }
}

describe('createScheduler', () => {
  it('should keep one timer, at the earliest deadline', () => {
    const { clock, scheduler } = setup()
    scheduler.start()
    scheduler.watch(watcher(() => T0 + 5 * SECOND))
    scheduler.watch(watcher(() => T0 + 2 * SECOND))
    scheduler.watch(watcher(() => Infinity))
    expect(clock.timers).toEqual([expect.objectContaining({ delay: 2 * SECOND })])
  })

  it('should set no timer when nothing is due', () => {
    const { clock, scheduler } = setup()
    scheduler.start()
    scheduler.watch(watcher(() => Infinity))
    expect(clock.timers).toEqual([])
  })

  it('should clamp a far deadline to 2^31-1 ms and a past one to 0', () => {
    const { clock, scheduler } = setup()
    scheduler.start()
    const unwatch = scheduler.watch(watcher(() => T0 + 2 ** 33))
    expect(clock.timers.map((t) => t.delay)).toEqual([2 ** 31 - 1])
    unwatch()
    scheduler.watch(watcher(() => T0 - SECOND))
    expect(clock.timers.map((t) => t.delay)).toEqual([0])
  })

  it('should run the due watchers in the order they were added, and not the others', () => {
    const { clock, scheduler } = setup()
    const runs: string[] = []
    scheduler.watch(watcher(() => T0 + 2 * SECOND, runs, 'first'))
    scheduler.watch(watcher(() => T0 + 3 * SECOND, runs, 'later'))
    scheduler.watch(watcher(() => T0 + SECOND, runs, 'second'))
    clock.advance(2 * SECOND)
    scheduler.tick()
    expect(runs).toEqual(['first', 'second'])
  })

  it('should tick when its timer fires, and set the next one from the deadlines then', () => {
    const { clock, scheduler } = setup()
    let at = T0 + SECOND
    const w = watcher(() => at)
    w.run = vi.fn(() => {
      at += 10 * SECOND
    })
    scheduler.watch(w)
    scheduler.start()
    clock.advance(SECOND)
    expect(w.run).toHaveBeenCalledTimes(1)
    expect(clock.timers).toEqual([expect.objectContaining({ at: T0 + 11 * SECOND })])
  })

  it('should reschedule when a watcher is added or removed', () => {
    const { clock, scheduler } = setup()
    scheduler.start()
    scheduler.watch(watcher(() => T0 + 5 * SECOND))
    const unwatch = scheduler.watch(watcher(() => T0 + SECOND))
    expect(clock.timers.map((t) => t.at)).toEqual([T0 + SECOND])
    unwatch()
    expect(clock.timers.map((t) => t.at)).toEqual([T0 + 5 * SECOND])
  })

  it('should schedule nothing while stopped, and clear its timer on stop', () => {
    const { clock, scheduler } = setup()
    const w = watcher(() => T0 + SECOND)
    scheduler.watch(w)
    scheduler.schedule()
    expect(clock.timers).toEqual([])
    scheduler.start()
    expect(clock.timers).toHaveLength(1)
    scheduler.stop()
    expect(clock.timers).toEqual([])
    scheduler.tick()
    expect(w.run).not.toHaveBeenCalled()
    clock.advance(2 * SECOND)
    scheduler.tick() // by hand: it runs what is due, and still sets no timer
    expect(w.run).toHaveBeenCalledTimes(1)
    expect(clock.timers).toEqual([])
  })

  it('should log each delay it waits', () => {
    const clock = unitClock()
    const log = vi.fn()
    const scheduler = createScheduler(clock, log)
    scheduler.watch(watcher(() => T0 + SECOND))
    scheduler.start()
    expect(log).toHaveBeenCalledWith('timer', { in: SECOND, deadlines: [{ name: '', at: T0 + SECOND }] })
  })
})
