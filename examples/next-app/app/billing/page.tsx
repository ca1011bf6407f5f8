import { RequireFreshAuth } from '@session-keeper/react'

export default function Billing() {
  return (
    <>
      <h1>Billing</h1>
      {/* A password-only sign-in steps up through Kratos's `aal=aal2` login and comes back here. */}
      <RequireFreshAuth aal="aal2">
        <section aria-label="Billing details" className="form">
          <p>
            Plan: <strong>Team</strong>, renews on the 1st. Card ending in 4242.
          </p>
          <p className="hint">You see this because you signed in with your second factor.</p>
        </section>
      </RequireFreshAuth>
    </>
  )
}
