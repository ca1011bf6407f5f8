'use client'
import type { SessionState } from '@session-keeper/core'
import type { Recording } from './createRecorder.js'
import { formatDuration } from './format.js'
import { styles } from './styles.js'

/** What each deadline is, in words. */
const LABELS: Record<string, string> = {
  poll: 'next poll',
  expiry: 'expiry',
  freshness: 'freshness lapses',
  countdown: 'countdown tick',
  popup: 'login popup check',
  ask: 'no answer from the tabs: ask the server',
  leader: 'leader silent: ask again',
}

function label(name: string, state: SessionState) {
  if (name === 'poll' && state.error) return 'retry (backoff or Retry-After)'
  if (name === 'expiry') return state.phase === 'active' ? 'expiry warning (expiring)' : 'expiry (expired)'
  return LABELS[name] ?? (name || 'deadline')
}

/** The timer's next deadlines, soonest first, as bars on one scale. */
export function Timeline({
  state,
  recording,
  now,
}: {
  state: SessionState
  recording: Recording
  now: number
}) {
  const deadlines = (recording.timer?.deadlines ?? [])
    .filter(({ at }) => Number.isFinite(at))
    .sort((a, b) => a.at - b.at)
  // On a log scale: a poll a minute away and an expiry a day away both stay readable.
  const scale = (at: number) => Math.log1p(Math.max(0, at - now))
  const last = Math.max(1, ...deadlines.map(({ at }) => scale(at)))
  return (
    <section style={styles.section} aria-label="Deadlines">
      <h3 style={styles.heading}>Next deadlines</h3>
      {deadlines.length === 0 ? (
        <p style={{ margin: 0, ...styles.term }}>nothing scheduled (stopped, or no session)</p>
      ) : (
        <ol style={styles.list}>
          {deadlines.map(({ name, at }) => (
            <li key={`${name}@${at}`} style={{ display: 'grid', gridTemplateColumns: '1fr 10em', gap: 8 }}>
              <span>
                {label(name, state)}
                <div style={{ ...styles.bar, width: `${(scale(at) / last) * 100}%` }} />
              </span>
              <span style={{ textAlign: 'right' }}>
                {at <= now ? 'due' : `in ${formatDuration(at - now)}`}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
