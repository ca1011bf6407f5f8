// Public API of @session-keeper/fake-kratos. Explicit named exports only: anything not listed
// here is private to the package and may change without notice.
export type { FakeClock } from './clock.js'
export type { CreatedSession } from './control.js'
export type { Fault } from './faults.js'
export { DEFAULT_IDENTITIES, type FakeIdentity, type FakeKratosOptions } from './options.js'
export type { KratosSession } from './session.js'
export { type FakeKratos, startFakeKratos } from './startFakeKratos.js'
