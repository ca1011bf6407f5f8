// Login flow bodies as Kratos sends them (FACTS §2), for the tests of createReauthFlow and of
// the React form over it.
import type { UiNode } from '../ReauthFlow.js'

const BASE = 'https://auth.example'
const MINUTE = 60_000

/** An input node. */
export const input = (group: string, name: string, type: string, value?: string, label?: string): UiNode => ({
  type: 'input',
  group,
  attributes: { name, type, ...(value !== undefined && { value }), node_type: 'input', disabled: false },
  messages: [],
  meta: label ? { label: { id: 1070001, text: label, type: 'info' } } : {},
})

/** A login flow body as Kratos sends it; `nodes` default to a password refresh of user@example.org. */
export function loginFlow({
  id = 'flow-1',
  api = false,
  nodes = [
    ...(api ? [] : [input('default', 'csrf_token', 'hidden', 'csrf-1')]),
    input('default', 'identifier', 'hidden', 'user@example.org'),
    input('password', 'password', 'password', undefined, 'Password'),
    input('password', 'method', 'submit', 'password', 'Sign in'),
  ],
  messages = [{ id: 1010003, text: 'Please confirm this action by verifying that it is you.', type: 'info' }],
}: {
  id?: string
  api?: boolean
  nodes?: UiNode[]
  messages?: unknown[]
} = {}) {
  return {
    id,
    type: api ? 'api' : 'browser',
    expires_at: new Date(Date.now() + 10 * MINUTE).toISOString(),
    issued_at: new Date().toISOString(),
    refresh: true,
    ui: { action: `${BASE}/self-service/login?flow=${id}`, method: 'POST', nodes, messages },
  }
}

/** A password refresh whose CSRF token is `csrf` (the tests that look for it in what is written). */
export const passwordFlow = (id: string, csrf: string) =>
  loginFlow({
    id,
    nodes: [
      input('default', 'csrf_token', 'hidden', csrf),
      input('password', 'password', 'password', undefined, 'Password'),
      input('password', 'method', 'submit', 'password', 'Sign in'),
    ],
  })

/** An aal2 step offering TOTP. */
export const totpFlow = (id = 'flow-2', csrf = 'csrf-2') =>
  loginFlow({
    id,
    nodes: [
      input('default', 'csrf_token', 'hidden', csrf),
      input('totp', 'totp_code', 'text', undefined, 'Authentication code'),
      input('totp', 'method', 'submit', 'totp', 'Use Authenticator'),
    ],
  })
