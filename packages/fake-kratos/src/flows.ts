import type { ReturnTo } from './returnTo.js'
import type { Aal } from './session.js'
import type { UiContainer } from './ui.js'

// The flow records the store keeps: data only, so the store depends on no flow handler.

/** A login flow as the store keeps it (`loginFlow.ts` makes and renders it). */
export interface LoginFlow {
  id: string
  type: 'browser' | 'api'
  expiresAt: number
  issuedAt: number
  requestUrl: string
  returnTo: ReturnTo | undefined
  refresh: boolean
  requestedAal: Aal
  /** The masked anti-CSRF token the flow was made with (browser flows). */
  csrfToken: string | undefined
  ui: UiContainer
  state: 'choose_method' | 'passed_challenge'
}

/** A settings flow as the store keeps it (`settingsFlow.ts` makes and renders it). */
export interface SettingsFlow {
  id: string
  type: 'browser' | 'api'
  expiresAt: number
  issuedAt: number
  requestUrl: string
  returnTo: ReturnTo | undefined
  identityId: string
  ui: UiContainer
  state: 'show_form' | 'success'
}
