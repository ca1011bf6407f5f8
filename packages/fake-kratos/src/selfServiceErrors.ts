import { randomUUID } from 'node:crypto'
import type { Context } from './context.js'
import { type KratosError, resourceNotFound } from './errors.js'
import { goTime } from './json.js'
import { isJsonRequest } from './request.js'
import { redirect, writeError, writeJson } from './respond.js'

/** Path of the fake's own error page (`selfservice.flows.error.ui_url`). */
export const ERROR_UI_PATH = '/ui/error'

/**
 * `errorx.Manager.Forward` (FACTS §2): JSON clients get the error; browsers are sent with 303 to
 * the error UI with the id of a stored copy.
 */
export function forwardError(ctx: Context, error: KratosError) {
  if (isJsonRequest(ctx.req)) return writeError(ctx, error)
  const id = randomUUID()
  const inner = error.body().error as Record<string, unknown>
  ctx.store.errors.set(id, { id, error: inner, createdAt: ctx.clock.now() })
  redirect(ctx, `${ctx.config.publicUrl}${ERROR_UI_PATH}?id=${id}`)
}

/** `GET /self-service/errors?id=` (spec `flowError`). */
export function getSelfServiceError(ctx: Context) {
  const stored = ctx.store.errors.get(ctx.url.searchParams.get('id') ?? '')
  if (!stored) return writeError(ctx, resourceNotFound())
  const at = goTime(stored.createdAt)
  writeJson(ctx, 200, { id: stored.id, error: stored.error, created_at: at, updated_at: at })
}
