'use client'
import type { Recording } from './createRecorder.js'
import { describeRecord } from './describeRecord.js'
import { formatTime } from './format.js'
import { styles } from './styles.js'

// A stable key per record: the log slides, so an index would move with it.
const keys = new WeakMap<object, number>()
let last = 0
function keyOf(record: object): number {
  const known = keys.get(record)
  if (known !== undefined) return known
  keys.set(record, ++last)
  return last
}

/** The log of what the keeper decided and heard, newest first; a record with an error shows as bad. */
export function EventLog({ recording }: { recording: Recording }) {
  const lines = recording.records
    .map((record) => ({ record, line: describeRecord(record) }))
    .filter(({ line }) => line !== null)
    .reverse()
  return (
    <section style={styles.section} aria-label="Event log">
      <h3 style={styles.heading}>Event log</h3>
      {lines.length === 0 ? (
        <p style={{ margin: 0, ...styles.term }}>nothing yet</p>
      ) : (
        <ol style={styles.log}>
          {lines.map(({ record, line }) => (
            <li
              key={keyOf(record)}
              data-type={record.type}
              style={'error' in record && record.error ? styles.bad : undefined}
            >
              <span style={styles.time}>{formatTime(record.at)}</span>
              {line}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
