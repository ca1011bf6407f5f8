import { RequireFreshAuth } from '@session-keeper/react'

export default function AccountSecurity() {
  return (
    <>
      <h1>Account security</h1>
      <RequireFreshAuth maxAge="5m">
        <section aria-label="Change password" className="form">
          <h2>Change password</h2>
          <p className="hint">You signed in recently, so this is unlocked. It locks again by itself.</p>
        </section>
      </RequireFreshAuth>
    </>
  )
}
