import Link from 'next/link'

export default function Home() {
  return (
    <>
      <h1>Home</h1>
      <p>
        The server read this session from the request’s cookie (<code>getSessionFromHeaders</code>) and handed
        it to the keeper, so this page arrived signed in and the browser asked nothing on load. The leader tab
        polls from here on; every tab follows.
      </p>
      <ul>
        <li>
          <Link href="/account-security">Account security</Link>: needs a sign-in from the last 5 minutes (
          <code>{'<RequireFreshAuth maxAge="5m">'}</code>).
        </li>
        <li>
          <Link href="/billing">Billing</Link>: needs a second factor (<code>aal="aal2"</code>).
        </li>
      </ul>
    </>
  )
}
