// What the three peer pages (keeper.tsx, ory.tsx, nextauth.tsx) share, so that the benchmark
// (../peers.bench.ts) reads each the same way through `window.bench`: the status the consumer
// component shows, when it changed, how often it rendered, and the page's sign-out.
import { type ReactNode, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'

/** What a page shows; each page maps its library's state onto it. */
export type Status = 'loading' | 'authenticated' | 'unauthenticated'

export interface BenchPage {
  /** Renders of the consumer component ({@link User}) since the page loaded. */
  renders: number
  /** Every status {@link User} showed, with the wall-clock time its effect ran. */
  changes: { status: Status; at: number }[]
  /** Signs out the way an app on this library does, resolving when the call is done. */
  signOut(): Promise<void>
  /** The library's own "check again" where it has one the app calls (Ory's `refetch`). */
  refetch?: () => Promise<void>
}

declare global {
  interface Window {
    bench: BenchPage
  }
}

window.bench = {
  renders: 0,
  changes: [],
  signOut: () => Promise.reject(new Error('the page has not mounted yet')),
}

/** The poll period in seconds, from `?poll=` (default 1). */
export const POLL_S = Number(new URLSearchParams(location.search).get('poll') ?? 1)

/** An instant comparable across tabs and with Node (as in ../../e2e/core-page/main.ts). */
const wallClock = () => performance.timeOrigin + performance.now()

/** The consumer the benchmark counts: the signed-in user, re-rendered only when the library makes it. */
export function User({ status, email }: { status: Status; email: string }) {
  window.bench.renders++
  useEffect(() => {
    window.bench.changes.push({ status, at: wallClock() })
  }, [status])
  return (
    <dl>
      <dt>status</dt>
      <dd data-testid="status">{status}</dd>
      <dt>user</dt>
      <dd data-testid="user">{email}</dd>
    </dl>
  )
}

/** Seconds left, shown; `remaining` in ms or null. */
export function CountdownText({ remaining }: { remaining: number | null }) {
  return <p data-testid="countdown">{remaining === null ? '' : `${Math.ceil(remaining / 1000)} s left`}</p>
}

/** The countdown an app writes itself on a library without one: a one-second interval. */
export function Countdown({ expiresAt }: { expiresAt: Date | string | null | undefined }) {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(id)
  }, [])
  const remaining = expiresAt ? Math.max(0, new Date(expiresAt).getTime() - now) : null
  return <CountdownText remaining={remaining} />
}

/** Mounts `app` in `#root`, without StrictMode: a production app renders once per update. */
export function mount(app: ReactNode) {
  const root = document.getElementById('root')
  if (!root) throw new Error('no #root')
  createRoot(root).render(app)
}
