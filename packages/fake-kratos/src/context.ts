import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FakeClock } from './clock.js'
import type { Faults } from './faults.js'
import type { ResolvedOptions } from './options.js'
import type { Stats } from './stats.js'
import type { Store } from './store.js'

/** Options once the server listens: the URLs are known. */
export interface Config extends ResolvedOptions {
  publicUrl: string
  defaultReturnUrl: string
}

/** Everything one running fake holds. */
export interface FakeState {
  config: Config
  clock: FakeClock
  store: Store
  faults: Faults
  stats: Stats
}

/** One request: the shared state plus the request, its parsed URL and the response. */
export interface Context extends FakeState {
  req: IncomingMessage
  res: ServerResponse
  url: URL
}
