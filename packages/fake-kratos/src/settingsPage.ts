import type { Context } from './context.js'
import { formHtml, messagesHtml, page } from './html.js'
import { redirect, writeHtml } from './respond.js'

/** Path of the fake's settings page (`selfservice.flows.settings.ui_url`). */
export const SETTINGS_UI_PATH = '/ui/settings'

/** `GET /ui/settings?flow=<id>`: the new-password form of a settings flow, plain HTML. */
export function settingsPage(ctx: Context) {
  const flow = ctx.store.settingsFlows.get(ctx.url.searchParams.get('flow') ?? '')
  if (!flow || flow.expiresAt < ctx.clock.now()) {
    return redirect(ctx, `${ctx.config.publicUrl}/self-service/settings/browser`)
  }
  writeHtml(
    ctx,
    200,
    page('Account settings', `${messagesHtml(flow.ui.messages)}\n${formHtml(flow.ui, () => 'Save')}`),
  )
}
