import type { InspectRecord, Log } from './InspectRecord.js'

type Attempt = 'extend' | 'reauth' | 'reauth-flow'
/** The fields of an attempt's record. */
type Outcome<K extends Attempt> = Partial<Omit<Extract<InspectRecord, { type: K }>, 'type' | 'at'>>

/** The keeper's one emitter of {@link InspectRecord}s: its parts write, listeners read. */
export interface Inspector {
  log: Log
  /** Calls `listener` with every record from now on; returns the unsubscribe function. */
  inspect(listener: (record: InspectRecord) => void): () => void
  /**
   * Records how an attempt (`extend`, `reauth`, `reauth-flow`) settles, with `data`, and `error` or
   * what `pick` keeps of the result (the result itself unless given); returns the same promise.
   */
  attempt<K extends Attempt, T>(
    type: K,
    settled: Promise<T>,
    data?: Outcome<K>,
    pick?: (result: T) => Outcome<K>,
  ): Promise<T>
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
    // `extend` and `reauth` keep the result itself; `log` cannot tell which record `type` makes here.
    attempt(type, settled, data, pick = (result) => ({ result }) as never) {
      settled.then(
        (result) => log(type, { ...data, ...pick(result) } as never),
        (error) => log(type, { ...data, error } as never),
      )
      return settled
    },
  }
}
