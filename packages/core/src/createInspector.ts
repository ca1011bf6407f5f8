import type { InspectRecord, Log } from './InspectRecord.js'

/** The keeper's one emitter of {@link InspectRecord}s: its parts write, listeners read. */
export interface Inspector {
  log: Log
  /** Calls `listener` with every record from now on; returns the unsubscribe function. */
  inspect(listener: (record: InspectRecord) => void): () => void
  /** Records how an attempt (`extend`, `reauth`) settles; returns the same promise. */
  attempt<T>(type: 'extend' | 'reauth', settled: Promise<T>): Promise<T>
}

/**
 * Creates the emitter. With nobody listening a record costs one call over an empty set;
 * `debug` adds a listener writing each record to `console.debug`. Listeners must not throw.
 *
 * @example
 * const inspector = createInspector(() => Date.now(), true)
 * inspector.log('malformed', { count: 1 }) // [session-keeper] malformed { type, at, count }
 */
/* @__NO_SIDE_EFFECTS__ */
export function createInspector(now: () => number, debug?: boolean): Inspector {
  const listeners = new Set<(record: InspectRecord) => void>()
  const inspect = (listener: (record: InspectRecord) => void) => {
    listeners.add(listener)
    return () => void listeners.delete(listener)
  }
  const log: Log = (type, data) => {
    for (const listener of listeners) listener({ type, at: now(), ...data } as InspectRecord)
  }
  if (debug) inspect((record) => console.debug('[session-keeper]', record.type, record))
  return {
    log,
    inspect,
    attempt(type, settled) {
      settled.then(
        (result) => log(type, { result }),
        (error) => log(type, { error }),
      )
      return settled
    },
  }
}
