import type { IncomingMessage, ServerResponse } from 'node:http'
import { extendSession, getSession } from './admin.js'
import type { Context, FakeState } from './context.js'
import { CONTROL_PREFIX, control } from './control.js'
import { corsHeaders, isPreflight, preflight } from './cors.js'
import { errorPage } from './errorPage.js'
import { internalServerError, KratosError } from './errors.js'
import { applyFault } from './faults.js'
import { createBrowserLoginFlow, createNativeLoginFlow, getLoginFlow, updateLoginFlow } from './login.js'
import { LOGIN_UI_PATH, loginPage } from './loginPage.js'
import { createBrowserLogoutFlow, performNativeLogout, updateLogoutFlow } from './logout.js'
import { writeError, writeJson, writeText } from './respond.js'
import { ERROR_UI_PATH, getSelfServiceError } from './selfServiceErrors.js'
import { createBrowserSettingsFlow, createNativeSettingsFlow, getSettingsFlow } from './settings.js'
import { SETTINGS_UI_PATH, settingsPage } from './settingsPage.js'
import { updateSettingsFlow } from './updateSettingsFlow.js'
import { whoami } from './whoami.js'

type Handler = (ctx: Context, ...params: string[]) => void | Promise<void>

// whoami answers every method Kratos registers for it, DELETE included (FACTS §1). CONNECT
// never reaches a Node request handler.
const WHOAMI_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'TRACE', 'DELETE']
const health: Handler = (ctx) => writeJson(ctx, 200, { status: 'ok' })

const ROUTES: [methods: string[], path: string | RegExp, handler: Handler][] = [
  [WHOAMI_METHODS, '/sessions/whoami', whoami],
  [['GET'], '/self-service/login/browser', createBrowserLoginFlow],
  [['GET'], '/self-service/login/api', createNativeLoginFlow],
  [['GET'], '/self-service/login/flows', getLoginFlow],
  [['POST'], '/self-service/login', updateLoginFlow],
  [['GET'], '/self-service/logout/browser', createBrowserLogoutFlow],
  [['GET'], '/self-service/logout', updateLogoutFlow],
  [['DELETE'], '/self-service/logout/api', performNativeLogout],
  [['GET'], '/self-service/settings/browser', createBrowserSettingsFlow],
  [['GET'], '/self-service/settings/api', createNativeSettingsFlow],
  [['GET'], '/self-service/settings/flows', getSettingsFlow],
  [['POST'], '/self-service/settings', updateSettingsFlow],
  [['GET'], '/self-service/errors', getSelfServiceError],
  [['PATCH'], /^\/admin\/sessions\/([^/]+)\/extend$/, extendSession],
  [['GET'], /^\/admin\/sessions\/([^/]+)$/, getSession],
  [['GET'], '/health/alive', health],
  [['GET'], '/health/ready', health],
  [['GET'], LOGIN_UI_PATH, loginPage],
  [['GET'], ERROR_UI_PATH, errorPage],
  [['GET'], SETTINGS_UI_PATH, settingsPage],
]

// oryx NoCacheNegroni, on every GET (FACTS §0).
const NO_CACHE = 'private, no-cache, no-store, must-revalidate'

async function route(ctx: Context): Promise<void> {
  const allowed: string[] = []
  for (const [methods, path, handler] of ROUTES) {
    const match =
      typeof path === 'string'
        ? ctx.url.pathname === path
          ? []
          : null
        : path.exec(ctx.url.pathname)?.slice(1)
    if (!match) continue
    if (methods.includes(ctx.req.method ?? '')) return handler(ctx, ...match)
    allowed.push(...methods)
  }
  // Go's router answers in plain text.
  if (!allowed.length) return writeText(ctx, 404, '404 page not found')
  ctx.res.setHeader('Allow', allowed.join(', '))
  writeText(ctx, 405, 'Method Not Allowed')
}

/**
 * The request handler: `Date` from the fake clock, the control API, then for Kratos paths request
 * counting, CORS, faults and routing. Thrown Kratos errors are written as herodot would.
 */
export function createHandler(state: FakeState, signal: AbortSignal) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A dummy origin: req.url is a path, and `//host` must not be read as a host.
    const url = new URL(`http://fake.invalid${req.url ?? '/'}`)
    const ctx: Context = { ...state, req, res, url }
    res.setHeader('Date', new Date(state.clock.now()).toUTCString())
    try {
      if (url.pathname.startsWith(CONTROL_PREFIX)) return await control(ctx)
      const key = `${req.method} ${url.pathname}`
      state.stats.count(key)
      const corsPreflight = state.config.cors !== null && isPreflight(req)
      if (!corsPreflight) corsHeaders(ctx)
      if (req.method === 'GET') res.setHeader('Cache-Control', NO_CACHE)
      const fault = state.faults.take(key)
      if (fault && (await applyFault(ctx, fault, signal))) return
      if (corsPreflight) return preflight(ctx)
      await route(ctx)
    } catch (error) {
      if (res.headersSent) return void res.destroy()
      writeError(ctx, error instanceof KratosError ? error : internalServerError({ reason: String(error) }))
    }
  }
}
