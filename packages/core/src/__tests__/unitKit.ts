// Helpers for the module unit tests (`<module>.test.ts`): a synchronous hand clock that records
// the timers set on it, and sessions as the keeper holds them, with times on that clock.
import { parseSession } from '../parseSession.js'
import type { KeeperClock } from '../resolveOptions.js'
import type { Session, SessionState } from '../types.js'
import { kratosSession } from './fakeKratosFetch.js'

/** 2026-03-02T10:00:00Z, where every unit clock starts. */
export const T0 = Date.parse('2026-03-02T10:00:00.000Z')
export const SECOND = 1_000
export const MINUTE = 60_000

/** A {@link KeeperClock} moved by hand, synchronously; its pending timers can be read. */
export interface UnitClock extends KeeperClock {
  /** Pending timers, in the order they were set: their delays as asked, and when they fall due. */
  readonly timers: Array<{ id: number; delay: number; at: number }>
  /** Moves time forward by `ms`, running each timer that falls due at its own time. */
  advance(ms: number): void
}

export function unitClock(start = T0): UnitClock {
  let time = start
  let ids = 0
  const pending = new Map<number, { delay: number; at: number; callback: () => void }>()
  return {
    now: () => time,
    setTimeout(callback, delay) {
      pending.set(++ids, { delay, at: time + Math.max(0, delay), callback })
      return ids
    },
    clearTimeout(handle) {
      pending.delete(handle as number)
    },
    get timers() {
      return [...pending].map(([id, { delay, at }]) => ({ id, delay, at }))
    },
    advance(ms) {
      const end = time + ms
      for (;;) {
        const due = [...pending].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
        if (!due) break
        pending.delete(due[0])
        time = Math.max(time, due[1].at)
        due[1].callback()
      }
      time = end
    },
  }
}

/** A session as the keeper holds it (parsed), its times relative to `now`. */
export const keptSession = (options: Parameters<typeof kratosSession>[0] = {}): Session =>
  parseSession(kratosSession({ now: T0, ...options }))

/** A keeper's state as a leader holds it, signed in with {@link keptSession}, checked at {@link T0}. */
export const keptState = (partial: Partial<SessionState> = {}): SessionState => ({
  status: 'authenticated',
  session: keptSession(),
  phase: 'active',
  lastCheckedAt: T0,
  stale: false,
  error: null,
  isLeader: true,
  secondFactorUnavailable: false,
  clockSkew: 0,
  aal2RedirectTo: null,
  ...partial,
})

/** Ignores what it is given: a `log` for modules whose logging a test does not look at. */
export const quiet = (): void => {}
