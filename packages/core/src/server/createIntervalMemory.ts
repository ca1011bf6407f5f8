/**
 * Remembers when each session was last extended, to allow one extension per `interval`.
 * Entries are kept in time order (re-inserted on update), so pruning only looks at the oldest
 * ones and stops at the first that is still recent: the map never holds more than the sessions
 * extended within the last `interval`. Private to the package.
 *
 * @example
 * const memory = createIntervalMemory(300_000)
 * const wait = memory.reserve(session.id, Date.now()) // 0: go ahead; else ms until allowed
 */
export function createIntervalMemory(interval: number) {
  const last = new Map<string, number>()
  const prune = (now: number) => {
    for (const [id, at] of last) {
      if (at + interval > now) break
      last.delete(id)
    }
  }
  return {
    /** Reserves the slot of `id` at `now` and returns 0, or returns the ms left until it frees. */
    reserve(id: string, now: number): number {
      prune(now)
      const at = last.get(id)
      if (at !== undefined && at + interval > now) return at + interval - now
      last.delete(id)
      last.set(id, now)
      return 0
    },
    /** Frees the slot of `id`, after a failed extension, so the next request may try again. */
    release(id: string): void {
      last.delete(id)
    },
    /** How many sessions are remembered. */
    get size(): number {
      return last.size
    },
  }
}

/** The memory {@link createIntervalMemory} returns. */
export type IntervalMemory = ReturnType<typeof createIntervalMemory>
