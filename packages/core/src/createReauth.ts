import { checkReturnTo } from './checkReturnTo.js'
import type { Freshness } from './createFreshness.js'
import type { Scheduler } from './createScheduler.js'
import type { SessionStore } from './createSessionStore.js'
import type { FreshnessRequirement } from './isSessionFresh.js'
import { isSessionFresh } from './isSessionFresh.js'
import { pageLocation } from './page.js'
import { reauthGuard, reauthPending } from './reauthGuard.js'
import type { LoginUrlOptions, ReauthenticateOptions } from './SessionKeeper.js'
import { ReauthCancelledError, ReauthLoopError } from './SessionKeeperError.js'
import type { Session, SessionState } from './types.js'

/** Fresh and stronger logins through Kratos's browser login flow. */
export interface Reauth {
  loginUrl(options?: LoginUrlOptions): string
  reauthenticate(options?: ReauthenticateOptions): Promise<void>
  /**
   * What this page load is to a login: `'popup'` inside the login window, `'back'` just back
   * from a login this tab started (within 60 s), else `undefined`. Call once, at start.
   */
  arrival(): 'popup' | 'back' | undefined
  /**
   * Whether a server answer with `session` (`null`: no session) proves the second factor
   * unavailable: the first answer after coming back from an aal2 login, still below aal2.
   */
  proves(session: Session | null): boolean
}

export interface ReauthDeps {
  baseUrl: string
  /** Origins a `returnTo` may point at. */
  allowed(): string[]
  now: () => number
  store: SessionStore
  freshness: Freshness
  scheduler: Scheduler
  check(): Promise<SessionState>
}

/** The window name a popup login runs under; the app loaded in it closes it once signed in. */
const POPUP = 'session-keeper:reauth'
const SECOND = 1_000

/**
 * Resolves when a session meeting `requirement` arrives (over tab sync or a check); when the
 * login window closes first, checks once more and rejects with `ReauthCancelledError` unless
 * that answer meets it. Closed windows send no event: the window is looked at twice a second,
 * on the keeper's one timer.
 */
function waitForPopup(
  popup: Window,
  requirement: FreshnessRequirement,
  {
    freshness,
    scheduler,
    check,
    now,
  }: { freshness: Freshness; scheduler: Scheduler; check: () => Promise<unknown>; now: () => number },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let last = now()
    const done = (settle: () => void) => {
      unsubscribe()
      unwatch()
      settle()
    }
    const unsubscribe = freshness.subscribeFreshness(requirement, (fresh) => fresh && done(resolve))
    const unwatch = scheduler.watch({
      name: 'popup',
      due: () => last + SECOND / 2,
      run: () => {
        last = now()
        if (!popup.closed) return
        unwatch()
        void check().then(() =>
          done(
            freshness.isFresh(requirement)
              ? resolve
              : () => reject(new ReauthCancelledError('The login window was closed')),
          ),
        )
      },
    })
  })
}

/**
 * Creates re-authentication: the login URL (`refresh`, `aal`, a checked `return_to`), the
 * redirect or popup to it, and the loop guard that stops a login which keeps coming back unmet.
 *
 * @example
 * const reauth = createReauth({ baseUrl, allowed, now, store, freshness, scheduler, check })
 * await reauth.reauthenticate({ maxAge: '5m', mode: 'popup' })
 */
/* @__NO_SIDE_EFFECTS__ */
export function createReauth(o: ReauthDeps): Reauth {
  const { now, store, freshness } = o
  const get = store.getState
  let backFromAal2 = false

  function loginUrl({ refresh = true, aal, returnTo }: LoginUrlOptions = {}) {
    const url = new URL(`${o.baseUrl}/self-service/login/browser`)
    if (refresh) url.searchParams.set('refresh', 'true')
    if ((aal ?? (get().status === 'aal2-required' && 'aal2')) === 'aal2') url.searchParams.set('aal', 'aal2')
    const target = returnTo ?? pageLocation()?.href
    if (target !== undefined) url.searchParams.set('return_to', checkReturnTo(target, o.allowed()))
    return url.href
  }

  async function reauthenticate({ returnTo, mode, ...requirement }: ReauthenticateOptions = {}) {
    const { aal, maxAge } = requirement
    // While loading nobody knows yet whether a login is needed: a wrong guess would bounce off Kratos.
    if (get().status === 'loading') await o.check()
    if (freshness.isFresh(requirement)) return void reauthGuard(null, now())
    // Kratos refuses aal2 without a session (session_aal1_required): sign in first; its login
    // flow continues to the second factor by itself. A step-up alone needs no password again.
    const signedIn = get().status === 'authenticated'
    const url = signedIn
      ? loginUrl({ refresh: maxAge !== undefined || aal !== 'aal2', aal, returnTo })
      : loginUrl({ refresh: false, returnTo })
    if (mode === 'popup') {
      const popup = window.open(url, POPUP, 'popup,width=480,height=720')
      // A blocked popup falls back to the redirect below.
      if (popup) return waitForPopup(popup, requirement, o)
    }
    // The same login from the same login state within 60 s means the last one came back
    // unmet: a loop. A login that succeeded moved authenticated_at, so that is no loop.
    const aal2 = signedIn && aal === 'aal2'
    if (reauthGuard(`${url} ${get().session?.authenticated_at?.getTime()}`, now(), aal2)) {
      const error = new ReauthLoopError('Came back from login unmet; not redirecting again for 60 s')
      store.update({ error, secondFactorUnavailable: aal2 || get().secondFactorUnavailable })
      throw error
    }
    location.assign(url)
  }

  return {
    loginUrl,
    reauthenticate,
    arrival() {
      if (window.name === POPUP && window.opener) return 'popup'
      const pending = reauthPending(now())
      backFromAal2 = !!pending?.aal2
      return pending && 'back'
    },
    proves(session) {
      const proof = backFromAal2 && !!session && !isSessionFresh(session, { aal: 'aal2', now: 0 })
      backFromAal2 = false
      return proof
    },
  }
}
