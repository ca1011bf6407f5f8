'use client'
import type { SessionKeeper, SessionState } from '@session-keeper/core'
import { useEffect, useState } from 'react'
import type { Recording } from './createRecorder.js'
import { diagnosticReport } from './diagnosticReport.js'
import { EventLog } from './EventLog.js'
import { StateSection } from './StateSection.js'
import { styles } from './styles.js'
import { TabsSection } from './TabsSection.js'
import { Timeline } from './Timeline.js'

/** Re-renders every second while shown, so the times left move. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(timer)
  }, [])
  return Math.max(now, Date.now())
}

export interface DevtoolsPanelProps {
  keeper: SessionKeeper
  state: SessionState
  recording: Recording
  onClose(): void
}

/** The open panel: state, tabs, deadlines, the log, and the two actions. */
export function DevtoolsPanel({ keeper, state, recording, onClose }: DevtoolsPanelProps) {
  const now = useNow()
  const [copied, setCopied] = useState<string | null>(null)

  async function copy() {
    const report = diagnosticReport(keeper, recording)
    try {
      await navigator.clipboard.writeText(report)
      setCopied('report copied')
    } catch {
      setCopied('the clipboard refused: select the report below')
      console.info(report)
    }
  }

  return (
    <div role="dialog" aria-label="Session keeper devtools" style={styles.panel}>
      <div style={styles.header}>
        <h2 style={styles.title}>session-keeper</h2>
        <button type="button" style={styles.action} onClick={() => void keeper.check({ force: true })}>
          Check now
        </button>
        <button type="button" style={styles.action} onClick={() => void copy()}>
          Copy report
        </button>
        <button type="button" style={styles.action} onClick={onClose} aria-label="Close devtools">
          ×
        </button>
      </div>
      {copied && (
        <p role="status" style={{ ...styles.section, margin: 0 }}>
          {copied}
        </p>
      )}
      <StateSection keeper={keeper} state={state} now={now} />
      <TabsSection state={state} recording={recording} now={now} />
      <Timeline state={state} recording={recording} now={now} />
      <EventLog recording={recording} />
    </div>
  )
}
