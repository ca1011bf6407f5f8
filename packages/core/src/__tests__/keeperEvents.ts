// Every event a keeper fires, for the tests that record them: the unit harness (keeperKit.ts),
// the integration harness (test/integration/harness.ts) and the Chromium test page
// (test/e2e/core-page/main.ts). No test framework here, so a browser page can import it.
import type { SessionKeeperEvent } from '../SessionKeeper.js'

/** Every event a keeper fires. */
export const ALL_EVENTS = [
  'signed-in',
  'signed-out',
  'changed',
  'expiring',
  'expired',
  'aal2-required',
  'error',
] as const satisfies readonly SessionKeeperEvent[]
