/** A UI message (spec `uiText`); ids and texts are Kratos's (text/message_*.go). */
export interface UiText {
  id: number
  text: string
  type: 'info' | 'error' | 'success'
  context?: Record<string, unknown>
}

/** An input node (spec `uiNode` with `uiNodeInputAttributes`), attributes in Go field order. */
export interface UiNode {
  type: 'input'
  group: 'default' | 'password' | 'totp'
  attributes: {
    name: string
    type: 'text' | 'email' | 'password' | 'hidden' | 'submit'
    value?: string
    required?: boolean
    autocomplete?: string
    disabled: false
    node_type: 'input'
  }
  messages: UiText[]
  meta: { label?: UiText }
}

/** A flow's form (spec `uiContainer`); `messages` is omitted when empty, as Go's omitempty does. */
export interface UiContainer {
  action: string
  method: 'POST'
  nodes: UiNode[]
  messages?: UiText[]
}

const info = (id: number, text: string): UiText => ({ id, text, type: 'info' })

export const TEXT = {
  reAuth: info(1010003, 'Please confirm this action by verifying that it is you.'),
  secondFactor: info(1010004, 'Please complete the second authentication challenge.'),
  invalidCredentials: {
    id: 4000006,
    text: 'The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.',
    type: 'error',
  },
  invalidTotp: {
    id: 4000008,
    text: 'The provided authentication code is invalid, please try again.',
    type: 'error',
  },
  noStrategy: {
    id: 4010002,
    text: 'Could not find a strategy to log you in with. Did you fill out the form correctly?',
    type: 'error',
  },
  noSettingsStrategy: {
    id: 4010004,
    text: 'Could not find a strategy to update your settings. Did you fill out the form correctly?',
    type: 'error',
  },
  /** `NewValidationErrorGeneric`: a 400 error turned into a flow message (container.ParseError). */
  generic: (reason: string): UiText => ({ id: 4000001, text: reason, type: 'error', context: { reason } }),
  saved: { id: 1050001, text: 'Your changes have been saved!', type: 'success' },
  missing: (property: string): UiText => ({
    id: 4000002,
    text: `Property ${property} is missing.`,
    type: 'error',
    context: { property },
  }),
  loginExpired: (minutes: string): UiText => ({
    id: 4010001,
    text: `The login flow expired ${minutes} minutes ago, please try again.`,
    type: 'error',
  }),
  settingsExpired: (minutes: string): UiText => ({
    id: 4050001,
    text: `The settings flow expired ${minutes} minutes ago, please try again.`,
    type: 'error',
  }),
} satisfies Record<string, UiText | ((arg: string) => UiText)>

export const LABEL = {
  identifier: info(1070004, 'ID'),
  password: info(1070001, 'Password'),
  signIn: info(1010022, 'Sign in with password'),
  totpCode: info(1010006, 'Authentication code'),
  useTotp: info(1010009, 'Use Authenticator'),
  save: info(1070003, 'Save'),
}

export function inputNode(
  group: UiNode['group'],
  name: string,
  type: UiNode['attributes']['type'],
  options: { value?: string; required?: boolean; autocomplete?: string; label?: UiText } = {},
): UiNode {
  return {
    type: 'input',
    group,
    attributes: {
      name,
      type,
      value: options.value,
      required: options.required,
      autocomplete: options.autocomplete,
      disabled: false,
      node_type: 'input',
    },
    messages: [],
    meta: options.label ? { label: options.label } : {},
  }
}

export const csrfNode = (token: string) =>
  inputNode('default', 'csrf_token', 'hidden', { value: token, required: true })
