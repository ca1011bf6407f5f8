import type { Context } from './context.js'
import { escapeHtml, formHtml, messagesHtml, page } from './html.js'
import { goEncodeQuery } from './query.js'
import { redirect, writeHtml } from './respond.js'

/** Path of the fake's login page (`selfservice.flows.login.ui_url`). */
export const LOGIN_UI_PATH = '/ui/login'

/** The login page of a flow: where browsers are sent to fill it in. */
export const loginUiUrl = (ctx: Context, flow: { id: string }) =>
  `${ctx.config.publicUrl}${LOGIN_UI_PATH}?flow=${flow.id}`

/**
 * `GET /ui/login?flow=<id>`: the login form of a flow, plain HTML. A missing or expired flow
 * starts a new one, as Kratos's reference UIs do.
 */
export function loginPage(ctx: Context) {
  const flow = ctx.store.loginFlows.get(ctx.url.searchParams.get('flow') ?? '')
  if (!flow || flow.expiresAt < ctx.clock.now()) {
    const query = flow?.returnTo ? `?${goEncodeQuery({ return_to: flow.returnTo.raw })}` : ''
    return redirect(ctx, `${ctx.config.publicUrl}/self-service/login/browser${query}`)
  }
  const secondFactor = flow.requestedAal === 'aal2'
  const inputs = flow.ui.nodes.filter((node) => node.attributes.type !== 'hidden')
  const identifier = flow.ui.nodes.find((node) => node.attributes.name === 'identifier')
  const intro =
    flow.refresh && identifier?.attributes.type === 'hidden'
      ? `<p>Signing in again as <strong>${escapeHtml(identifier.attributes.value ?? '')}</strong>.</p>`
      : ''
  const form = inputs.length
    ? formHtml(flow.ui, (node) => (node.group === 'totp' ? 'Verify' : 'Sign in'))
    : '<p role="alert">This account has no second factor set up, so this step cannot be completed.</p>'
  writeHtml(
    ctx,
    200,
    page(
      secondFactor ? 'Verify it is you' : 'Sign in',
      [messagesHtml(flow.ui.messages), intro, form].join('\n'),
    ),
  )
}
