import type { InspectRecord, SessionKeeper } from '@session-keeper/core'

type TimerRecord = Extract<InspectRecord, { type: 'timer' }>

/** Another tab this tab has heard from, as its messages told. */
export interface KnownTab {
  id: string
  /** From its last visibility message; `undefined` until it sends one. */
  visible: boolean | undefined
  /** Keeper time of its last message. */
  lastSeen: number
  /** How many messages it sent. */
  messages: number
}

/** What the devtools keep of the inspection stream, for the panel and the report. */
export interface Recording {
  /** The last records, oldest first; timer records are kept apart (`timer`). */
  records: readonly InspectRecord[]
  /** The other tabs this one knows, by id. */
  tabs: readonly KnownTab[]
  /** The timer as last set: when it fires and every deadline. */
  timer: TimerRecord | undefined
  /** Malformed messages ignored so far. */
  malformed: number
}

/** A store of one keeper's recording: `start` listens, `subscribe`/`getSnapshot` for React. */
export interface Recorder {
  start(): () => void
  subscribe(listener: () => void): () => void
  getSnapshot(): Recording
}

const EMPTY: Recording = { records: [], tabs: [], timer: undefined, malformed: 0 }

/**
 * Records `keeper.inspect` from `start()` on: the last `limit` records, the tabs heard from
 * and the timer's deadlines. Each record makes a new snapshot, so React sees every change.
 *
 * @example
 * const recorder = createRecorder(keeper)
 * const stop = recorder.start()
 * recorder.getSnapshot().tabs // [{ id: 'k3j2…', visible: true, lastSeen, messages: 2 }]
 */
export function createRecorder(keeper: SessionKeeper, limit = 200): Recorder {
  let snapshot = EMPTY
  const listeners = new Set<() => void>()

  function take(record: InspectRecord) {
    const { records, tabs, timer, malformed } = snapshot
    if (record.type === 'timer') snapshot = { ...snapshot, timer: record }
    else {
      const kept = [...records.slice(records.length >= limit ? 1 : 0), record]
      snapshot = { records: kept, tabs, timer, malformed }
      if (record.type === 'malformed') snapshot.malformed = record.count
      if (record.type === 'message') {
        const known = tabs.find((tab) => tab.id === record.from)
        const tab: KnownTab = {
          id: record.from,
          visible: record.visible ?? known?.visible,
          lastSeen: record.at,
          messages: (known?.messages ?? 0) + 1,
        }
        snapshot.tabs = known ? tabs.map((other) => (other === known ? tab : other)) : [...tabs, tab]
      }
    }
    for (const listener of listeners) listener()
  }

  return {
    start: () => keeper.inspect(take),
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    getSnapshot: () => snapshot,
  }
}
