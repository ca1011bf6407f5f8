import type { ServerResponse } from 'node:http'
import type { Context } from './context.js'
import type { KratosError } from './errors.js'
import { escapeHtml } from './html.js'
import { goJson } from './json.js'

function end(res: ServerResponse, status: number, contentType: string | null, body: string): void {
  res.statusCode = status
  if (contentType) res.setHeader('Content-Type', contentType)
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.end(body)
}

/** A success answer: herodot's `WriteCode` sets the charset (FACTS §0). */
export function writeJson(ctx: Context, status: number, body: unknown): void {
  end(ctx.res, status, 'application/json; charset=utf-8', goJson(body))
}

/** An error answer: `application/json` without charset and an `Ory-Error-Id` header, empty without an id. */
export function writeError(ctx: Context, error: KratosError): void {
  ctx.res.setHeader('Ory-Error-Id', error.error.id ?? '')
  const requestId = ctx.req.headers['x-request-id']
  end(
    ctx.res,
    error.error.code,
    'application/json',
    goJson(error.body(typeof requestId === 'string' ? requestId : undefined)),
  )
}

/** Go's `http.Redirect` with 303: a tiny HTML body for GET and HEAD only. */
export function redirect(ctx: Context, location: string): void {
  ctx.res.setHeader('Location', location)
  const withBody = ctx.req.method === 'GET' || ctx.req.method === 'HEAD'
  end(
    ctx.res,
    303,
    withBody ? 'text/html; charset=utf-8' : null,
    withBody ? `<a href="${escapeHtml(location)}">See Other</a>.\n\n` : '',
  )
}

export function writeHtml(ctx: Context, status: number, html: string): void {
  end(ctx.res, status, 'text/html; charset=utf-8', html)
}

/** Go's `http.Error`-style plain text (router 404/405). */
export function writeText(ctx: Context, status: number, text: string): void {
  ctx.res.setHeader('X-Content-Type-Options', 'nosniff')
  end(ctx.res, status, 'text/plain; charset=utf-8', `${text}\n`)
}

export function noContent(ctx: Context): void {
  ctx.res.statusCode = 204
  ctx.res.end()
}
