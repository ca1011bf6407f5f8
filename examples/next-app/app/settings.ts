// The app's settings, read from the environment on the server at request time (never inlined
// at build time), so one `next build` serves any Kratos: the e2e tests start fake-kratos on a
// free port and `next start` with its URL.

/** What the server passes to the browser's keeper; nothing secret. */
export interface BrowserSettings {
  /** Kratos's public URL as the browser reaches it. */
  kratosUrl: string
  /** The keeper's `expiringThreshold`, e.g. `3m`; unset: the keeper's 5m. */
  expiringThreshold?: string
  /** The keeper's `pollInterval`, e.g. `30s`; unset: the keeper's 1m. */
  pollInterval?: string
  /** Kratos's `session.earliest_possible_extend`: turns on `autoExtend` with it. */
  earliestPossibleExtend?: string
  /** Put the keeper on `window.sessionKeeper` (the e2e tests move the fake's clock, then check). */
  exposeKeeper: boolean
}

const env = (name: string) => process.env[name]?.trim() || undefined

/** Kratos's public URL (`KRATOS_URL`), the same for the server and the browser. */
export const kratosUrl = () => env('KRATOS_URL') ?? 'http://localhost:4433'

export function browserSettings(): BrowserSettings {
  return {
    kratosUrl: kratosUrl(),
    expiringThreshold: env('EXPIRING_THRESHOLD'),
    pollInterval: env('POLL_INTERVAL'),
    earliestPossibleExtend: env('EARLIEST_POSSIBLE_EXTEND'),
    exposeKeeper: env('SESSION_KEEPER_E2E') === '1',
  }
}

/** The extend route's settings: the admin API (`KRATOS_ADMIN_URL`, default the public URL) and `ORY_API_KEY`. */
export function extendSettings() {
  return {
    baseUrl: kratosUrl(),
    adminUrl: env('KRATOS_ADMIN_URL') ?? kratosUrl(),
    apiKey: env('ORY_API_KEY'),
    earliestPossibleExtend: env('EARLIEST_POSSIBLE_EXTEND'),
  }
}
