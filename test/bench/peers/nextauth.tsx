// The peer benchmark's page on `next-auth/react` 4: `SessionProvider` with `refetchInterval` set
// to the poll period and the default `refetchOnWindowFocus`, talking to `/api/auth/*` on its own
// origin (the preview server proxies it to ../nextAuthEndpoint.ts). Sign-out without a redirect.
import { SessionProvider, signOut, useSession } from 'next-auth/react'
import { Countdown, mount, POLL_S, type Status, User } from './pageKit.js'

window.bench.signOut = async () => {
  await signOut({ redirect: false })
}

function NextAuthUser() {
  const { data, status } = useSession()
  return <User status={status as Status} email={data?.user?.email ?? ''} />
}

function NextAuthCountdown() {
  const { data } = useSession()
  return <Countdown expiresAt={data?.expires} />
}

mount(
  <SessionProvider refetchInterval={POLL_S}>
    <NextAuthUser />
    <NextAuthCountdown />
  </SessionProvider>,
)
