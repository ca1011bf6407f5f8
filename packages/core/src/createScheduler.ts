import type { Log } from './InspectRecord.js'
import type { KeeperClock } from './resolveOptions.js'

/** A deadline of its own on the keeper's one timer. */
export interface Watcher {
  /** What the deadline is, for the inspection stream (`'poll'`, `'expiry'`…). */
  name?: string
  /** Local time it is next due; Infinity when it needs no wake-up. */
  due(): number
  run(): void
}

/** The keeper's one timer: every deadline (poll, expiry, freshness, countdowns) is a {@link Watcher}. */
export interface Scheduler {
  /** Adds a deadline; returns its removal. */
  watch(watcher: Watcher): () => void
  /** Runs every watcher that is due, in the order they were added, then sets the timer. */
  tick(): void
  /** Sets the timer for the earliest deadline; deadlines are absolute, so this is always safe. */
  schedule(): void
  start(): void
  stop(): void
}

const MAX_DELAY = 2_147_483_647 // setTimeout fires at once beyond 2^31-1 ms

/**
 * Creates the one timer. Deadlines are re-read from their watchers on every `schedule()`, so a
 * timer that a sleeping device or a throttled tab fired late only makes the next tick late,
 * never wrong; and there is never more than one timer pending, whatever watches.
 *
 * @example
 * const scheduler = createScheduler(clock, inspector.log)
 * scheduler.watch({ due: () => pollAt, run: poll })
 * scheduler.start()
 */
/* @__NO_SIDE_EFFECTS__ */
export function createScheduler(clock: KeeperClock, log: Log): Scheduler {
  const watchers = new Set<Watcher>()
  let running = false
  let timer: unknown

  function tick() {
    for (const watcher of watchers) if (clock.now() >= watcher.due()) watcher.run()
    schedule()
  }

  function schedule() {
    clock.clearTimeout(timer)
    if (!running) return
    const deadlines = [...watchers].map((watcher) => ({ name: watcher.name ?? '', at: watcher.due() }))
    const next = Math.min(...deadlines.map((deadline) => deadline.at))
    if (next < Infinity) {
      const delay = Math.min(Math.max(next - clock.now(), 0), MAX_DELAY)
      log('timer', { in: delay, deadlines })
      timer = clock.setTimeout(tick, delay)
    }
  }

  return {
    watch(watcher) {
      watchers.add(watcher)
      schedule()
      return () => {
        watchers.delete(watcher)
        schedule()
      }
    },
    tick,
    schedule,
    start() {
      running = true
      schedule()
    },
    stop() {
      running = false
      clock.clearTimeout(timer)
    },
  }
}
