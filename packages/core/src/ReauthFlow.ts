import type { SessionState } from './types.js'

/**
 * A message of a Kratos flow or node (`uiText`), as `@ory/client-fetch` types it.
 *
 * @example
 * flow.messages.map((message) => message.text) // ['Please confirm this action by verifying that it is you.']
 */
export interface UiText {
  id: number
  text: string
  type: string
  context?: object
}

/**
 * A node's attributes: `node_type` says which kind. Input nodes carry `name`, `type`, `value`
 * and `required`; text, image, anchor and script nodes carry their own (`text`, `src`, …).
 * An `@ory/client-fetch` `UiNodeAttributes` is assignable to it.
 *
 * @example
 * if (node.attributes.node_type === 'input') console.log(node.attributes.name)
 */
export interface UiNodeAttributes {
  node_type: string
  name?: string
  type?: string
  // biome-ignore lint/suspicious/noExplicitAny: Kratos sends strings, numbers or booleans; `any` as in @ory/client-fetch
  value?: any
  required?: boolean
  disabled?: boolean
  autocomplete?: string
  label?: UiText
  id?: string
  text?: UiText
}

/**
 * A Kratos UI node (`uiNode`): one field, button, text or script of a flow's form. An
 * `@ory/client-fetch` `UiNode` is assignable to it, so Ory's own components can render it.
 *
 * @example
 * const password = flow.nodes.find((node) => node.attributes.name === 'password')
 */
export interface UiNode {
  type: string
  group: string
  attributes: UiNodeAttributes
  messages: UiText[]
  meta: { label?: UiText }
}

/**
 * What {@link ReauthFlow.submit} concluded:
 * - `done`: the requirement is met; `state` already holds the answer's session (no extra
 *   whoami) and every tab was told;
 * - `invalid`: Kratos refused the values (wrong password, bad code): `flow` carries its messages;
 * - `next`: Kratos asks for the second factor: `flow` is that step, fetched in the page;
 * - `redirect`: the method needs the browser (webauthn, passkey, social sign-in): fall back to
 *   `reauthenticate({ mode: 'popup' | 'redirect' })`; `url` is the login it would open.
 *
 * @example
 * const result = await flow.submit({ method: 'password', password })
 * if (result.status === 'invalid') showMessages(result.flow)
 */
export type ReauthFlowResult =
  | { status: 'done'; state: SessionState }
  | { status: 'invalid'; flow: ReauthFlow }
  | { status: 'next'; flow: ReauthFlow }
  | { status: 'redirect'; url: string }

/**
 * One step of an in-page re-authentication over Kratos's own login flow (browser flow in
 * cookie mode, API flow in token mode), made by `keeper.createReauthFlow()`.
 *
 * @example
 * const flow = await keeper.createReauthFlow({ maxAge: '5m' })
 * const result = await flow.submit({ method: 'password', password: form.password.value })
 */
export interface ReauthFlow {
  /** Kratos's flow id. */
  id: string
  /** When Kratos stops taking this flow; a submit after it gets a new flow transparently, once. */
  expiresAt: Date
  /** The form's nodes: hidden identifier and CSRF token, password, totp, lookup secret, code, … */
  nodes: UiNode[]
  /** Messages of the whole flow (for example "Please confirm this action by verifying that it is you."). */
  messages: UiText[]
  /**
   * Submits `values` (field name → value, with `method`, e.g. `{ method: 'password', password }`)
   * together with the flow's hidden fields. Values are never logged, stored or broadcast.
   * Rejects with `ReauthFlowError` (Kratos refused: CSRF, no session, …), `NetworkError`,
   * `InvalidResponseError`, or a `TypeError` when a submit of this flow is still in flight.
   */
  submit(values: Record<string, string>): Promise<ReauthFlowResult>
}
