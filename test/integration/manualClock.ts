import type { KeeperClock } from '@session-keeper/core'

/**
 * A keeper clock that moves only when the test says so, with timers that fire only from
 * `runDue()`. The keeper keeps one timer at a time (DESIGN §3), which `pendingDelays()` shows.
 */
export interface ManualClock extends KeeperClock {
  advance(ms: number): void
  /** Runs every timer that is due at the current time, in deadline order. */
  runDue(): void
  /** Delays (ms from now) of the pending timers, soonest first. */
  pendingDelays(): number[]
}

export function createManualClock(start: number): ManualClock {
  let now = start
  let nextId = 0
  const timers = new Map<number, { at: number; callback: () => void }>()
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = ++nextId
      timers.set(id, { at: now + ms, callback })
      return id
    },
    clearTimeout(handle) {
      timers.delete(handle as number)
    },
    advance(ms) {
      now += ms
    },
    runDue() {
      for (;;) {
        const due = [...timers].filter(([, timer]) => timer.at <= now).sort(([, a], [, b]) => a.at - b.at)[0]
        if (!due) return
        timers.delete(due[0])
        due[1].callback()
      }
    },
    pendingDelays: () => [...timers.values()].map((timer) => timer.at - now).sort((a, b) => a - b),
  }
}
