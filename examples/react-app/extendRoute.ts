import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { createExtendHandler } from '@session-keeper/core/server'
import type { Plugin, ResolvedConfig } from 'vite'

/** Where the app's keeper sends `extend()` (`extend: { url: EXTEND_PATH }` in `src/main.tsx`). */
export const EXTEND_PATH = '/api/session/extend'

/**
 * The demo's backend half of extending sessions: `POST /api/session/extend` on the Vite dev and
 * preview servers, a `createExtendHandler` route against Kratos's admin API, through the same
 * small Node adapter an Express app would use (docs/05-server.md, "Node's http server").
 *
 * Kratos is the app's `VITE_KRATOS_URL` (or `ORY_SDK_URL` when the dev server proxies a project);
 * its admin API is `KRATOS_ADMIN_URL`, by default the same URL (fake-kratos serves both on one
 * port; Ory Network serves `/admin` on the project URL with `ORY_API_KEY`). The window is the
 * app's `VITE_EARLIEST_POSSIBLE_EXTEND`, as in the Kratos config.
 */
export function extendRoute(): Plugin {
  let handle: (request: Request) => Promise<Response> = () => {
    throw new Error('extendRoute: the config is not resolved yet')
  }
  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (req.url?.split('?')[0] !== EXTEND_PATH) return next()
    handle(toRequest(req))
      .then((response) => send(response, res))
      .catch((error: Error) => {
        res.statusCode = 500
        res.end(error.message)
      })
  }
  return {
    name: 'session-keeper:extend-route',
    configResolved(config) {
      const kratos =
        process.env.ORY_SDK_URL?.trim() || env(config, 'VITE_KRATOS_URL') || 'http://localhost:4433'
      handle = createExtendHandler({
        baseUrl: kratos,
        adminUrl: process.env.KRATOS_ADMIN_URL?.trim() || kratos,
        apiKey: process.env.ORY_API_KEY?.trim() || undefined,
        earliestPossibleExtend: env(config, 'VITE_EARLIEST_POSSIBLE_EXTEND'),
      })
    },
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  }
}

/** An `import.meta.env` value as the app gets it: from `define` (the e2e harness), else the environment. */
function env(config: ResolvedConfig, name: string): string | undefined {
  const defined = config.define?.[`import.meta.env.${name}`]
  const value = typeof defined === 'string' ? (JSON.parse(defined) as unknown) : config.env[name]
  return typeof value === 'string' && value ? value : undefined
}

/** Node's request as a Fetch `Request` (headers as sent; the body streamed). */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    for (const item of [value ?? []].flat()) headers.append(name, item)
  }
  const method = req.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  return new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    // @ts-expect-error Node's fetch needs `duplex` for a streamed body; the DOM types lack it.
    duplex: hasBody ? 'half' : undefined,
  })
}

/** A Fetch `Response` written to Node's response. */
async function send(response: Response, res: ServerResponse) {
  res.statusCode = response.status
  response.headers.forEach((value, name) => {
    res.setHeader(name, value)
  })
  res.end(Buffer.from(await response.arrayBuffer()))
}
