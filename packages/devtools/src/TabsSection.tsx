'use client'
import type { SessionState } from '@session-keeper/core'
import type { Recording } from './createRecorder.js'
import { formatDuration } from './format.js'
import { styles } from './styles.js'

/** This tab's role and the other tabs it has heard from, with whether each is on screen. */
export function TabsSection({
  state,
  recording,
  now,
}: {
  state: SessionState
  recording: Recording
  now: number
}) {
  const role = state.isLeader ? 'leader' : 'follower'
  return (
    <section style={styles.section} aria-label="Tabs">
      <h3 style={styles.heading}>Tabs</h3>
      <p style={{ margin: '0 0 4px' }}>
        this tab: <strong data-role={role}>{role}</strong>
        {state.isLeader ? ' (polls the server)' : ' (takes the leader’s answers)'}
        {recording.malformed ? `, ${recording.malformed} malformed message(s) ignored` : ''}
      </p>
      {recording.tabs.length === 0 ? (
        <p style={{ margin: 0, ...styles.term }}>no other tab heard from yet</p>
      ) : (
        <ul style={styles.list} aria-label="Other tabs">
          {recording.tabs.map((tab) => (
            <li key={tab.id}>
              tab {tab.id}:{' '}
              <span style={tab.visible ? styles.good : styles.term}>
                {tab.visible === undefined ? 'visibility unknown' : tab.visible ? 'on screen' : 'off screen'}
              </span>
              , {tab.messages} message(s), last {formatDuration(now - tab.lastSeen)} ago
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
