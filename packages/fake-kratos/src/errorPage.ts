import type { Context } from './context.js'
import { escapeHtml, page } from './html.js'
import { writeHtml } from './respond.js'

/** `GET /ui/error?id=<id>`: shows a stored self-service error (the fake's `selfservice.flows.error.ui_url`). */
export function errorPage(ctx: Context) {
  const stored = ctx.store.errors.get(ctx.url.searchParams.get('id') ?? '')
  const error = stored?.error as { message?: string; reason?: string; id?: string } | undefined
  const body = error
    ? `<p role="alert">${escapeHtml(error.reason ?? error.message ?? 'Unknown error')}</p>
${error.id ? `<p>Error id: <code>${escapeHtml(error.id)}</code></p>` : ''}`
    : '<p role="alert">This error does not exist or was lost when the server restarted.</p>'
  writeHtml(
    ctx,
    stored ? 200 : 404,
    page(
      'Something went wrong',
      `${body}\n<p><a href="${ctx.config.publicUrl}/self-service/login/browser">Sign in</a></p>`,
    ),
  )
}
