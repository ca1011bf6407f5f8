import { createExtendHandler } from '@session-keeper/core/server'
import { extendSettings } from '../../../settings'

// The backend half of `keeper.extend()`: Kratos's admin extend for the caller's own session
// (docs/05-server.md, "createExtendHandler"). Made on the first request, so it reads the environment of
// `next start`, not of `next build`. Only POST is exported: Next answers other methods with 405.
let handle: ((request: Request) => Promise<Response>) | undefined

export function POST(request: Request): Promise<Response> {
  handle ??= createExtendHandler(extendSettings())
  return handle(request)
}
