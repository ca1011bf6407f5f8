// Test page for @session-keeper/core in real Chromium (../core.test.ts): one keeper against
// fake-kratos on another origin of the same site, its state rendered as text, and the keeper on
// `window` so the test can call its verbs. Query parameters set the timing options, `tabSync`
// (`false`, or a channel name) and `debug`. Several tabs of it share one keeper channel
// (../tabs.test.ts, ../../bench/tabs.bench.ts).
import {
  createSessionKeeper,
  type Duration,
  type ReauthenticateOptions,
  type SessionKeeper,
  type SessionKeeperEvent,
  type SessionState,
} from '@session-keeper/core'
import { ALL_EVENTS } from '../../../packages/core/src/__tests__/keeperEvents.js'

declare const __KRATOS_URL__: string

declare global {
  interface Window {
    keeper: SessionKeeper
    /** Every keeper event, in order. */
    keeperEvents: SessionKeeperEvent[]
    /** Starts `keeper.reauthenticate` without waiting (it may navigate away); a rejection shows in `rejection`. */
    startReauthenticate(options?: ReauthenticateOptions): void
    /**
     * Every change of `status` or `isLeader`, with the wall-clock time it was seen here
     * (`performance.timeOrigin + performance.now()`, comparable across tabs and with Node).
     */
    stateChanges: {
      status: SessionState['status']
      isLeader: boolean
      lastCheckedAt: number | null
      at: number
    }[]
    /** `performance.now()` when `keeper.start()
window.keeperStartedAt = performance.now()` returned. */
    keeperStartedAt: number
  }
}

const params = new URLSearchParams(location.search)
const duration = (name: string): Duration | undefined => {
  const value = params.get(name)
  return value === null ? undefined : /^\d+$/.test(value) ? Number(value) : value
}

const tabSync = params.get('tabSync')

const keeper = createSessionKeeper({
  baseUrl: __KRATOS_URL__,
  pollInterval: duration('pollInterval'),
  recheckOnFocusAfter: duration('recheckOnFocusAfter'),
  debug: params.has('debug'),
  ...(tabSync !== null && { tabSync: tabSync === 'false' ? false : { channel: tabSync } }),
})

const show = (testId: string, text: string) => {
  const element = document.querySelector(`[data-testid="${testId}"]`)
  if (element) element.textContent = text
}

function render(state: SessionState) {
  show('status', state.status)
  show('phase', state.phase ?? '')
  show('email', String(state.session?.identity?.traits?.email ?? ''))
  show('aal', state.session?.authenticator_assurance_level ?? '')
  show('authenticated-at', state.session?.authenticated_at?.toISOString() ?? '')
  show('clock-skew', String(state.clockSkew))
  show('stale', String(state.stale))
  show('error', state.error?.name ?? '')
  show('is-leader', String(state.isLeader))
}

window.keeperEvents = []
for (const event of ALL_EVENTS) keeper.on(event, () => window.keeperEvents.push(event))

window.keeper = keeper
window.startReauthenticate = (options) => {
  show('rejection', '')
  show('reauth', 'pending')
  keeper.reauthenticate(options).then(
    () => show('reauth', 'resolved'),
    (error: Error) => {
      show('reauth', 'rejected')
      show('rejection', error.name)
    },
  )
}
document.querySelector('#check')?.addEventListener('click', () => void keeper.check({ force: true }))
document
  .querySelector('#logout')
  ?.addEventListener('click', () => keeper.logout().catch((error: Error) => show('rejection', error.name)))

// Typing into the draft and pressing Enter must not reload the page.
document.querySelector('#draft-form')?.addEventListener('submit', (event) => event.preventDefault())

const wallClock = () => performance.timeOrigin + performance.now()
window.stateChanges = []
render(keeper.getState())
keeper.subscribe((state, previous) => {
  if (state.status !== previous.status || state.isLeader !== previous.isLeader) {
    const { status, isLeader, lastCheckedAt } = state
    window.stateChanges.push({ status, isLeader, lastCheckedAt, at: wallClock() })
  }
  render(state)
})
keeper.start()
window.keeperStartedAt = performance.now()
