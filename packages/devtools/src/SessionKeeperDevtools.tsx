'use client'
import type { SessionKeeper } from '@session-keeper/core'
import { useSessionKeeper } from '@session-keeper/react'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { createRecorder } from './createRecorder.js'
import { DevtoolsPanel } from './DevtoolsPanel.js'
import { corner, type DevtoolsPosition, styles } from './styles.js'

/** Props of {@link SessionKeeperDevtools}. */
export interface SessionKeeperDevtoolsProps {
  /** The keeper to show. @default the one of the nearest `<SessionKeeperProvider>` */
  keeper?: SessionKeeper
  /** Open the panel on the first render. @default false */
  initialIsOpen?: boolean
  /** The corner of the toggle button and the panel. @default 'bottom-right' */
  position?: DevtoolsPosition
}

/**
 * The devtools for one tab's keeper: a toggle button in a corner opening a panel that shows,
 * live, the state, this tab's role and the tabs it knows, the next deadlines and an event log,
 * with "Check now" and "Copy report" (redacted). It records from its first render, open or not.
 * From `@session-keeper/devtools` it renders nothing in production builds; import it from
 * `@session-keeper/devtools/production` to have it there too.
 *
 * @example
 * <SessionKeeperProvider options={{ baseUrl: 'https://auth.example.com' }}>
 *   <App />
 *   <SessionKeeperDevtools />
 * </SessionKeeperProvider>
 */
export function SessionKeeperDevtools({ keeper, ...props }: SessionKeeperDevtoolsProps) {
  return keeper ? <Devtools keeper={keeper} {...props} /> : <FromProvider {...props} />
}

function FromProvider(props: Omit<SessionKeeperDevtoolsProps, 'keeper'>) {
  return <Devtools keeper={useSessionKeeper()} {...props} />
}

function Devtools({
  keeper,
  initialIsOpen = false,
  position = 'bottom-right',
}: SessionKeeperDevtoolsProps & { keeper: SessionKeeper }) {
  const [open, setOpen] = useState(initialIsOpen)
  const [recorder] = useState(() => createRecorder(keeper))
  useEffect(() => recorder.start(), [recorder])
  const recording = useSyncExternalStore(recorder.subscribe, recorder.getSnapshot, recorder.getSnapshot)
  const state = useSyncExternalStore(keeper.subscribe, keeper.getState, keeper.getInitialState)
  const role = state.isLeader ? 'leader' : 'follower'
  return (
    <div
      data-session-keeper-devtools=""
      style={{
        ...corner(position, 12),
        display: 'flex',
        flexDirection: position.startsWith('top') ? 'column' : 'column-reverse',
        alignItems: position.endsWith('left') ? 'flex-start' : 'flex-end',
        gap: 8,
      }}
    >
      <button type="button" style={styles.button} aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Close' : `Session: ${state.status} · ${role}`}
      </button>
      {open && (
        <DevtoolsPanel keeper={keeper} state={state} recording={recording} onClose={() => setOpen(false)} />
      )}
    </div>
  )
}
