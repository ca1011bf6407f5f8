import type { IncomingMessage } from 'node:http'
import type { Context } from './context.js'

// Kratos's `serve.public.cors` defaults (FACTS §7).
const ALLOWED_METHODS = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE']
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Max-Age',
  'X-Session-Token',
  'X-XSRF-TOKEN',
  'X-CSRF-TOKEN',
]

/** A CORS preflight as rs/cors sees it: OPTIONS with `Access-Control-Request-Method`. */
export const isPreflight = (req: IncomingMessage) =>
  req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined

const allowedOrigin = (ctx: Context): string | undefined => {
  const origin = ctx.req.headers.origin
  const origins = ctx.config.cors?.origins ?? []
  return origin && (origins.includes('*') || origins.includes(origin)) ? origin : undefined
}

// rs/cors always allows OPTIONS.
const isMethodAllowed = (method: string) =>
  method === 'OPTIONS' || ALLOWED_METHODS.includes(method.toUpperCase())

/**
 * rs/cors `handleActualRequest`: `Vary: Origin`, then for an allowed origin the origin reflected,
 * credentials allowed and only the configured headers exposed. Nothing at all when CORS is off.
 */
export function corsHeaders(ctx: Context): void {
  const { cors } = ctx.config
  if (!cors) return
  ctx.res.appendHeader('Vary', 'Origin')
  const origin = allowedOrigin(ctx)
  if (!origin || !isMethodAllowed(ctx.req.method ?? '')) return
  ctx.res.setHeader('Access-Control-Allow-Origin', origin)
  if (cors.exposedHeaders.length)
    ctx.res.setHeader('Access-Control-Expose-Headers', cors.exposedHeaders.join(', '))
  ctx.res.setHeader('Access-Control-Allow-Credentials', 'true')
}

/**
 * rs/cors `handlePreflight`: always 204; the allow headers only when origin, method and every
 * requested header are allowed. Without CORS the request goes to the router like any OPTIONS.
 */
export function preflight(ctx: Context): void {
  const { res, req } = ctx
  for (const vary of ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'])
    res.appendHeader('Vary', vary)
  const origin = allowedOrigin(ctx)
  const method = String(req.headers['access-control-request-method'])
  const requested = String(req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean)
  const allowedHeaders = [...ALLOWED_HEADERS, 'Origin'].map((h) => h.toLowerCase())
  if (origin && isMethodAllowed(method) && requested.every((h) => allowedHeaders.includes(h.toLowerCase()))) {
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Access-Control-Allow-Methods', method.toUpperCase())
    if (requested.length) res.setHeader('Access-Control-Allow-Headers', requested.join(', '))
    res.setHeader('Access-Control-Allow-Credentials', 'true')
  }
  res.statusCode = 204
  res.end()
}
