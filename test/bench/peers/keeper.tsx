// The peer benchmark's page on session-keeper: `SessionKeeperProvider` with the poll period,
// everything else default; the user from `useSession` selectors, a `useExpiryCountdown`.
import {
  SessionKeeperProvider,
  type SessionStatus,
  useExpiryCountdown,
  useSession,
  useSessionKeeper,
} from '@session-keeper/react'
import { useEffect } from 'react'
import { CountdownText, mount, POLL_S, type Status, User } from './pageKit.js'

declare const __KRATOS_URL__: string

const shown = (status: SessionStatus): Status =>
  status === 'loading' ? 'loading' : status === 'authenticated' ? 'authenticated' : 'unauthenticated'

function KeeperUser() {
  const status = useSession((state) => shown(state.status))
  const email = useSession((state) => String(state.session?.identity?.traits?.email ?? ''))
  return <User status={status} email={email} />
}

function KeeperCountdown() {
  const { remaining } = useExpiryCountdown()
  return <CountdownText remaining={remaining} />
}

function ExposeSignOut() {
  const keeper = useSessionKeeper()
  useEffect(() => {
    window.bench.signOut = () => keeper.logout()
  }, [keeper])
  return null
}

mount(
  <SessionKeeperProvider options={{ baseUrl: __KRATOS_URL__, pollInterval: `${POLL_S}s` }}>
    <ExposeSignOut />
    <KeeperUser />
    <KeeperCountdown />
  </SessionKeeperProvider>,
)
