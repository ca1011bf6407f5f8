import { getSessionFromHeaders, type Session } from '@session-keeper/core/server'
import type { Metadata } from 'next'
import { headers } from 'next/headers'
import type { ReactNode } from 'react'
import { AppShell } from './AppShell'
import { SessionProvider } from './SessionProvider'
import { browserSettings, kratosUrl } from './settings'
// One stylesheet for both demos: the Vite demo's (the workspace root is Turbopack's root).
import '../../react-app/src/styles.css'

export const metadata: Metadata = { title: 'session-keeper Next.js demo' }

/**
 * The session of this request, read on the server from its cookie. `undefined` when Kratos
 * cannot say (a 403 such as `session_aal2_required`, Kratos down): the browser's keeper then
 * asks whoami itself and shows what it learns.
 */
async function readSession(): Promise<Session | null | undefined> {
  try {
    return await getSessionFromHeaders(await headers(), { baseUrl: kratosUrl(), timeout: '5s' })
  } catch {
    return undefined
  }
}

/** Server component: the first paint already shows the signed-in user; the keeper needs no whoami to start. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const initialSession = await readSession()
  return (
    <html lang="en">
      <body>
        <SessionProvider initialSession={initialSession} settings={browserSettings()}>
          <AppShell>{children}</AppShell>
        </SessionProvider>
      </body>
    </html>
  )
}
