/// <reference types="vite/client" />

interface ImportMetaEnv {
  /**
   * Kratos public URL or Ory Network project URL; a path such as `/.ory` is taken relative to the
   * app's origin (the Vite proxy `pnpm demo` sets up with `ORY_SDK_URL`). @default 'http://localhost:4433'
   */
  readonly VITE_KRATOS_URL?: string
  /** The keeper's `expiringThreshold` (an Ory duration such as `3m`). @default the keeper's 5m */
  readonly VITE_EXPIRING_THRESHOLD?: string
  /** The keeper's `pollInterval` (e.g. `30s`). @default the keeper's 1m */
  readonly VITE_POLL_INTERVAL?: string
  /**
   * Kratos's `session.earliest_possible_extend` (e.g. `5m`): turns on the keeper's `autoExtend`
   * with it. @default off (the expiry warning still tries to extend, then signs in again)
   */
  readonly VITE_EARLIEST_POSSIBLE_EXTEND?: string
  /** Set by the e2e harness only: puts the keeper on `window.sessionKeeper`. */
  readonly VITE_E2E?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
