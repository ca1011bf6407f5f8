// The peer benchmark's page on Ory's own `SessionProvider` (`@ory/elements-react/client`, over
// `@ory/client-fetch`) against fake-kratos, as its docs show it: no options but `baseUrl`. It has
// no polling and no focus or tab handling; `refetch()` is what an app calls to check again. An
// answer that is not a session (a 401 after sign-out) arrives as `error`, shown as signed out.
import { Configuration, FrontendApi } from '@ory/client-fetch'
import { SessionProvider, useSession } from '@ory/elements-react/client'
import { useEffect } from 'react'
import { Countdown, mount, type Status, User } from './pageKit.js'

declare const __KRATOS_URL__: string

// Configured as elements-react's own `frontendClient` is (JSON answers, cookies sent).
const frontend = new FrontendApi(
  new Configuration({
    basePath: __KRATOS_URL__,
    credentials: 'include',
    headers: { Accept: 'application/json' },
  }),
)

function OryUser() {
  const { session, error } = useSession()
  const status: Status = session ? 'authenticated' : error ? 'unauthenticated' : 'loading'
  return <User status={status} email={String(session?.identity?.traits?.email ?? '')} />
}

function OryCountdown() {
  const { session } = useSession()
  return <Countdown expiresAt={session?.expires_at} />
}

/** Sign-out as an Ory SPA does it: a browser logout flow, its token sent back, then `refetch()`. */
function ExposeVerbs() {
  const { refetch } = useSession()
  useEffect(() => {
    window.bench.refetch = refetch
    window.bench.signOut = async () => {
      const flow = await frontend.createBrowserLogoutFlow()
      await frontend.updateLogoutFlow({ token: flow.logout_token })
      await refetch()
    }
  }, [refetch])
  return null
}

mount(
  <SessionProvider baseUrl={__KRATOS_URL__}>
    <ExposeVerbs />
    <OryUser />
    <OryCountdown />
  </SessionProvider>,
)
