import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FakeClock } from './clock.js'
import type { Config } from './config.js'
import type { Faults } from './faults.js'
import type { Stats } from './stats.js'
import type { Store } from './store.js'

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
